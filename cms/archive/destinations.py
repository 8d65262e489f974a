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


class StorageDestination:
    """A prefix in a bucket, through the configured S3 storage's options (endpoint,
    credentials, addressing) with another bucket and location, overwriting in place."""

    def __init__(self, url: str):
        from django.conf import settings
        from storages.backends.s3 import S3Storage

        if not settings.S3_MEDIA_OPTIONS:
            raise ValueError("s3:// destinations need the S3 settings (AWS_STORAGE_BUCKET_NAME)")
        bucket, _slash, prefix = url.removeprefix("s3://").partition("/")
        if not bucket:
            raise ValueError(f"{url}: name a bucket, s3://bucket/prefix")
        self.storage = S3Storage(
            **{
                **settings.S3_MEDIA_OPTIONS,
                "bucket_name": bucket,
                "location": prefix.strip("/"),
                "file_overwrite": True,
            }
        )

    @staticmethod
    def _name(path: str) -> str:
        relative = PurePosixPath(path)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise UnsafeArchivePathError(path)
        return relative.as_posix()

    def exists(self, path: str) -> bool:
        return self.storage.exists(self._name(path))

    def read_bytes(self, path: str) -> bytes | None:
        name = self._name(path)
        if not self.storage.exists(name):
            return None
        with self.storage.open(name, "rb") as handle:
            return handle.read()

    def write_chunks(self, path: str, chunks: Iterable[bytes]) -> tuple[str, int]:
        from django.core.files import File

        digest = hashlib.sha256()
        size = 0
        with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as buffer:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                buffer.write(chunk)
            buffer.seek(0)
            self.storage.save(self._name(path), File(buffer))
        return digest.hexdigest(), size

    def delete(self, path: str) -> None:
        self.storage.delete(self._name(path))


def get_destination(dest: str):
    """``s3://bucket/prefix`` or a local folder."""
    if dest.startswith("s3://"):
        return StorageDestination(dest)
    return LocalDestination(dest)
