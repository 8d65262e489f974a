class InvalidRenditionSpecError(ValueError):
    """A spec string names an unknown operation or gives an operation bad arguments."""


class MediaRejectedError(ValueError):
    """The uploaded file is not media we accept; ``message`` is shown to the editor."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class TranscodeError(RuntimeError):
    """ffmpeg failed on this input; retrying will not help. ``message`` is for editors."""

    def __init__(self, message, detail=""):
        super().__init__(str(message))
        self.message = message
        self.detail = detail


class RenditionNotReady(LookupError):
    """The rendition is pending, processing or failed; pages show a placeholder meanwhile."""


class TransientMediaError(RuntimeError):
    """The database, storage, broker or work disk let us down, not the input: the batch goes
    back to the queue and is retried with backoff (``faults.is_transient`` decides).

    ``message`` is for operators and editors once the retries are exhausted."""

    def __init__(self, detail, message=""):
        super().__init__(str(detail))
        self.detail = str(detail)
        self.message = message


class AttemptLost(RuntimeError):
    """The batch was handed to another attempt (the watchdog found this one stale): the worker
    stops, removes what it stored and changes no row."""


class DuplicateMediaError(MediaRejectedError):
    """The very same file (same SHA-256) was uploaded before: ``existing`` is that MediaFile,
    offered instead of storing and transcoding the file a second time."""

    def __init__(self, message, existing):
        super().__init__(message)
        self.existing = existing
