"""What a batch hands from transcoding to storing: plain, frozen data."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Output:
    """One verified output in the work folder, ready to be stored.

    ``siblings`` are further files stored with it under names relative to the rendition's
    folder (HLS playlists and segments, the sprite's WebVTT track); the main file is stored
    last. ``warning`` is shown to editors although the output is READY. ``text`` is kept on
    the row for the editors' search in the admin (the words of a speech draft).
    """

    path: Path
    duration: float | None = None
    width: int | None = None
    height: int | None = None
    loudness_lufs: float | None = None
    true_peak_dbtp: float | None = None
    siblings: tuple[tuple[str, Path], ...] = field(default=())
    warning: str = ""
    text: str = ""

    @property
    def size(self) -> int:
        """Bytes stored for the rendition: its file and every sibling."""
        return self.path.stat().st_size + sum(path.stat().st_size for _, path in self.siblings)

    @property
    def bitrate(self) -> int | None:
        if not self.duration or self.siblings:
            return None
        return int(self.size * 8 / self.duration)
