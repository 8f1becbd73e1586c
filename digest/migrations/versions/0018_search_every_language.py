"""articles: search in every language (digest/search_terms.py): each article's terms (stems in
its language, pairs of Chinese, Japanese and Korean characters) kept beside it and indexed;
everything stored is indexed again

SQLite: the FTS5 table ``articles_fts`` now indexes ``search_title`` and ``search_text`` (the
terms) with the plain unicode61 tokenizer: Porter stemming, English only, is gone. PostgreSQL:
the generated ``search`` column takes the text search configuration of each article's language
(russian, arabic, french, …; simple for others), plus the CJK pairs under ``simple``.

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS articles_fts_insert",
    "DROP TRIGGER IF EXISTS articles_fts_delete",
    "DROP TRIGGER IF EXISTS articles_fts_update",
    "DROP TABLE IF EXISTS articles_fts",
]
_SQLITE = [
    "CREATE VIRTUAL TABLE articles_fts USING fts5(search_title, search_text, content='articles', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
    "INSERT INTO articles_fts(rowid, search_title, search_text) "
    "VALUES (new.id, new.search_title, new.search_text); END",
    "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
    "INSERT INTO articles_fts(articles_fts, rowid, search_title, search_text) "
    "VALUES ('delete', old.id, old.search_title, old.search_text); END",
    "CREATE TRIGGER articles_fts_update AFTER UPDATE OF search_title, search_text ON articles "
    "BEGIN INSERT INTO articles_fts(articles_fts, rowid, search_title, search_text) "
    "VALUES ('delete', old.id, old.search_title, old.search_text); "
    "INSERT INTO articles_fts(rowid, search_title, search_text) "
    "VALUES (new.id, new.search_title, new.search_text); END",
]


def _pg_config(available: set[str]) -> str:
    """``CASE`` from an article's language to its configuration (those this server has)."""
    from digest.search_terms import PG_CONFIGS

    cases = " ".join(f"WHEN '{code}' THEN '{name}'::regconfig"
                     for code, name in sorted(PG_CONFIGS.items()) if name in available)
    # an article whose language is not known is read as English, as SQLite reads it
    return f"(CASE lower(left(coalesce(language, 'en'), 2)) {cases} ELSE 'simple'::regconfig END)"


def _reindex(bind: sa.engine.Connection) -> None:
    """Every stored article's terms, made as new articles' are (PostgreSQL stems the words
    itself: only the CJK pairs are kept there)."""
    from digest.search_terms import index_terms

    words = bind.dialect.name != "postgresql"

    articles = sa.table("articles", sa.column("id", sa.Integer), sa.column("title", sa.Text),
                        sa.column("text", sa.Text), sa.column("language", sa.String),
                        sa.column("search_title", sa.Text), sa.column("search_text", sa.Text))
    last = 0
    while True:
        rows = bind.execute(sa.select(articles.c.id, articles.c.title, articles.c.text,
                                      articles.c.language)
                            .where(articles.c.id > last).order_by(articles.c.id).limit(500)).all()
        if not rows:
            return
        bind.execute(
            articles.update().where(articles.c.id == sa.bindparam("b_id")).values(
                search_title=sa.bindparam("b_title"), search_text=sa.bindparam("b_text")),
            [{"b_id": r.id, "b_title": index_terms(r.title or "", r.language, words=words),
              "b_text": index_terms(r.text or "", r.language, words=words)} for r in rows])
        last = rows[-1].id


def upgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    if dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_search")
        op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS search")
    elif dialect == "sqlite":
        for statement in _SQLITE_DROP:
            op.execute(statement)
    op.add_column("articles", sa.Column("search_title", sa.Text(), nullable=True))
    op.add_column("articles", sa.Column("search_text", sa.Text(), nullable=True))
    _reindex(bind)
    if dialect == "sqlite":
        for statement in _SQLITE:
            op.execute(statement)
        op.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
    elif dialect == "postgresql":
        available = {row[0] for row in bind.execute(sa.text("SELECT cfgname FROM pg_ts_config"))}
        config = _pg_config(available)
        op.execute(
            "ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS "
            f"(setweight(to_tsvector({config}, coalesce(title, '')), 'A') || "
            f"setweight(to_tsvector({config}, coalesce(text, '')), 'B') || "
            "setweight(to_tsvector('simple', coalesce(search_title, '')), 'A') || "
            "setweight(to_tsvector('simple', coalesce(search_text, '')), 'B')) STORED")
        op.execute("CREATE INDEX ix_articles_search ON articles USING gin (search)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in _SQLITE_DROP:
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_search")
        op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS search")
    with op.batch_alter_table("articles") as batch_op:
        batch_op.drop_column("search_text")
        batch_op.drop_column("search_title")
