"""editions: the day's digest kept for the web archive; subscribers' own preferences

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

import digest.models

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "editions",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("stories", sa.JSON(), nullable=False),
        sa.Column("created_at", digest.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", digest.models.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )
    with op.batch_alter_table("subscribers") as batch:
        batch.add_column(sa.Column("prefs_updated_at", digest.models.UTCDateTime(timezone=True),
                                   nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("subscribers") as batch:
        batch.drop_column("prefs_updated_at")
    op.drop_table("editions")
