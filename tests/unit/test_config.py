"""Settings: clear messages for bad values, no secret defaults outside demo mode."""

from __future__ import annotations

import pytest

from backend.config import ConfigError, Settings

PROD = {
    "PSZ_PHOTOSHELTER_API_KEY": "k" * 32,
    "PSZ_PHOTOSHELTER_EMAIL": "ops@brand.example",
    "PSZ_PHOTOSHELTER_PASSWORD": "pw",
    "PSZ_ZENDESK_SUBDOMAIN": "acme",
    "PSZ_SHARED_SECRET": "s" * 40,
    "PSZ_ZENDESK_EMAIL": "ops@acme.example",
    "PSZ_ZENDESK_API_TOKEN": "z" * 40,
}


def test_demo_mode_is_on_without_photoshelter_credentials(tmp_path):
    settings = Settings.load(environ={}, secret_file=tmp_path / "secret")
    assert settings.DEMO is True
    assert len(settings.DEMO_SHARED_SECRET) >= 32
    # The generated secret is kept so the server and `demo-token` agree on it.
    again = Settings.load(environ={}, secret_file=tmp_path / "secret")
    assert again.DEMO_SHARED_SECRET == settings.DEMO_SHARED_SECRET
    assert (tmp_path / "secret").stat().st_mode & 0o077 == 0


def test_production_settings_load():
    settings = Settings.load(environ=PROD)
    assert settings.DEMO is False
    assert settings.ZENDESK_SUBDOMAIN == "acme"
    assert "s" * 40 not in repr(settings)
    assert "k" * 32 not in repr(settings)


def test_every_problem_is_reported_at_once():
    env = {
        "PSZ_PHOTOSHELTER_API_KEY": "k" * 32,
        "PSZ_SHARED_SECRET": "short",
        "PSZ_CACHE_TTL_SECONDS": "soon",
    }
    with pytest.raises(ConfigError) as info:
        Settings.load(environ=env)
    assert any("CACHE_TTL_SECONDS" in p for p in info.value.problems)
    env.pop("PSZ_CACHE_TTL_SECONDS")
    with pytest.raises(ConfigError) as info:
        Settings.load(environ=env)
    text = str(info.value)
    assert (
        "PSZ_SHARED_SECRET" in text and "PSZ_ZENDESK_SUBDOMAIN" in text and "PSZ_PHOTOSHELTER_EMAIL" in text
    )


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("PSZ_PUBLIC_URL", "ftp://x", "http(s) URL"),
        ("PSZ_EXPIRING_SOON_DAYS", "0", "between 1 and 365"),
        ("PSZ_HTTP_TIMEOUT_SECONDS", "abc", "expected a number"),
        ("PSZ_DEMO", "maybe", "true/false"),
        ("PSZ_REDIS_URL", "http://localhost", "redis://"),
        ("PSZ_PHOTOSHELTER_ORG_ID", "O123", "O0000"),
        ("PSZ_LOG_LEVEL", "LOUD", "DEBUG"),
        ("PSZ_CACHE_TYPE", "Memcached", "SimpleCache"),
    ],
)
def test_bad_values_name_the_variable(name, value, fragment):
    with pytest.raises(ConfigError) as info:
        Settings.load(environ={**PROD, name: value})
    assert name in str(info.value) and fragment in str(info.value)


def test_unknown_override_is_rejected():
    with pytest.raises(ConfigError, match="unknown setting"):
        Settings.load({"NOT_A_SETTING": 1}, environ=PROD)


def test_forcing_production_without_credentials_fails():
    with pytest.raises(ConfigError, match="PHOTOSHELTER_API_KEY"):
        Settings.load(environ={"PSZ_DEMO": "false"})


def test_cache_type_follows_redis_url():
    assert Settings.load(environ=PROD).cache_type == "SimpleCache"
    assert Settings.load(environ={**PROD, "REDIS_URL": "redis://127.0.0.1:6379/0"}).cache_type == "RedisCache"
