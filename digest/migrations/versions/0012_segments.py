"""segments: a briefing's transcript as read once and kept (who asked what, who answered)

The story stage reads an official article's transcript once (``articles.segments_read`` holds the
reader's version) and keeps its segments; stories and their pages read them from here instead of
reading the transcript again.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("segments_read", sa.Integer(), nullable=True))
    op.create_table(
        "segments",
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("number", sa.Integer(), primary_key=True),
        sa.Column("paragraphs", sa.JSON(), nullable=False),
        sa.Column("question", sa.Text(), nullable=True),
        sa.Column("asked_by", sa.String(256), nullable=True),
        sa.Column("speaker", sa.String(256), nullable=True),
        sa.Column("answer", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("segments")
    with op.batch_alter_table("articles") as batch_op:
        batch_op.drop_column("segments_read")
