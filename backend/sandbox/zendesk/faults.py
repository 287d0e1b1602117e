"""Fault injection: `GET|POST|DELETE /_faults` and the hook that applies faults to `/api/v2/…` calls.

Same switches and semantics as the PhotoShelter simulator (`backend.sandbox.faults`), plus
`rate_limit_per_minute` (the account's per-minute budget). POST merges fields (unknown → 400),
DELETE restores the start-up settings and forgets the requests counted this minute; all three
answer the settings as a flat JSON object. Injected 429s answer in plain text with `Retry-After`
(as Zendesk's throttling often does); other injected errors use Zendesk's JSON error shape.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from ..faults import COMMON_FIELDS, FaultFieldError, FieldRule, injected_error, update_settings
from .errors import ZendeskApiError, bad_request
from .state import ZendeskState, get_state

bp = Blueprint("zendesk_faults", __name__)

_FIELDS: dict[str, FieldRule] = {**COMMON_FIELDS, "rate_limit_per_minute": ("int", 1, None)}

#: Body of an injected 429 (Zendesk's per-endpoint throttles answer in plain text).
RATE_LIMIT_TEXT = "Rate limit for ticket updates exceeded, please wait before updating this ticket again"


@bp.route("/_faults", methods=["GET", "POST", "DELETE"])
def faults() -> Response:
    """Read (GET), merge (POST JSON) or clear (DELETE) the fault settings."""
    st = get_state()
    try:
        settings = update_settings(
            st, request.method, request.get_json(silent=True), _FIELDS, on_reset=st.reset_rate_window
        )
    except FaultFieldError as exc:
        raise bad_request(str(exc)) from None
    return jsonify(settings)


def apply_faults(st: ZendeskState) -> Response | None:
    """Apply latency / timeouts / injected errors to one API request; a Response ends it early."""
    injected = injected_error(st)
    if injected is None:
        return None
    if injected.status == 429:
        headers = {"Retry-After": str(injected.retry_after if injected.retry_after is not None else 1)}
        return ZendeskApiError(429, headers=headers, text=RATE_LIMIT_TEXT).to_response()
    return ZendeskApiError(injected.status, description=injected.detail).to_response()
