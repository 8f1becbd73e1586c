"""The store: one SQLAlchemy database (SQLite file by default, any SQLAlchemy URL accepted).

Every stage talks to the database through :class:`Store`, which returns domain values
(:mod:`digest.domain`), never ORM rows. Its methods are kept by aggregate, a module each
(as Miniflux splits ``internal/storage``): :mod:`.sources`, :mod:`.articles`, :mod:`.stories`,
:mod:`.subscribers`, :mod:`.deliveries`, :mod:`.bounces`, :mod:`.editions`, :mod:`.runs`,
:mod:`.search`, :mod:`.sessions` and :mod:`.stats`, over the engine and sessions of
:mod:`._database`. The tables are in ``digest.models``; the schema is kept current by Alembic on
:meth:`Store.migrate`.
"""

from __future__ import annotations

from digest.store.articles import ArticleStore
from digest.store.bounces import Bounce, BounceStore
from digest.store.deliveries import Claim, DeliveryStore
from digest.store.editions import EditionStore
from digest.store.runs import RunStore
from digest.store.search import SearchHit, SearchStore
from digest.store.sessions import SessionStore
from digest.store.sources import SourceStore
from digest.store.stats import StatsStore
from digest.store.stories import StoryStore
from digest.store.subscribers import SubscriberStore

__all__ = ["Bounce", "Claim", "SearchHit", "Store"]


class Store(SourceStore, ArticleStore, StoryStore, SubscriberStore, DeliveryStore, BounceStore,
            EditionStore, RunStore, SearchStore, SessionStore, StatsStore):
    """Access to the database. Create one per process with the configured URL."""
