"""Fault injection: `GET|POST|DELETE /_faults` and the hook that applies faults to `/psapi/…` calls.

POST merges the given fields into the current settings (unknown fields → 400); DELETE restores the
start-up settings (all faults off, configured rate/burst, bucket refilled). All three answer the
settings as a flat JSON object.
"""

from __future__ import annotations

import random
from typing import Any

from flask import Blueprint, Response, jsonify, request

from .envelopes import ApiError, bad_request
from .state import SimulatorState, get_state

bp = Blueprint("ps_faults", __name__)

# field → (kind, minimum, maximum); kind "int" or "float"; maximum None = unbounded
_FIELDS: dict[str, tuple[str, float, float | None]] = {
    "latency_ms": ("int", 0, None),
    "error_rate": ("float", 0.0, 1.0),
    "error_status": ("int", 400, 599),
    "timeout_rate": ("float", 0.0, 1.0),
    "timeout_seconds": ("float", 0.0, None),
    "fail_next": ("int", 0, None),
    "rate_limit_next": ("int", 0, None),
    "retry_after": ("int", 0, None),
    "rate_per_second": ("float", 0.001, None),
    "burst": ("int", 1, None),
    "seed": ("int", float("-inf"), None),
}


def _validate(name: str, value: Any) -> int | float | None:
    kind, minimum, maximum = _FIELDS[name]
    if value is None and name == "seed":
        return None
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if not is_number or (kind == "int" and not float(value).is_integer()):
        raise bad_request(f"{name} must be {'an integer' if kind == 'int' else 'a number'}")
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f"≥ {minimum}" if maximum is None else f"between {minimum} and {maximum}"
        raise bad_request(f"{name} must be {bounds}")
    return int(value) if kind == "int" else float(value)


@bp.route("/_faults", methods=["GET", "POST", "DELETE"])
def faults() -> Response:
    """Read (GET), merge (POST JSON) or clear (DELETE) the fault settings."""
    st = get_state()
    if request.method == "POST":
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            raise bad_request("body must be a JSON object")
        unknown = sorted(set(body) - set(_FIELDS))
        if unknown:
            raise bad_request(f"unknown fault fields: {', '.join(unknown)}")
        values = {name: _validate(name, value) for name, value in body.items()}
        with st.lock:
            for name, value in values.items():
                setattr(st.faults, name, value)
            if "seed" in values:
                st.fault_rng = random.Random(values["seed"] if values["seed"] is not None else st.seed)
            st.bucket.configure(st.faults.rate_per_second, st.faults.burst)
    elif request.method == "DELETE":
        with st.lock:
            st.faults = st.default_faults()
            st.fault_rng = random.Random(st.seed)
            st.bucket.configure(st.faults.rate_per_second, st.faults.burst)
            st.bucket.buckets.clear()
    with st.lock:
        settings = st.faults.to_json()
    return jsonify(settings)


def apply_faults(st: SimulatorState) -> Response | None:
    """Apply latency / timeouts / injected errors to one `/psapi` request; a Response ends it early."""
    with st.lock:
        f = st.faults
        latency = f.latency_ms / 1000.0
        timeout = 0.0
        if f.timeout_rate > 0 and st.fault_rng.random() < f.timeout_rate:
            timeout = f.timeout_seconds
        error: ApiError | None = None
        if f.fail_next > 0:
            f.fail_next -= 1
            error = ApiError(f.error_status, detail="injected by /_faults (fail_next)")
        elif f.rate_limit_next > 0:
            f.rate_limit_next -= 1
            headers = {"Retry-After": str(f.retry_after)}
            error = ApiError(429, detail="injected by /_faults (rate_limit_next)", headers=headers)
        elif f.error_rate > 0 and st.fault_rng.random() < f.error_rate:
            error = ApiError(f.error_status, detail="injected by /_faults (error_rate)")
    if latency > 0:
        st.sleep(latency)
    if timeout > 0:
        st.sleep(timeout)
    return error.to_response() if error is not None else None
