"""Persistence: engine (`db`), tenant directory (`tenants`), models and Alembic migrations
(`models`, `migrate`), sessions (`session`) and one small query module per concern
(`tenants_repo`, `deliveries`, `shares`, `events`, `audit`, `idempotency`).

Nothing is imported here, so importing `backend.store.tenants` stays cheap.
"""
