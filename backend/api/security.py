"""The agent-token gate for sidebar endpoints: verify the ZAF JWT, expose who is calling."""

from __future__ import annotations

from functools import wraps

from flask import current_app, g, request

from backend.auth import AgentIdentity, JwtPolicy, bearer_token, verify_agent_token


def jwt_policy() -> JwtPolicy:
    """The token limits from settings."""
    settings = current_app.extensions["psz"].settings
    return JwtPolicy(
        audience=settings.JWT_AUDIENCE,
        max_lifetime_seconds=settings.JWT_MAX_LIFETIME_SECONDS,
        leeway_seconds=settings.JWT_LEEWAY_SECONDS,
    )


def agent_required(view):
    """Reject the request with 401 unless it carries a valid sidebar JWT."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        token = bearer_token(request.headers.get("Authorization"))
        g.agent = verify_agent_token(token, current_app.extensions["psz"].tenants, jwt_policy())
        return view(*args, **kwargs)

    return wrapper


def current_agent() -> AgentIdentity:
    """The verified caller of this request (only inside `agent_required` views)."""
    return g.agent
