"""The one place that says which errors are transient and which are final.

Transient: the database connection dropped or the server failed over, a deadlock or
serialization failure, SQLite busy, the object store or broker hiccupped, the work disk is
full or failing. The batch is released (back to PENDING) and retried with backoff; editors
see nothing but "waiting" until the retries are exhausted, and then a message that says it
is not their file's fault.

Final: the input itself (``TranscodeError``, ``MediaRejectedError``), a time limit, or a
bug (anything unknown, recorded with its traceback for the operators).
"""

from __future__ import annotations

import errno
import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError, connections
from django.utils.translation import gettext_lazy as _

from .exceptions import MediaRejectedError, TranscodeError, TransientMediaError

logger = logging.getLogger(__name__)

# errno values of the work disk (or any local file) that say nothing about the input.
TRANSIENT_ERRNOS = {
    errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.ENOMEM, errno.EAGAIN, errno.EMFILE,
    errno.ENFILE, errno.ECONNRESET, errno.ECONNREFUSED, errno.ETIMEDOUT, errno.EPIPE,
}  # fmt: skip
# What ffmpeg prints when its output could not be written for the same reasons.
TRANSIENT_FFMPEG_MESSAGES = (
    "No space left on device",
    "Disk quota exceeded",
    "Input/output error",
    "Cannot allocate memory",
)
WORK_DISK_FULL = _(
    "The worker's work disk (MEDIA_WORK_DIR) is full or too small for this file. An "
    "administrator must free or add space; the conversion is retried automatically."
)
TEMPORARY_TROUBLE = _(
    "The conversion was interrupted by a technical problem on the server (database, storage "
    "or network), not by the file. It was retried several times; try again later."
)
TOOK_TOO_LONG = _("Converting the file took too long and was stopped.")
UNEXPECTED = _("Processing failed unexpectedly; try again later.")
GAVE_UP = _(
    "The worker stopped responding %(count)s times while converting this file (it may have "
    "run out of memory). Conversion was stopped; please check the file or ask an "
    "administrator."
)


def _storage_errors() -> tuple[type[BaseException], ...]:
    from botocore.exceptions import BotoCoreError, ClientError

    return (BotoCoreError, ClientError)


def _broker_errors() -> tuple[type[BaseException], ...]:
    from kombu.exceptions import OperationalError as BrokerError

    return (BrokerError,)


def is_transient(exc: BaseException) -> bool:
    """True if retrying the same work later may succeed."""
    if isinstance(exc, TransientMediaError):
        return True
    if isinstance(exc, (TranscodeError, MediaRejectedError, SoftTimeLimitExceeded)):
        return False
    if not isinstance(exc, Exception):
        # SystemExit, KeyboardInterrupt: the worker is being stopped, the input is fine.
        return True
    if isinstance(exc, (OperationalError, InterfaceError)):
        # Connection lost, server restarting, deadlock, serialization failure, SQLite busy.
        return True
    if isinstance(exc, _storage_errors() + _broker_errors()):
        return True
    if isinstance(exc, OSError):
        return exc.errno in TRANSIENT_ERRNOS or isinstance(exc, ConnectionError)
    return False


def final_message(exc: BaseException) -> tuple[object, str]:
    """(message for editors, technical detail) of an error that ends an attempt for good."""
    if isinstance(exc, (TranscodeError, MediaRejectedError)):
        return exc.message, getattr(exc, "detail", "")
    if isinstance(exc, SoftTimeLimitExceeded):
        return TOOK_TOO_LONG, ""
    if isinstance(exc, TransientMediaError):
        return exc.message or TEMPORARY_TROUBLE, exc.detail
    if is_transient(exc):
        return _message_of_transient(exc), repr(exc)
    return UNEXPECTED, repr(exc)


def _message_of_transient(exc: BaseException):
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return WORK_DISK_FULL
    return TEMPORARY_TROUBLE


def as_transient(exc: BaseException, context: str = "") -> TransientMediaError:
    """``exc`` as a TransientMediaError, with the message its kind deserves (a full disk is
    not a network problem)."""
    if isinstance(exc, TransientMediaError):
        return exc
    detail = f"{context}: {exc!r}" if context else repr(exc)
    return TransientMediaError(detail, _message_of_transient(exc))


def check_process_output(stderr: str) -> None:
    """Raise TransientMediaError if a failed ffmpeg says the disk, not the input, was at
    fault (its exit status alone cannot tell)."""
    for text in TRANSIENT_FFMPEG_MESSAGES:
        if text in stderr:
            message = WORK_DISK_FULL if "space" in text or "quota" in text else TEMPORARY_TROUBLE
            raise TransientMediaError(stderr[-2000:], message)


def reset_database_connections() -> None:
    """After a database error: drop connections that are broken, so the next query opens a
    fresh one (a failover or a terminated backend leaves a dead socket behind). Connections
    inside a transaction are left alone (their owner must roll back first)."""
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block or connection.connection is None:
            continue
        try:
            broken = not connection.is_usable()
        except Exception:  # noqa: BLE001 - a dead connection may fail in any way
            broken = True
        if broken:
            try:
                connection.close()
            except Exception:  # noqa: BLE001 - closing a dead connection may fail too
                connection.connection = None
