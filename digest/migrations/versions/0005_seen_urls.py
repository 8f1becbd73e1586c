"""seen_urls: article URLs fetched once, whatever became of them, are not fetched again

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

import digest.models

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "seen_urls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("seen_at", digest.models.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_id", "url"),
    )
    op.create_index("ix_seen_urls_source_id", "seen_urls", ["source_id"])


def downgrade() -> None:
    op.drop_index("ix_seen_urls_source_id", table_name="seen_urls")
    op.drop_table("seen_urls")
