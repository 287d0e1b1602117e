"""How dates read in the text the app writes (reasons, notes, pages): one style everywhere."""

from __future__ import annotations

from datetime import datetime


def human_date(value: datetime) -> str:
    """`Nov 16, 2026` — the same style the sidebar uses for English."""
    return f"{value:%b} {value.day}, {value.year}"
