"""Alembic migrations of the store's schema; applied by ``digest.store.Store.migrate``."""
