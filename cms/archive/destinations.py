"""Where an archive is written: a local folder (any web server can serve it)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath


class UnsafeArchivePathError(ValueError):
    pass


class LocalDestination:
    """A folder. Paths are POSIX paths relative to it; writes are atomic (temp file, rename)."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root).resolve()

    def _full(self, path: str) -> Path:
        relative = PurePosixPath(path)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise UnsafeArchivePathError(path)
        return self.root.joinpath(*relative.parts)

    def exists(self, path: str) -> bool:
        return self._full(path).is_file()

    def read_bytes(self, path: str) -> bytes | None:
        full = self._full(path)
        return full.read_bytes() if full.is_file() else None

    def write_chunks(self, path: str, chunks: Iterable[bytes]) -> tuple[str, int]:
        """Write ``chunks`` to ``path``; returns (sha256 hex, size)."""
        full = self._full(path)
        full.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        handle, temporary = tempfile.mkstemp(dir=full.parent, prefix=".archive-")
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in chunks:
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
            os.chmod(temporary, 0o644)
            os.replace(temporary, full)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return digest.hexdigest(), size

    def delete(self, path: str) -> None:
        full = self._full(path)
        full.unlink(missing_ok=True)
        # Remove folders left empty, never the root itself.
        parent = full.parent
        while parent != self.root and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
