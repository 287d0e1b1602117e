"""Public tracked-link endpoints (`/l/<id>`) that customers open; no agent token involved.

A refused link answers with a friendly page explaining what happened and how to ask for renewal
(410 for withdrawn or expired links, 403 when downloads are used up, 404 for unknown links).
"""

from __future__ import annotations

import re

from flask import Response, current_app, redirect, render_template, request, stream_with_context
from flask_smorest import Blueprint

from backend.api.deps import now
from backend.services.links import LinkDecision, TrackedLinks
from backend.store.models import TenantRow

bp = Blueprint(
    "links", __name__, url_prefix="/l", description="Tracked share links", template_folder="templates"
)

LINK_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MEDIA_ID = re.compile(r"^I0000[A-Za-z0-9._]{11}$")
STATUS = {"revoked": 410, "expired": 410, "exhausted": 403, "no_download": 403, "not_found": 404}


def _links() -> TrackedLinks:
    ext = current_app.extensions["psz"]

    def photoshelter_for(row: TenantRow):
        tenant = ext.tenants.get(row.subdomain)
        return ext.clients.photoshelter(tenant) if tenant else None

    return TrackedLinks(ext.sessions, photoshelter_for, now())


def _refusal(decision: LinkDecision) -> Response:
    html = render_template(
        "link_page.html", title=decision.title, message=decision.message, reason=decision.reason
    )
    response = Response(html, status=STATUS.get(decision.reason or "", 403), mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _not_found() -> Response:
    return _refusal(TrackedLinks._explain("not_found", None))


@bp.route("/<link_id>")
def open_link(link_id: str):
    """Check the link, count the open, send the visitor to the gallery."""
    if not LINK_ID.match(link_id):
        return _not_found()
    decision = _links().open(link_id, request.headers.get("User-Agent"))
    if not decision.ok:
        return _refusal(decision)
    response = redirect(decision.redirect_to, code=302)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/<link_id>/download/<media_id>")
def download(link_id: str, media_id: str):
    """Count the download against the link's limit and stream the file."""
    if not LINK_ID.match(link_id) or not MEDIA_ID.match(media_id):
        return _not_found()
    decision, file = _links().download(link_id, media_id, request.headers.get("User-Agent"))
    if not decision.ok or file is None:
        return _refusal(decision)
    safe_name = file.filename.replace('"', "").replace("\\", "")
    headers = {"Content-Disposition": f'attachment; filename="{safe_name}"', "Cache-Control": "no-store"}
    if file.size is not None:
        headers["Content-Length"] = str(file.size)
    return Response(stream_with_context(file.chunks()), mimetype=file.content_type, headers=headers)
