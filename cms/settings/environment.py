"""Reading the process environment into settings values.

Every setting that an operator may change comes from an environment variable (12-factor).
Invalid values raise :class:`ConfigurationError` with one sentence that names the variable;
``manage.py``, ``wsgi.py`` and the Celery app print that sentence and exit instead of a
traceback (see :func:`exit_on_configuration_error`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

DATABASE_SCHEMES = {"sqlite", "postgres", "postgresql", "pgsql"}
BROKER_SCHEMES = {"filesystem", "redis", "rediss", "amqp", "pyamqp"}
CACHE_SCHEMES = {"redis", "rediss", "locmem"}


class ConfigurationError(ImproperlyConfigured):
    """A setting from the environment is missing or malformed; the message is one line."""


def exit_on_configuration_error() -> None:
    """Load the settings now; on a configuration error print one line and exit with 2.

    Called at the top of every entry point (manage.py, wsgi, celery) so operators see
    ``lernfunk: configuration error: …`` rather than a Django traceback.
    """
    from django.conf import settings

    try:
        settings.INSTALLED_APPS  # noqa: B018 - forces the settings module to load
    except ConfigurationError as exc:
        sys.stderr.write(f"lernfunk: configuration error: {exc}\n")
        raise SystemExit(2) from None


def get_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{name}={raw!r} is not a boolean; use 1/0, true/false or on/off.")


def get_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigurationError(f"{name}={raw!r} is not a whole number.") from None


def get_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def get_str(name: str, default: str = "") -> str:
    return os.environ.get(name, "") or default


def get_url_list(name: str) -> list[str]:
    """A comma-separated list of absolute http(s) URLs; empty when unset."""
    urls = get_list(name, [])
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigurationError(f"{name} must list absolute http(s) URLs; got {url!r}.")
    return urls


def _scheme_of(name: str, url: str, allowed: set[str]) -> str:
    scheme = urlsplit(url).scheme if "://" in url else ""
    if scheme not in allowed:
        examples = ", ".join(sorted(allowed))
        raise ConfigurationError(
            f"{name} must be a URL like scheme://…; got {url!r} (supported schemes: {examples})."
        )
    return scheme


EMAIL_SCHEMES = {"smtp", "smtps", "smtp+tls", "smtp+ssl", "consolemail", "filemail", "memorymail"}


def email_config() -> dict:
    """EMAIL_URL (e.g. ``smtp+tls://user:password@mail.example.org:587``) → Django's EMAIL_*
    settings, parsed by django-environ; {} when unset (EMAIL_BACKEND decides)."""
    url = get_str("EMAIL_URL")
    if not url:
        return {}
    _scheme_of("EMAIL_URL", url, EMAIL_SCHEMES)
    config = environ.Env.email_url_config(url)
    config.pop("EMAIL_FILE_PATH", None)
    return config


def database_config(default_sqlite_path: Path) -> dict:
    """DATABASE_URL → a Django DATABASES["default"] dict; SQLite under var/ when unset."""
    url = get_str("DATABASE_URL")
    if not url:
        default_sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(default_sqlite_path),
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    scheme = _scheme_of("DATABASE_URL", url, DATABASE_SCHEMES)
    try:
        config = env.db_url_config(url)
    except (ImproperlyConfigured, ValueError) as exc:
        raise ConfigurationError(f"DATABASE_URL could not be parsed: {exc}") from None
    if scheme != "sqlite" and not config.get("NAME"):
        raise ConfigurationError(
            "DATABASE_URL names no database; expected postgres://USER@HOST:PORT/DBNAME."
        )
    if scheme != "sqlite":
        config["CONN_MAX_AGE"] = get_int("DATABASE_CONN_MAX_AGE", 60)
        config["CONN_HEALTH_CHECKS"] = True
    return config


def broker_url(default: str) -> str:
    url = get_str("CELERY_BROKER_URL", default)
    _scheme_of("CELERY_BROKER_URL", url, BROKER_SCHEMES)
    return url


def filesystem_broker_options(folder: Path) -> dict:
    """kombu file-system transport options: one queue folder shared by producers and workers."""
    return {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "control_folder": str(folder / "control"),
        "processed_folder": str(folder / "processed"),
        "store_processed": False,
    }


def cache_config() -> dict:
    """CACHE_URL (or REDIS_URL) → Django CACHES["default"]; local memory when unset."""
    name = "CACHE_URL" if get_str("CACHE_URL") else "REDIS_URL"
    url = get_str(name)
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    scheme = _scheme_of(name, url, CACHE_SCHEMES)
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": get_str("CACHE_KEY_PREFIX", "lernfunk"),
        "TIMEOUT": get_int("CACHE_TIMEOUT", 300),
    }


S3_VARIABLES = (
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_S3_REGION_NAME",
    "AWS_S3_CUSTOM_DOMAIN",
    "AWS_S3_ADDRESSING_STYLE",
    "AWS_LOCATION",
)


def s3_media_storage() -> dict | None:
    """The django-storages S3 options for media, or None when no S3 variable is set.

    Half a configuration is refused: a bucket is required as soon as any S3 variable is set,
    and access key and secret come together (or neither, for instance roles).
    """
    present = [name for name in S3_VARIABLES if get_str(name)]
    if not present:
        return None
    bucket = get_str("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        raise ConfigurationError(
            f"S3 is half-configured: {', '.join(present)} set but AWS_STORAGE_BUCKET_NAME "
            "is missing."
        )
    key_id, secret = get_str("AWS_ACCESS_KEY_ID"), get_str("AWS_SECRET_ACCESS_KEY")
    if bool(key_id) != bool(secret):
        missing = "AWS_SECRET_ACCESS_KEY" if key_id else "AWS_ACCESS_KEY_ID"
        raise ConfigurationError(
            f"S3 is half-configured: {missing} is missing (set both access key variables, "
            "or neither to use the instance role)."
        )
    endpoint = get_str("AWS_S3_ENDPOINT_URL")
    if endpoint:
        _scheme_of("AWS_S3_ENDPOINT_URL", endpoint, {"http", "https"})
    addressing_style = get_str("AWS_S3_ADDRESSING_STYLE", "path" if endpoint else "auto")
    if addressing_style not in {"path", "virtual", "auto"}:
        raise ConfigurationError(
            f"AWS_S3_ADDRESSING_STYLE={addressing_style!r}; use path, virtual or auto."
        )

    default_acl = get_str("AWS_DEFAULT_ACL")
    if default_acl.startswith("public"):
        raise ConfigurationError(
            f"AWS_DEFAULT_ACL={default_acl!r} would make every object public, uploaded "
            "originals and documents included; unset it (scripts/create_bucket.py makes only "
            "the public media folders readable) or use 'private'."
        )

    from botocore.config import Config

    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint or None,
        "region_name": get_str("AWS_S3_REGION_NAME") or None,
        "access_key": key_id or None,
        "secret_key": secret or None,
        "custom_domain": get_str("AWS_S3_CUSTOM_DOMAIN") or None,
        "location": get_str("AWS_LOCATION"),
        # Published media must have stable URLs (feeds, CDN caches): no signed query strings.
        "querystring_auth": False,
        "file_overwrite": False,
        "default_acl": default_acl or None,
        "client_config": Config(
            s3={"addressing_style": addressing_style},
            signature_version="s3v4",
            # S3-compatible stores (MinIO, Ceph, moto, Hetzner, …) reject the CRC checksums
            # newer botocore sends by default.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            retries={"max_attempts": 5, "mode": "standard"},
        ),
    }
    if endpoint and not options["custom_domain"]:
        # Path-style public URL (endpoint/bucket/key); url() is then stable and unsigned.
        options["url_protocol"] = urlsplit(endpoint).scheme + ":"
    return options


def media_origins(media_url: str, s3_options: dict | None) -> list[str]:
    """Origins media is served from when not from the site itself (for the CSP).

    ``CSP_MEDIA_SOURCES`` (comma-separated) replaces the derived list, e.g. for a CDN in
    front of the bucket that the settings do not name.
    """
    configured = get_list("CSP_MEDIA_SOURCES", [])
    if configured:
        return configured
    origins = []
    if "://" in media_url:
        parts = urlsplit(media_url)
        origins.append(f"{parts.scheme}://{parts.netloc}")
    if s3_options:
        if s3_options.get("custom_domain"):
            origins.append(f"https://{s3_options['custom_domain']}")
        elif s3_options.get("endpoint_url"):
            parts = urlsplit(s3_options["endpoint_url"])
            origins.append(f"{parts.scheme}://{parts.netloc}")
        else:
            origins.append("https://*.amazonaws.com")
    return origins
