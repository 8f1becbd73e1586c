"""subscriber preferences (exclude, languages, max_stories) and the meta table

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("subscribers") as batch_op:
        batch_op.add_column(sa.Column("exclude", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("languages", sa.JSON(), nullable=False, server_default="[]"))
        batch_op.add_column(sa.Column("max_stories", sa.Integer(), nullable=True))
    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("meta")
    with op.batch_alter_table("subscribers") as batch_op:
        batch_op.drop_column("max_stories")
        batch_op.drop_column("languages")
        batch_op.drop_column("exclude")
