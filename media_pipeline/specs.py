"""Rendition specs: parsing, and the default outputs per media kind (the one place for them).

Grammar as in Wagtail's image filters: ``operation-arg-arg`` segments joined by ``|``; the
first segment names the output format. ``RenditionSpec("mp3|bitrate-128k|loudnorm")``.
"""

from __future__ import annotations

import re
from functools import cached_property

from django.conf import settings

from .exceptions import InvalidRenditionSpecError
from .operations import OPERATIONS, FormatOperation, OutputPlan

SPEC_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*(\|[a-z0-9]+(-[a-z0-9]+)*)*$")


class RenditionSpec:
    def __init__(self, spec: str):
        if not isinstance(spec, str) or not SPEC_PATTERN.match(spec):
            raise InvalidRenditionSpecError(f"Not a rendition spec: {spec!r}")
        self.spec = spec
        self.operations  # noqa: B018 - validate now, not in a worker

    def __str__(self):
        return self.spec

    def __repr__(self):
        return f"RenditionSpec({self.spec!r})"

    def __eq__(self, other):
        return isinstance(other, RenditionSpec) and other.spec == self.spec

    def __hash__(self):
        return hash(self.spec)

    @cached_property
    def operations(self):
        operations = []
        for index, segment in enumerate(self.spec.split("|")):
            name, *args = segment.split("-")
            operation_class = OPERATIONS.get(name)
            if operation_class is None:
                raise InvalidRenditionSpecError(f"Unknown operation “{name}” in {self.spec!r}")
            if (index == 0) != issubclass(operation_class, FormatOperation):
                raise InvalidRenditionSpecError(
                    f"A spec starts with exactly one format (mp3, aac, waveform): {self.spec!r}"
                )
            operations.append(operation_class(name, *args))
        names = [operation.name for operation in operations]
        if len(set(names)) != len(names):
            raise InvalidRenditionSpecError(f"Operation given twice in {self.spec!r}")
        return operations

    @cached_property
    def plan(self) -> OutputPlan:
        plan = OutputPlan()
        # Modifiers first so the format can fill in what they left open.
        for operation in self.operations[1:]:
            operation.apply(plan)
        self.operations[0].apply(plan)
        return plan

    @property
    def format_name(self) -> str:
        return self.operations[0].name

    def output_name(self, source_stem: str) -> str:
        """Deterministic file name, as Wagtail's: ``<stem>.<spec, . for |>.<ext>``."""
        return f"{source_stem}.{self.spec.replace('|', '.')}.{self.plan.extension}"


def default_specs(kind: str) -> tuple[str, ...]:
    """The renditions every media file of this kind gets; read from settings so that an
    operator's change marks existing renditions as stale (``regenerate_media_renditions``)."""
    return tuple(getattr(settings, "MEDIA_DEFAULT_RENDITION_SPECS", DEFAULT_RENDITION_SPECS)[kind])


PODCAST_MP3_SPEC = "mp3|bitrate-128k|loudnorm"
PODCAST_AAC_SPEC = "aac|bitrate-96k|loudnorm"
WAVEFORM_SPEC = "waveform|peaks-1000"

DEFAULT_RENDITION_SPECS = {
    "audio": (PODCAST_MP3_SPEC, PODCAST_AAC_SPEC, WAVEFORM_SPEC),
    # The video profile (ladder, HLS, poster, sprite, audio-only) arrives with the explainer
    # video issue; until then a video gets its podcast-audio renditions.
    "video": (PODCAST_MP3_SPEC, PODCAST_AAC_SPEC, WAVEFORM_SPEC),
}
