"""Error mapping (status + vendor id → class), retries and rate limiting through the client."""

from __future__ import annotations

from typing import Any

import pytest
import requests
import responses

from backend.photoshelter import (
    PhotoShelterAuthError,
    PhotoShelterBadRequestError,
    PhotoShelterClient,
    PhotoShelterError,
    PhotoShelterNotFoundError,
    PhotoShelterPermissionError,
    PhotoShelterRateLimitedError,
    PhotoShelterTimeoutError,
    PhotoShelterUnavailableError,
)
from backend.vendor_http import (
    UpstreamAuthError,
    UpstreamBadRequestError,
    UpstreamError,
    UpstreamNotFoundError,
    UpstreamPermissionError,
    UpstreamRateLimitedError,
    UpstreamTimeoutError,
    UpstreamUnavailableError,
)
from tests.unit.photoshelter.helpers import API_KEY, BASE, G1, container, error_body, meta, url

GALLERY = url(f"/galleries/{G1}")


@pytest.mark.parametrize(
    ("status", "body", "ps_cls", "up_cls", "code", "message"),
    [
        (
            403,
            error_body("ApiKeyInvalidException", 403, "Missing or invalid API key"),
            PhotoShelterAuthError,
            UpstreamAuthError,
            "ApiKeyInvalidException",
            "Missing or invalid API key",
        ),
        (
            401,
            error_body("AuthenticationException", 401, "Unauthorized", "Invalid email or password"),
            PhotoShelterAuthError,
            UpstreamAuthError,
            "AuthenticationException",
            "Invalid email or password",
        ),
        (
            401,
            error_body("OAuthServerException", 401, "Unauthorized", "The access token is invalid"),
            PhotoShelterAuthError,
            UpstreamAuthError,
            "OAuthServerException",
            "The access token is invalid",
        ),
        (
            401,
            error_body("AcsPermissionException", 401, "Invalid access to resource: Gallery", "Grant expired"),
            PhotoShelterPermissionError,
            UpstreamPermissionError,
            "AcsPermissionException",
            "Grant expired",
        ),
        (
            403,
            error_body("ForbiddenException", 403, "Forbidden"),
            PhotoShelterPermissionError,
            UpstreamPermissionError,
            "ForbiddenException",
            "Forbidden",
        ),
        (
            404,
            error_body("ResourceNotFoundException", 404, "Not Found", "Gallery not found"),
            PhotoShelterNotFoundError,
            UpstreamNotFoundError,
            "ResourceNotFoundException",
            "Gallery not found",
        ),
        (404, None, PhotoShelterNotFoundError, UpstreamNotFoundError, None, "Not Found"),
        (
            400,
            error_body("BadRequestException", 400, "Bad Request", "per_page must be at most 500"),
            PhotoShelterBadRequestError,
            UpstreamBadRequestError,
            "BadRequestException",
            "per_page must be at most 500",
        ),
        (
            429,
            error_body("TooManyRequestsException", 429, "Too Many Requests"),
            PhotoShelterRateLimitedError,
            UpstreamRateLimitedError,
            "TooManyRequestsException",
            "Too Many Requests",
        ),
        (
            500,
            error_body("InternalServerException", 500, "Internal Server Error"),
            PhotoShelterUnavailableError,
            UpstreamUnavailableError,
            "InternalServerException",
            "Internal Server Error",
        ),
        (
            503,
            error_body("ServiceUnavailableException", 503, "Service Unavailable"),
            PhotoShelterUnavailableError,
            UpstreamUnavailableError,
            "ServiceUnavailableException",
            "Service Unavailable",
        ),
    ],
)
@responses.activate
def test_status_and_error_id_map_to_both_trees(
    status: int,
    body: dict[str, Any] | None,
    ps_cls: type[PhotoShelterError],
    up_cls: type[UpstreamError],
    code: str | None,
    message: str,
) -> None:
    client = PhotoShelterClient(base_url=BASE, api_key=API_KEY, sleep=lambda s: None)
    headers = {"Retry-After": "120"} if status == 429 else {}
    if body is None:
        responses.get(GALLERY, status=status, body="", headers=headers)
    else:
        responses.get(GALLERY, status=status, json=body, headers=headers)
    with pytest.raises(ps_cls) as info:
        client.gallery(G1)
    err = info.value
    assert isinstance(err, up_cls)
    assert isinstance(err, PhotoShelterError)
    assert (err.service, err.status, err.code, err.message) == ("photoshelter", status, code, message)
    assert f"HTTP {status}" in str(err)
    if status == 429:
        assert err.retry_after == 120.0


