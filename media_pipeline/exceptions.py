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


class DuplicateMediaError(MediaRejectedError):
    """The very same file (same SHA-256) was uploaded before: ``existing`` is that MediaFile,
    offered instead of storing and transcoding the file a second time."""

    def __init__(self, message, existing):
        super().__init__(message)
        self.existing = existing
