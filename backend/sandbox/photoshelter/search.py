"""Media search (`GET /media`): term matching, a simple relevance score, filters and sort keys."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from .models import Media

SORT_FIELDS = ("relevance", "date", "file_name", "upload_time")
MEDIA_TYPES = ("image", "video", "audio", "doc", "document")
ORIENTATIONS = ("horizontal", "vertical", "panoramic", "square")


def split_terms(raw: str | None) -> list[str]:
    """Lower-cased terms split on whitespace and commas."""
    return [t for t in re.split(r"[\s,]+", (raw or "").lower()) if t]


def term_score(media: Media, term: str) -> int:
    """How well one term matches a media item (0 = no match)."""
    iptc = media.iptc
    score = 0
    if term in media.file_name.lower():
        score += 3
    keywords = [k.lower() for k in iptc.keywords]
    if term in keywords:
        score += 4
    elif any(term in k for k in keywords):
        score += 2
    if term in iptc.title.lower():
        score += 3
    if term in iptc.headline.lower():
        score += 2
    if term in iptc.caption.lower():
        score += 1
    return score


def score(media: Media, terms: list[str], match_all: bool) -> int | None:
    """Total relevance, or None when the item does not match (all terms / any term)."""
    if not terms:
        return 0
    scores = [term_score(media, t) for t in terms]
    matched = [s for s in scores if s > 0]
    if (match_all and len(matched) != len(terms)) or not matched:
        return None
    return sum(matched)


def sort_key(sort_by: str, scores: dict[str, int]) -> Callable[[Media], Any]:
    """Key function for `sort_by` (ties broken by upload time, then id)."""
    keys: dict[str, Callable[[Media], Any]] = {
        "relevance": lambda m: (scores.get(m.id, 0), m.created_at, m.id),
        "date": lambda m: (m.taken_at, m.id),
        "file_name": lambda m: (m.file_name.lower(), m.id),
        "upload_time": lambda m: (m.created_at, m.id),
    }
    return keys[sort_by]


def default_direction(sort_by: str) -> str:
    """`asc` for file names, `desc` otherwise (best/newest first)."""
    return "asc" if sort_by == "file_name" else "desc"


def in_galleries(media: Media, gallery_ids: Iterable[str]) -> bool:
    """True when the media item sits in at least one of the galleries."""
    wanted = set(gallery_ids)
    return any(g in wanted for g in media.gallery_ids)
