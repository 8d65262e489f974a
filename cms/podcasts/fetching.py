"""Fetching from the web for the podcast import: feeds, cover art, chapters, transcripts, audio.

Every address comes from a feed somebody else controls, so the fetch is defensive: only
``http`` and ``https``; every address a host name resolves to is checked and private,
loopback, link-local and other non-public addresses are refused (unless
``IMPORT_ALLOW_PRIVATE_ADDRESSES``), again after every redirect; the connection goes to the
address that was checked (no second lookup a rebinding DNS server could answer differently);
timeouts on connecting and reading; bodies are streamed and capped.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

CHUNK = 256 * 1024
MAX_REDIRECTS = 5
USER_AGENT = "Lernfunk-Import/1.0 (+podcast move)"


class FetchError(Exception):
    """The address cannot be fetched; ``message`` (translated) says why, for editors."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


class TooLargeError(FetchError):
    pass


@dataclass
class Response:
    url: str  # the final address, after redirects
    content_type: str
    chunks: Iterator[bytes]


def _check_url(url: str) -> tuple[str, str, int]:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        parts, port = None, None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(
            _("“%(url)s” is not a web address (it must start with http:// or https://).")
            % {"url": url[:200]}
        )
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80)


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> str:
    """The address to connect to; every address of ``host`` must be public (or allowed)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(_("The server %(host)s cannot be found.") % {"host": host}) from error
    addresses = [info[4][0] for info in infos]
    if not settings.IMPORT_ALLOW_PRIVATE_ADDRESSES and not all(map(_is_public, addresses)):
        raise FetchError(
            _(
                "%(host)s is an address in a private or local network; the import only "
                "fetches from the public internet."
            )
            % {"host": host}
        )
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def open_url(url: str, *, max_bytes: int, timeout: float | None = None) -> Response:
    """GET ``url`` (following up to five redirects, each checked); the body is streamed in
    chunks and FetchError/TooLargeError is raised while reading once it exceeds
    ``max_bytes`` or the time allowed."""
    timeout = timeout or settings.IMPORT_TIMEOUT
    for _redirect in range(MAX_REDIRECTS + 1):
        scheme, host, port = _check_url(url)
        address = resolve(host, port)
        connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
        connection = connection_class(host, port, address, timeout)
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            connection.request(
                "GET",
                path,
                headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
            )
            response = connection.getresponse()
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            raise FetchError(
                _("%(url)s cannot be reached (%(reason)s).")
                % {"url": url[:200], "reason": error.__class__.__name__}
            ) from error
        if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
            url = urljoin(url, response.getheader("Location"))
            connection.close()
            continue
        if response.status != 200:
            connection.close()
            raise FetchError(
                _("%(url)s answered with HTTP status %(status)s.")
                % {"url": url[:200], "status": response.status}
            )
        length = response.getheader("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            connection.close()
            raise _too_large(url, max_bytes)
        content_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
        return Response(url, content_type, _read(connection, response, url, max_bytes, timeout))
    raise FetchError(_("%(url)s redirects too often.") % {"url": url[:200]})


def _too_large(url: str, max_bytes: int) -> TooLargeError:
    return TooLargeError(
        _("%(url)s is larger than the allowed %(size)s MB.")
        % {"url": url[:200], "size": round(max_bytes / 1_000_000, 1)}
    )


def _read(connection, response, url: str, max_bytes: int, timeout: float) -> Iterator[bytes]:
    # The whole body must arrive within a generous multiple of the timeout: a server that
    # trickles a byte at a time would otherwise hold the import forever.
    deadline = time.monotonic() + max(timeout * 20, 60)
    size = 0
    try:
        while True:
            try:
                chunk = response.read(CHUNK)
            except (OSError, http.client.HTTPException) as error:
                raise FetchError(
                    _("%(url)s cannot be reached (%(reason)s).")
                    % {"url": url[:200], "reason": error.__class__.__name__}
                ) from error
            if not chunk:
                return
            size += len(chunk)
            if size > max_bytes:
                raise _too_large(url, max_bytes)
            if time.monotonic() > deadline:
                raise FetchError(_("%(url)s is too slow to download.") % {"url": url[:200]})
            yield chunk
    finally:
        connection.close()


def fetch_bytes(url: str, *, max_bytes: int) -> tuple[bytes, str, str]:
    """The whole body: ``(body, content type, final url)``."""
    response = open_url(url, max_bytes=max_bytes)
    return b"".join(response.chunks), response.content_type, response.url


def fetch_to_file(url: str, target: Path, *, max_bytes: int) -> str:
    """Stream the body into ``target``; returns the final URL."""
    response = open_url(url, max_bytes=max_bytes)
    with target.open("wb") as handle:
        for chunk in response.chunks:
            handle.write(chunk)
    return response.url
