"""subscribers: how often they get the digest (daily or weekly) and on which day of the week

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("subscribers") as batch_op:
        batch_op.add_column(sa.Column("frequency", sa.String(8), nullable=True))
        batch_op.add_column(sa.Column("weekday", sa.String(10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("subscribers") as batch_op:
        batch_op.drop_column("weekday")
        batch_op.drop_column("frequency")