@pytest.mark.parametrize("status", [401, 403, 404, 400])
@responses.activate
def test_client_errors_are_single_calls(client: PhotoShelterClient, sleeps: list[float], status: int) -> None:
    responses.get(GALLERY, status=status, json=error_body("SomethingException", status, "no"))
    with pytest.raises(PhotoShelterError):
        client.gallery(G1)
    assert len(responses.calls) == 1
    assert sleeps == []


@responses.activate
def test_5xx_retries_are_bounded(client: PhotoShelterClient, sleeps: list[float]) -> None:
    responses.get(GALLERY, status=503, json=error_body("ServiceUnavailableException", 503, "down"))
    with pytest.raises(PhotoShelterUnavailableError):
        client.gallery(G1)
    assert len(responses.calls) == 4  # 1 + max_retries=3
    assert len(sleeps) == 3
    assert sleeps[0] < sleeps[1] < sleeps[2]


@responses.activate
def test_max_retries_is_configurable(sleeps: list[float]) -> None:
    client = PhotoShelterClient(base_url=BASE, api_key=API_KEY, max_retries=1, sleep=sleeps.append)
    responses.get(GALLERY, status=500)
    with pytest.raises(PhotoShelterUnavailableError):
        client.gallery(G1)
    assert len(responses.calls) == 2


@responses.activate
def test_transient_5xx_then_success(client: PhotoShelterClient, sleeps: list[float]) -> None:
    responses.get(GALLERY, status=502, body="Bad Gateway")
    responses.get(GALLERY, json={"data": container(G1, "Spring"), "meta": meta()})
    assert client.gallery(G1).name == "Spring"
    assert len(responses.calls) == 2 and len(sleeps) == 1


@responses.activate
def test_short_retry_after_is_honoured(client: PhotoShelterClient, sleeps: list[float]) -> None:
    responses.get(
        GALLERY,
        status=429,
        headers={"Retry-After": "1"},
        json=error_body("TooManyRequestsException", 429, "Too Many Requests"),
    )
    responses.get(GALLERY, json={"data": container(G1, "Spring")})
    assert client.gallery(G1).id == G1
    assert sleeps == [1.0]


@responses.activate
def test_long_retry_after_raises_for_the_caller_to_reschedule(client: PhotoShelterClient) -> None:
    responses.get(
        GALLERY,
        status=429,
        headers={"Retry-After": "30"},
        json=error_body("TooManyRequestsException", 429, "Too Many Requests"),
    )
    with pytest.raises(PhotoShelterRateLimitedError) as info:
        client.gallery(G1)
    assert info.value.retry_after == 30.0
    assert len(responses.calls) == 1


@pytest.mark.parametrize("exc", [requests.exceptions.ConnectTimeout, requests.exceptions.ReadTimeout])
@responses.activate
def test_timeouts(client: PhotoShelterClient, sleeps: list[float], exc: type[Exception]) -> None:
    responses.get(GALLERY, body=exc("slow"))
    with pytest.raises(PhotoShelterTimeoutError) as info:
        client.gallery(G1)
    assert isinstance(info.value, UpstreamTimeoutError)
    assert isinstance(info.value, PhotoShelterUnavailableError)
    assert len(responses.calls) == 4


@responses.activate
def test_connection_error(client: PhotoShelterClient) -> None:
    responses.get(GALLERY, body=requests.exceptions.ConnectionError("refused"))
    with pytest.raises(PhotoShelterUnavailableError) as info:
        client.gallery(G1)
    assert not isinstance(info.value, PhotoShelterTimeoutError)
    assert info.value.service == "photoshelter"


@responses.activate
def test_draft_singular_error_object_is_understood(client: PhotoShelterClient) -> None:
    responses.get(
        GALLERY, status=404, json={"error": {"id": "ResourceNotFoundException", "title": "Not Found"}}
    )
    with pytest.raises(PhotoShelterNotFoundError) as info:
        client.gallery(G1)
    assert info.value.code == "ResourceNotFoundException"
