"""articles and segments: what each is about, as a multilingual vector made once and kept

The story stage makes a vector for each article (its title and lead) and each briefing segment
the first time it sees them (digest/vectors.py) and keeps it here, as float16 bytes;
``articles.vectors_made`` names how they were made (``digest.vectors.MODEL``): vectors made
another way are made again.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("vector", sa.LargeBinary(), nullable=True))
    op.add_column("articles", sa.Column("vectors_made", sa.String(64), nullable=True))
    op.add_column("segments", sa.Column("vector", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("segments") as batch_op:
        batch_op.drop_column("vector")
    with op.batch_alter_table("articles") as batch_op:
        batch_op.drop_column("vectors_made")
        batch_op.drop_column("vector")
