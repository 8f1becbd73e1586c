"""bounces: every refusal and complaint a delivery met, and subscribers suspended after hard
bounces on three different days

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("subscribers", sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("subscribers", sa.Column("suspended_reason", sa.Text(), nullable=True))
    op.create_table(
        "bounces",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("subscriber_id", sa.Integer(),
                  sa.ForeignKey("subscribers.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("delivery_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("bounces")
    with op.batch_alter_table("subscribers") as batch_op:
        batch_op.drop_column("suspended_reason")
        batch_op.drop_column("suspended_at")
