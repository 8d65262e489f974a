"""Counting at request time: no aggregation, and no database round trip per request.

An event is appended to a small per-process buffer that is written with one bulk INSERT
when it holds ``FLUSH_EVENTS`` events or its oldest is ``FLUSH_SECONDS`` old (checked on the
next event), and when the process exits; the fold writes its own process's buffer first. On
SQLite a single-row INSERT per request costs a synced commit (milliseconds); this way a
request costs a hash and a list append. A killed process loses at most its unwritten buffer.

A listener is ``HMAC(salt of the day, network + User-Agent + item)``, where the network is the
IPv4 address or the IPv6 /64. The salt is random, made on first use each day (UTC) and kept
for two days in the cache (when it is shared, e.g. Redis) or in a file under ``VAR_DIR``
(the embedded default, shared by the processes of one host) — never in the database beside
the hashes. Each event carries the hash under today's and under yesterday's salt, so the fold
can follow one listener across midnight for IAB's rolling 24 hours; once a salt is gone,
nothing links the hashes to anyone. Neither the address nor the User-Agent is stored or logged.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import hashlib
import hmac
import ipaddress
import math
import re
import secrets
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from cms.core.media_serving import parse_range

from .models import EnclosureRequest, FeedFetch, PageView, PlayEvent
from .user_agents import classify

# IAB: a request for at most two bytes (Apple's "bytes=0-1") only probes the file.
PROBE_BYTES = 2
# When a file's duration is unknown: one minute at 128 kbit/s.
UNKNOWN_DURATION_MINUTE_BYTES = 128_000 // 8 * 60
_SUBSCRIBERS = re.compile(r"(\d{1,9})\s+(?:subscribers|readers)\b", re.IGNORECASE)
FLUSH_EVENTS = 200
FLUSH_SECONDS = 10.0
_salts: dict[str, bytes | None] = {}
_buffer: list = []
_buffer_since = 0.0
_lock = threading.Lock()


def _append(event) -> None:
    global _buffer_since
    with _lock:
        if not _buffer:
            _buffer_since = time.monotonic()
        _buffer.append(event)
        due = len(_buffer) >= FLUSH_EVENTS or time.monotonic() - _buffer_since >= FLUSH_SECONDS
    if due:
        flush()


def flush() -> int:
    """Write this process's buffered events (one bulk INSERT per kind); returns how many."""
    global _buffer
    with _lock:
        events, _buffer = _buffer, []
    by_model: dict[type, list] = {}
    for event in events:
        by_model.setdefault(type(event), []).append(event)
    for model, rows in by_model.items():
        model.objects.bulk_create(rows, batch_size=1000)
    return len(events)


def discard_buffer() -> None:
    """Forget unwritten events (tests: the rows belong to a rolled-back database)."""
    with _lock:
        _buffer.clear()


@atexit.register
def _flush_at_exit() -> None:
    with contextlib.suppress(Exception):  # the database may be gone at exit
        flush()


def _uses_shared_cache() -> bool:
    return "locmem" not in settings.CACHES["default"]["BACKEND"].lower()


def salt_for(day: dt.date, create: bool = True) -> bytes | None:
    """The salt of a UTC day; None when it is gone (or not made yet and ``create`` is off)."""
    key = day.isoformat()
    if key in _salts:
        return _salts[key]
    salt = _read_salt(key, create)
    if len(_salts) > 4:
        _salts.clear()
    # A missing salt of a past day stays missing (only today's is ever made): remembered, so
    # a request costs no cache or file look-up for it.
    if salt is not None or day < timezone.now().astimezone(dt.UTC).date():
        _salts[key] = salt
    return salt


def _read_salt(key: str, create: bool) -> bytes | None:
    if _uses_shared_cache():
        cache_key = f"reach:salt:{key}"
        if create:
            cache.add(cache_key, secrets.token_hex(32), timeout=2 * 24 * 60 * 60)
        value = cache.get(cache_key)
        return bytes.fromhex(value) if value else None
    folder = Path(settings.VAR_DIR) / "reach" / "salts"
    path = folder / key
    if not path.exists():
        if not create:
            return None
        folder.mkdir(parents=True, exist_ok=True)
        _remove_old_salts(folder)
        try:
            with path.open("x") as handle:  # the first process of the day writes it
                path.chmod(0o600)
                handle.write(secrets.token_hex(32))
        except FileExistsError:
            pass
    value = path.read_text().strip()
    return bytes.fromhex(value) if value else None


def _remove_old_salts(folder: Path) -> None:
    keep = {(timezone.now().date() - dt.timedelta(days=n)).isoformat() for n in (0, 1)}
    for old in folder.iterdir():
        if old.name not in keep:
            old.unlink(missing_ok=True)


