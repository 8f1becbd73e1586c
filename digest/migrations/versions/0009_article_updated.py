"""articles: when the page says it was last changed (dateModified), besides published

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles") as batch_op:
        batch_op.add_column(sa.Column("updated", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_articles_updated", ["updated"])


def downgrade() -> None:
    with op.batch_alter_table("articles") as batch_op:
        batch_op.drop_index("ix_articles_updated")
        batch_op.drop_column("updated")
