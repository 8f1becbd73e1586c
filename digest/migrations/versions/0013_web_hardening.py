"""web: when a sign-up's confirmation mail last went to an address; which editions hold which
story (a story page looked up by id, not by reading every edition); admin sessions kept on the
server (a logout ends a copied cookie too)

Revision ID: 0013
Revises: 0012
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("subscribers", sa.Column("confirm_sent_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "edition_stories",
        sa.Column("story_id", sa.String(32), primary_key=True),
        sa.Column("day", sa.Date(), sa.ForeignKey("editions.day", ondelete="CASCADE"), primary_key=True),
    )
    op.create_table(
        "admin_sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user", sa.String(256), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    )
    editions = sa.table("editions", sa.column("day", sa.Date()), sa.column("stories", sa.JSON()))
    index = sa.table("edition_stories", sa.column("story_id", sa.String()), sa.column("day", sa.Date()))
    bind = op.get_bind()
    rows: list[dict[str, object]] = []
    for day, stories in bind.execute(sa.select(editions.c.day, editions.c.stories)):
        items = json.loads(stories) if isinstance(stories, str) else stories or []
        rows.extend({"story_id": story_id, "day": day}
                    for story_id in dict.fromkeys(item["id"] for item in items))
    if rows:
        op.bulk_insert(index, rows)


def downgrade() -> None:
    op.drop_table("admin_sessions")
    op.drop_table("edition_stories")
    with op.batch_alter_table("subscribers") as batch_op:
        batch_op.drop_column("confirm_sent_at")
