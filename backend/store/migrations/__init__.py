"""Alembic migrations for the store (run them with `backend.store.migrate.upgrade`)."""
