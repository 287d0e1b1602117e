"""Deliveries remember the options they were requested with, so a failed share can be retried as is.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add `deliveries.options` (JSON: share expiry, download permission and limit, note placement)."""
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("options", sa.JSON(), nullable=True))


def downgrade() -> None:
    """Drop `deliveries.options`."""
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("options")