def client_network(request) -> str:
    """The client's IPv4 address or IPv6 /64, from REMOTE_ADDR or the trusted proxy header
    (REACH_CLIENT_IP_HEADER; with several addresses the last one, which our proxy added)."""
    raw = ""
    header = settings.REACH_CLIENT_IP_HEADER
    if header:
        raw = request.headers.get(header, "").split(",")[-1].strip()
    raw = raw or request.META.get("REMOTE_ADDR", "")
    try:
        address = ipaddress.ip_address(raw.strip("[]"))
    except ValueError:
        return ""
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def pseudonyms(request, item: str, now: dt.datetime) -> tuple[str, str]:
    """(hash under today's salt, hash under yesterday's salt or '')."""
    message = "\n".join(
        (client_network(request), request.headers.get("User-Agent", ""), item)
    ).encode()
    today = now.astimezone(dt.UTC).date()
    current = hmac.new(salt_for(today), message, hashlib.sha256).hexdigest()[:32]
    previous_salt = salt_for(today - dt.timedelta(days=1), create=False)
    previous = (
        hmac.new(previous_salt, message, hashlib.sha256).hexdigest()[:32] if previous_salt else ""
    )
    return current, previous


def download_threshold(size: int, duration: float | None) -> int:
    """Bytes a listener must ask for to make a download: one minute of the file (its share
    of the bytes), or the whole file when it is shorter than a minute."""
    if duration and duration > 60:
        return min(size, math.ceil(size * 60 / duration))
    if duration:
        return size
    return min(size, UNKNOWN_DURATION_MINUTE_BYTES)


def record_enclosure_request(
    request, *, kind: str, item_id: int, size: int | None, duration: float | None, private: bool
) -> bool:
    """Log a GET of an enclosure for the fold; True when a row was written."""
    if request.method != "GET" or not size or not settings.REACH_COUNTING:
        return False
    byte_range = parse_range(request.headers.get("Range", ""), size)
    if byte_range is False:
        return False
    first, last = byte_range or (0, size - 1)
    if last - first + 1 <= PROBE_BYTES:
        return False
    agent = classify(request.headers.get("User-Agent", ""))
    if agent.bot:
        return False
    now = timezone.now()
    listener, listener_prev = pseudonyms(request, f"{kind}:{item_id}", now)
    _append(
        EnclosureRequest(
            at=now,
            kind=kind,
            item_id=item_id,
            private=private,
            listener=listener,
            listener_prev=listener_prev,
            first_byte=first,
            last_byte=last,
            threshold=download_threshold(size, duration),
            app=agent.app[:100],
            platform=agent.platform[:100],
        )
    )
    return True


def record_feed_fetch(request, feed: str) -> bool:
    """Aggregators name their subscribers in the User-Agent ("Feedly/1.0; 123 subscribers")."""
    if request.method != "GET" or not settings.REACH_COUNTING:
        return False
    user_agent = request.headers.get("User-Agent", "")
    match = _SUBSCRIBERS.search(user_agent)
    if not match:
        return False
    agent = classify(user_agent)
    app = agent.app or user_agent.split("/", 1)[0].split(" ", 1)[0][:40]
    _append(
        FeedFetch(at=timezone.now(), feed=feed, app=app[:100], subscribers=int(match.group(1)))
    )
    return True


def record_play(request, video_id: int, milestone: int, embed_domain: str) -> bool:
    if not settings.REACH_COUNTING or classify(request.headers.get("User-Agent", "")).bot:
        return False
    now = timezone.now()
    viewer, _previous = pseudonyms(request, f"play:{video_id}", now)
    _append(
        PlayEvent(
            at=now,
            video_id=video_id,
            viewer=viewer,
            milestone=milestone,
            embed_domain=embed_domain,
        )
    )
    return True


def record_page_view(request, page) -> bool:
    """Server-side page view: GET, not a preview, not a bot; the referrer only as a host name
    of another site."""
    if (
        request.method != "GET"
        or not settings.REACH_COUNTING
        or getattr(request, "is_preview", False)
        or classify(request.headers.get("User-Agent", "")).bot
    ):
        return False
    referrer = urlsplit(request.headers.get("Referer", "")).hostname or ""
    if referrer == request.get_host().split(":")[0].lower():
        referrer = ""
    locale = getattr(page, "locale", None)
    _append(
        PageView(
            at=timezone.now(),
            page_id=page.pk,
            referrer=referrer[:253],
            language=(locale.language_code if locale else "")[:10],
        )
    )
    return True
