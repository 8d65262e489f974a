"""Where renditions live in the media storage, and how they get there and go away.

Layout (names relative to the media storage; every URL is ``storage.url(name)``, so local
media and S3 behave the same)::

    media/renditions/<media file id>/<attempt>/<stem>.<spec, | as .>.<ext>
    media/renditions/<id>/<attempt>/<stem>.hls.master/master.m3u8    (+ v0/index.m3u8,
                                                    v0/init.mp4, v0/seg-00000.m4s, …)
    media/renditions/<id>/<attempt>/<stem>.sprite.interval-2.width-160.jpg  (+ .vtt)

``<attempt>`` is the token of the attempt that made the files. Two attempts never write to
the same name, so a late or duplicate worker cannot overwrite or delete what the current one
stored: it removes its own folder and nothing else. A rendition's previous files are removed
once its new ones are committed (``services.store_batch``); the folder of an attempt that
died is removed when the watchdog takes its batch back.

Workers read and write only through the storage API: they may run on other machines than the
web server, with media on S3. The one exception is reading the source, which is hard-linked
into the work folder where the storage has local paths on the same disk
(``download_source``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.storage import default_storage

from .exceptions import TransientMediaError
from .faults import as_transient
from .hls import HLS_MASTER_NAME
from .results import Output
from .specs import RenditionSpec

CHUNK = 1024 * 1024
RENDITIONS_ROOT = "media/renditions"
# Drafts made by speech recognition: never public (not in the bucket's public prefixes, not
# served by the app), read only through the admin.
DRAFTS_ROOT = "media/drafts"
DRAFT_BATCHES = ("speech",)


def storage_errors() -> tuple[type[BaseException], ...]:
    from botocore.exceptions import BotoCoreError, ClientError

    return (OSError, BotoCoreError, ClientError)


def attempt_folder(media_file_id: int, token: str, batch: str = "") -> str:
    root = DRAFTS_ROOT if batch in DRAFT_BATCHES else RENDITIONS_ROOT
    return f"{root}/{media_file_id}/{token}"


def stored_names(folder: str, stem: str, spec: RenditionSpec) -> tuple[str, str]:
    """(main file name, sibling prefix) in storage for a rendition; the prefix is "" for
    single-file outputs. ``folder`` is the attempt's folder."""
    if spec.format_name == "hls":
        prefix = f"{folder}/{stem}.{spec.spec.replace('|', '.')}"
        return f"{prefix}/{HLS_MASTER_NAME}", prefix
    return f"{folder}/{spec.output_name(stem)}", ""


def rendition_file_names(storage, name: str, spec: str) -> list[str]:
    """Every stored file that belongs to a rendition whose file is ``name`` (siblings first,
    the main file last)."""
    if not name:
        return []
    format_name = spec.split("|", 1)[0]
    if format_name == "hls":
        siblings = walk(storage, str(PurePosixPath(name).parent))
        return [*(n for n in siblings if n != name), name]
    if format_name == "sprite":
        return [str(PurePosixPath(name).with_suffix(".vtt")), name]
    return [name]


def walk(storage, prefix: str) -> list[str]:
    """Every file name under ``prefix`` (recursively)."""
    try:
        folders, files = storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError):
        return []
    names = []
    for folder in folders:
        names += walk(storage, f"{prefix}/{folder}")
    return names + [f"{prefix}/{file}" for file in files]


def delete_rendition_files(storage, name: str, spec: str) -> None:
    for file_name in rendition_file_names(storage, name, spec):
        storage.delete(file_name)
    if spec.startswith("hls|"):
        remove_empty_folders(storage, str(PurePosixPath(name).parent))
    # The attempt's folder goes when its last rendition does.
    parent = str(PurePosixPath(name).parent)
    if parent.count("/") == 3 and parent.startswith((RENDITIONS_ROOT + "/", DRAFTS_ROOT + "/")):
        remove_empty_folders(storage, parent)


