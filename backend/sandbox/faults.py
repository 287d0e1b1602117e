"""Fault injection shared by the simulators: the `/_faults` field rules and the per-request draw.

Each simulator keeps its own settings object (a dataclass carrying at least the attributes of
`FaultSwitches`), its own lock and its own error envelope. This module owns what must behave the
same everywhere: validating a `POST /_faults` body (`parse_update`), deciding which fault hits one
request (`draw`, counters first: `fail_next`, then `rate_limit_next`, then the seeded
`error_rate`), and sleeping the injected latency / simulated timeout (`perform_delays`).

Common fields (every simulator accepts them):

    latency_ms       extra delay before every answer (int ≥ 0)
    error_rate       share of requests answered with `error_status` (0..1, drawn from a seeded RNG)
    error_status     status used by `fail_next` and `error_rate` (400..599, default 503)
    timeout_rate     share of requests delayed by `timeout_seconds` (0..1)
    timeout_seconds  the simulated hang (≥ 0)
    fail_next        answer the next N requests with `error_status`
    rate_limit_next  answer the next N requests with 429 and `Retry-After: retry_after`
    retry_after      seconds for injected 429s (int ≥ 0)
    seed             reseeds the RNG of `error_rate`/`timeout_rate` (int, or null = the default seed)

Simulators add their own fields (rate bucket sizes) by extending `COMMON_FIELDS`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, Protocol

#: A field rule: (kind "int" | "float", minimum, maximum or None for unbounded).
FieldRule = tuple[str, float, float | None]

COMMON_FIELDS: dict[str, FieldRule] = {
    "latency_ms": ("int", 0, None),
    "error_rate": ("float", 0.0, 1.0),
    "error_status": ("int", 400, 599),
    "timeout_rate": ("float", 0.0, 1.0),
    "timeout_seconds": ("float", 0.0, None),
    "fail_next": ("int", 0, None),
    "rate_limit_next": ("int", 0, None),
    "retry_after": ("int", 0, None),
    "seed": ("int", float("-inf"), None),
}


@dataclass
class CommonFaultSettings:
    """The switches every simulator offers through `/_faults`; simulators subclass to add theirs."""

    latency_ms: int = 0
    error_rate: float = 0.0
    error_status: int = 503
    timeout_rate: float = 0.0
    timeout_seconds: float = 5.0
    fail_next: int = 0
    rate_limit_next: int = 0
    retry_after: int = 2
    seed: int | None = None

    def to_json(self) -> dict[str, Any]:
        """Plain dict for the `/_faults` responses."""
        return asdict(self)


#: Fields that may be set to JSON null.
NULLABLE_FIELDS = frozenset({"seed"})


class FaultFieldError(ValueError):
    """A `/_faults` body was refused; `str(error)` is the message for the 400 answer."""


class FaultSwitches(Protocol):
    """The attributes `draw` reads and decrements (a simulator's fault settings object)."""

    latency_ms: int
    error_rate: float
    error_status: int
    timeout_rate: float
    timeout_seconds: float
    fail_next: int
    rate_limit_next: int
    retry_after: int


@dataclass(frozen=True)
class InjectedError:
    """An error chosen for one request: its status, which switch caused it, and `Retry-After`."""

    status: int
    source: str
    retry_after: int | None = None

    @property
    def detail(self) -> str:
        """Human-readable reason, e.g. "injected by /_faults (fail_next)"."""
        return f"injected by /_faults ({self.source})"


@dataclass(frozen=True)
class FaultDraw:
    """What happens to one request: seconds of latency, seconds of simulated hang, an error."""

    latency: float = 0.0
    timeout: float = 0.0
    error: InjectedError | None = None


def validate_field(name: str, value: Any, rules: Mapping[str, FieldRule]) -> int | float | None:
    """Check one field against its rule and return it as int/float.

    :raises FaultFieldError: wrong type or out of bounds.
    """
    kind, minimum, maximum = rules[name]
    if value is None and name in NULLABLE_FIELDS:
        return None
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if not is_number or (kind == "int" and not float(value).is_integer()):
        raise FaultFieldError(f"{name} must be {'an integer' if kind == 'int' else 'a number'}")
    if value < minimum or (maximum is not None and value > maximum):
        bounds = f"≥ {minimum}" if maximum is None else f"between {minimum} and {maximum}"
        raise FaultFieldError(f"{name} must be {bounds}")
    return int(value) if kind == "int" else float(value)


def parse_update(body: Any, rules: Mapping[str, FieldRule]) -> dict[str, int | float | None]:
    """Validate a `POST /_faults` body (a JSON object of known fields) and return typed values.

    :raises FaultFieldError: not an object, unknown fields, or a bad value.
    """
    if not isinstance(body, dict):
        raise FaultFieldError("body must be a JSON object")
    unknown = sorted(set(body) - set(rules))
    if unknown:
        raise FaultFieldError(f"unknown fault fields: {', '.join(unknown)}")
    return {name: validate_field(name, value, rules) for name, value in body.items()}


def make_rng(seed: int | None, default_seed: int) -> random.Random:
    """The RNG for rate-based faults: `seed` when given, else the simulator's default seed."""
    return random.Random(seed if seed is not None else default_seed)


def draw(settings: FaultSwitches, rng: random.Random) -> FaultDraw:
    """Decide the faults of one request, consuming `fail_next` / `rate_limit_next` counters.

    The caller holds the simulator's lock (the counters and the RNG are shared state).
    """
    latency = settings.latency_ms / 1000.0
    timeout = 0.0
    if settings.timeout_rate > 0 and rng.random() < settings.timeout_rate:
        timeout = settings.timeout_seconds
    error: InjectedError | None = None
    if settings.fail_next > 0:
        settings.fail_next -= 1
        error = InjectedError(settings.error_status, "fail_next")
    elif settings.rate_limit_next > 0:
        settings.rate_limit_next -= 1
        error = InjectedError(429, "rate_limit_next", retry_after=settings.retry_after)
    elif settings.error_rate > 0 and rng.random() < settings.error_rate:
        error = InjectedError(settings.error_status, "error_rate")
    return FaultDraw(latency=latency, timeout=timeout, error=error)


def perform_delays(outcome: FaultDraw, sleep: Callable[[float], None]) -> None:
    """Sleep the injected latency, then the simulated timeout (outside any lock)."""
    if outcome.latency > 0:
        sleep(outcome.latency)
    if outcome.timeout > 0:
        sleep(outcome.timeout)


class FaultState(Protocol):
    """What a simulator's state offers the shared `/_faults` handling."""

    lock: Any
    faults: Any
    fault_rng: random.Random
    seed: int
    sleep: Callable[[float], None]

    def default_faults(self) -> Any:
        """The start-up settings."""


def update_settings(
    st: FaultState,
    method: str,
    body: Any,
    rules: Mapping[str, FieldRule],
    on_change: Callable[[], None] | None = None,
    on_reset: Callable[[], None] | None = None,
) -> dict[str, Any]:
    """Apply `GET|POST|DELETE /_faults` to a simulator and return its settings as JSON.

    POST merges the validated fields (raises FaultFieldError); DELETE restores the start-up
    settings. `on_change`/`on_reset` run under the lock for simulator-specific extras.
    """
    if method == "POST":
        values = parse_update(body, rules)
        with st.lock:
            for name, value in values.items():
                setattr(st.faults, name, value)
            if "seed" in values:
                st.fault_rng = make_rng(st.faults.seed, st.seed)
            if on_change:
                on_change()
    elif method == "DELETE":
        with st.lock:
            st.faults = st.default_faults()
            st.fault_rng = make_rng(None, st.seed)
            if on_reset:
                on_reset()
    with st.lock:
        return st.faults.to_json()


def injected_error(st: FaultState) -> InjectedError | None:
    """Draw this request's faults, sleep its delays (outside the lock), return the error to answer."""
    with st.lock:
        outcome = draw(st.faults, st.fault_rng)
    perform_delays(outcome, st.sleep)
    return outcome.error
