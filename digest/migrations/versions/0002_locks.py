"""locks: one run at a time across cron, the daemon and manual commands; runs know their process

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

import digest.models

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "locks",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("host", sa.String(length=256), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("command", sa.String(length=64), nullable=False),
        sa.Column("acquired_at", digest.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", digest.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    with op.batch_alter_table("runs") as batch_op:
        batch_op.add_column(sa.Column("host", sa.String(length=256), nullable=True))
        batch_op.add_column(sa.Column("pid", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch_op:
        batch_op.drop_column("pid")
        batch_op.drop_column("host")
    op.drop_table("locks")
