"""The HTML the app writes into tickets: delivery notes, share links, revocations.

Every value is escaped here; callers pass plain text. Each note carries the delivery's reference so
a retried write can recognise a comment that already landed (no duplicate notes).
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from backend.services.dates import human_date


def reference_marker(delivery_public_id: str) -> str:
    """The text that identifies a delivery's comment (searched for before re-posting)."""
    return f"PhotoShelter ref {delivery_public_id}"


def _footer(delivery_public_id: str) -> str:
    return f'<p style="color:#68737d;font-size:12px">{escape(reference_marker(delivery_public_id))}</p>'


def _note(note: str) -> str:
    return f"<p>{escape(note)}</p>" if note.strip() else ""


def attachment_note(
    delivery_public_id: str,
    file_names: list[str],
    note: str,
    fallback_link: str | None,
    fallback_names: list[str],
    fallback_expires: datetime | None,
) -> str:
    """The comment carrying attached images (and a link for files too large to attach)."""
    parts = [_note(note)]
    if file_names:
        items = "".join(f"<li>{escape(name)}</li>" for name in file_names)
        parts.append(f"<p>Attached from PhotoShelter:</p><ul>{items}</ul>")
    if fallback_link and fallback_names:
        names = ", ".join(escape(n) for n in fallback_names)
        until = f" (available until {human_date(fallback_expires)})" if fallback_expires else ""
        parts.append(
            f"<p>Too large to attach, shared as a link instead: {names} — "
            f'<a href="{escape(fallback_link, quote=True)}">download</a>{until}.</p>'
        )
    parts.append(_footer(delivery_public_id))
    return "".join(parts)


def share_html(title: str, link: str, expires_at: datetime, allow_download: bool, note: str) -> str:
    """The link block an agent sends to a customer (reply) or keeps as a note."""
    what = "view and download" if allow_download else "view"
    return (
        f"{_note(note)}"
        f'<p><a href="{escape(link, quote=True)}">{escape(title)}</a></p>'
        f"<p>You can {what} these images until {human_date(expires_at)}.</p>"
    )


def share_note(
    delivery_public_id: str,
    title: str,
    link: str,
    expires_at: datetime,
    allow_download: bool,
    note: str,
    recipients: list[str],
) -> str:
    """The internal note recording a share."""
    to = ", ".join(escape(r) for r in recipients) or "the requester"
    return (
        f"<p>Shared with {to}:</p>"
        f"{share_html(title, link, expires_at, allow_download, note)}"
        f"{_footer(delivery_public_id)}"
    )


def revoke_note(delivery_public_id: str, title: str, actor: str) -> str:
    """The internal note recording a revocation."""
    return (
        f"<p>The PhotoShelter share link for {escape(title)} was revoked by {escape(actor)}; "
        f"it no longer opens.</p>{_footer(delivery_public_id)}"
    )
