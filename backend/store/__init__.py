"""Persistence: the database engine, tenant directory and (later) deliveries and audit events."""
