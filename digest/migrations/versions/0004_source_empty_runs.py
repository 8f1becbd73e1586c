"""sources: links listed by the last run and consecutive empty runs (stale selectors)

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sources") as batch_op:
        batch_op.add_column(sa.Column("last_links", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("consecutive_empty", sa.Integer(), nullable=False,
                                      server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("sources") as batch_op:
        batch_op.drop_column("consecutive_empty")
        batch_op.drop_column("last_links")