def delete_attempt_files(media_file_id: int, token: str, storage=None) -> None:
    """Remove everything an attempt stored (it lost its batch, failed or died)."""
    if not token:
        return
    storage = storage or default_storage
    for batch in ("", *DRAFT_BATCHES):
        folder = attempt_folder(media_file_id, token, batch)
        for name in walk(storage, folder):
            storage.delete(name)
        remove_empty_folders(storage, folder)


def remove_empty_folders(storage, prefix: str) -> None:
    """Local storage keeps folders once their files are gone; object stores have no
    folders (``path()`` is not implemented there)."""
    try:
        root = Path(storage.path(prefix))
    except NotImplementedError:
        return
    if not root.is_dir():
        return
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    if not any(root.iterdir()):
        root.rmdir()


def download_source(media_file, target: Path) -> None:
    """Put the source into the work folder at ``target`` and check it is the file that was
    uploaded: a copy cut short by a full disk or a dropped connection must never be taken for
    a broken upload. TransientMediaError if storage, disk or the copy fail.

    Where the media storage is a local file system on the work folder's disk (the embedded
    default, or media and work folder on one shared file system), the stored file is
    hard-linked instead: the workers only ever read it, a link costs nothing, and a 60-minute
    WAV is not copied and hashed (about 3 s, the whole of it before the loudness can be
    measured) nor stored twice on the work disk. Its size is still checked. Anywhere else
    (an object store, another disk) the source is copied through the storage API and its size
    and SHA-256 checked."""
    if _link_local_source(media_file, target):
        return
    digest = hashlib.sha256()
    size = 0
    try:
        with (
            media_file.file.storage.open(media_file.file.name, "rb") as source,
            target.open("wb") as handle,
        ):
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                handle.write(chunk)
    except storage_errors() as exc:
        raise as_transient(exc, "reading the source failed") from exc
    _check_source(media_file, size, digest.hexdigest())


def _link_local_source(media_file, target: Path) -> bool:
    """Hard-link the stored source to ``target`` where the storage has local paths on the same
    disk; False where it cannot be linked (then it is copied)."""
    try:
        stored = media_file.file.storage.path(media_file.file.name)
    except NotImplementedError:
        return False
    try:
        os.link(stored, target)
    except FileNotFoundError as exc:
        raise as_transient(exc, "reading the source failed") from exc
    except OSError:  # another disk (EXDEV), links not allowed: copy it
        return False
    _check_source(media_file, target.stat().st_size, None)
    return True


def _check_source(media_file, size: int, digest: str | None) -> None:
    expected_size, expected_hash = media_file.file_size, media_file.file_hash
    if (expected_size and size != expected_size) or (
        digest is not None and expected_hash and digest != expected_hash
    ):
        raise TransientMediaError(
            f"the source arrived incomplete: {size} of {expected_size} bytes"
        )


def download_rendition(rendition, target: Path) -> None:
    try:
        with rendition.file.open("rb") as source, target.open("wb") as handle:
            shutil.copyfileobj(source, handle, CHUNK)
    except storage_errors() as exc:
        raise as_transient(exc, f"reading rendition {rendition.pk} failed") from exc


def store_output(storage, folder: str, stem: str, spec: RenditionSpec, output: Output) -> str:
    """Save an output (siblings first, its main file last) under the attempt's folder and
    return the main file's storage name. Raises TransientMediaError on storage trouble."""
    main, prefix = stored_names(folder, stem, spec)
    base = prefix or str(PurePosixPath(main).parent)
    try:
        for relative, path in [*output.siblings, (None, output.path)]:
            name = main if relative is None else f"{base}/{relative}"
            with path.open("rb") as handle:
                stored = storage.save(name, File(handle))
            if stored != name:
                # Relative references (playlists, the WebVTT track) need the exact names.
                storage.delete(stored)
                raise TransientMediaError(f"storage renamed {name} to {stored}")
    except storage_errors() as exc:
        raise as_transient(exc, "saving the rendition failed") from exc
    return main
