"""Fault injection: `GET|POST|DELETE /_faults` and the hook that applies faults to `/psapi/…` calls.

POST merges the given fields into the current settings (unknown fields → 400); DELETE restores the
start-up settings (all faults off, configured rate/burst, bucket refilled). All three answer the
settings as a flat JSON object. Validation and the per-request draw live in `backend.sandbox.faults`
(shared with the Zendesk simulator); this module adds the rate-bucket fields and the v4 envelopes.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from ..faults import COMMON_FIELDS, FaultFieldError, FieldRule, injected_error, update_settings
from .envelopes import ApiError, bad_request
from .state import SimulatorState, get_state

bp = Blueprint("ps_faults", __name__)

# field → (kind, minimum, maximum); the shared switches plus the token bucket's rate and size
_FIELDS: dict[str, FieldRule] = {
    **COMMON_FIELDS,
    "rate_per_second": ("float", 0.001, None),
    "burst": ("int", 1, None),
}


@bp.route("/_faults", methods=["GET", "POST", "DELETE"])
def faults() -> Response:
    """Read (GET), merge (POST JSON) or clear (DELETE) the fault settings."""
    st = get_state()

    def resize_bucket() -> None:
        st.bucket.configure(st.faults.rate_per_second, st.faults.burst)

    def refill_bucket() -> None:
        resize_bucket()
        st.bucket.buckets.clear()

    try:
        settings = update_settings(
            st, request.method, request.get_json(silent=True), _FIELDS, resize_bucket, refill_bucket
        )
    except FaultFieldError as exc:
        raise bad_request(str(exc)) from None
    return jsonify(settings)


def apply_faults(st: SimulatorState) -> Response | None:
    """Apply latency / timeouts / injected errors to one `/psapi` request; a Response ends it early."""
    injected = injected_error(st)
    if injected is None:
        return None
    headers = {"Retry-After": str(injected.retry_after)} if injected.retry_after is not None else None
    return ApiError(injected.status, detail=injected.detail, headers=headers).to_response()
