from __future__ import annotations

from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from .exceptions import RenditionNotReady


class MediaKind(models.TextChoices):
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")


class SourceStatus(models.TextChoices):
    PENDING = "pending", _("Being checked")
    READY = "ready", _("Checked")
    REJECTED = "rejected", _("Rejected")


class RenditionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    PROCESSING = "processing", _("Processing")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def source_upload_to(instance, filename):
    name = PurePosixPath(filename).name
    return f"media/originals/{name}"


def rendition_upload_to(instance, filename):
    return f"media/renditions/{instance.media_file_id}/{PurePosixPath(filename).name}"


class MediaFileQuerySet(models.QuerySet):
    def prefetch_renditions(self, *specs):
        renditions = MediaRendition.objects.defer("text")  # a draft's words: for search only
        if specs:
            renditions = renditions.filter(spec__in=specs)
        return self.prefetch_related(models.Prefetch("renditions", queryset=renditions))


class MediaFile(index.Indexed, models.Model):
    """An uploaded audio or video file: the source every rendition is derived from."""

    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to=source_upload_to, max_length=500)
    kind = models.CharField(_("kind"), max_length=10, choices=MediaKind.choices, blank=True)
    duration = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), null=True, editable=False)
    file_hash = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    probe_data = models.JSONField(_("probe data"), default=dict, blank=True, editable=False)
    source_status = models.CharField(
        _("source status"),
        max_length=10,
        choices=SourceStatus.choices,
        default=SourceStatus.PENDING,
    )
    source_error = models.TextField(_("problem with the file"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MediaFileQuerySet.as_manager()

    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        verbose_name = _("media file")
        verbose_name_plural = _("media files")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def source_stem(self) -> str:
        return PurePosixPath(self.file.name).stem or f"media-{self.pk}"

    def get_rendition(self, spec) -> MediaRendition:
        """Return the READY rendition for ``spec``; raise RenditionNotReady otherwise.

        Never transcodes: that is the workers' job (``services.request_rendition``). Uses
        prefetched renditions when the queryset has them (``prefetch_renditions``).
        """
        spec = str(spec)
        cache = getattr(self, "_prefetched_objects_cache", {}).get("renditions")
        candidates = (
            [r for r in cache if r.spec == spec]
            if cache is not None
            else list(self.renditions.filter(spec=spec))
        )
        for rendition in candidates:
            if rendition.status == RenditionStatus.READY:
                return rendition
        raise RenditionNotReady(spec)

    def video_renditions(self, *, poster_at: float | None = None) -> dict:
        """READY outputs of the video profile by role; see ``roles.video_renditions``."""
        from .roles import video_renditions

        return video_renditions(self, poster_at=poster_at)

    def find_rendition(self, spec) -> MediaRendition | None:
        try:
            return self.get_rendition(spec)
        except RenditionNotReady:
            return None


class MediaRendition(models.Model):
    """One derived file per (media file, spec); its status is what editors watch."""

    media_file = models.ForeignKey(
        MediaFile, on_delete=models.CASCADE, related_name="renditions", verbose_name=_("media")
    )
    spec = models.CharField(_("spec"), max_length=255, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RenditionStatus.choices,
        default=RenditionStatus.PENDING,
        db_index=True,
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    eta_seconds = models.PositiveIntegerField(_("time left (s)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    error_detail = models.TextField(_("technical detail"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    file = models.FileField(_("file"), upload_to=rendition_upload_to, max_length=500, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), null=True, blank=True)
    mime_type = models.CharField(_("MIME type"), max_length=100, blank=True)
    duration = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    bitrate = models.PositiveIntegerField(_("bitrate (bit/s)"), null=True, blank=True)
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    loudness_lufs = models.FloatField(_("loudness (LUFS)"), null=True, blank=True)
    true_peak_dbtp = models.FloatField(_("true peak (dBTP)"), null=True, blank=True)
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    # What the output was made with besides the source: spec, the settings that shape it and
    # the pipeline's own version (``specs.recipe``). A different recipe makes it stale.
    recipe = models.CharField(max_length=64, blank=True, editable=False)
    # The renditions one worker run makes together (``specs.batch_name``): "audio", "video",
    # or an editor's poster frame on its own. Claimed, made, stored and failed as one.
    batch = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    # Token of the attempt that holds the batch (set when claimed). Only its holder may change
    # the rows or store files (under a folder named after it); a late worker changes nothing.
    attempt = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    # When the batch's message was last handed to the broker: a PENDING row whose message was
    # lost is found by the watchdog (``MEDIA_PENDING_TIMEOUT``).
    enqueued_at = models.DateTimeField(null=True, blank=True, editable=False)
    # READY, but not quite as asked (e.g. a near-silent recording that stays under the
    # loudness target); shown to editors next to the rendition.
    warning = models.TextField(_("warning"), blank=True)
    # The words of a speech draft, for the editors' search in the Medien listing only: the
    # public search indexes pages, and a page has them only once an editor has reviewed them.
    text = models.TextField(_("text"), blank=True, editable=False)
    # What was written into the file's tags after rendering (see tagging.py).
    tags_marker = models.CharField(max_length=600, blank=True, editable=False)
    worker = models.CharField(max_length=255, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rendition")
        verbose_name_plural = _("renditions")
        ordering = ["media_file_id", "spec"]
        constraints = [
            # One row per output: get_or_create in request_rendition() relies on it to stay
            # idempotent when uploads, signals and retries race.
            models.UniqueConstraint(fields=("media_file", "spec"), name="unique_media_rendition")
        ]

    def __str__(self):
        return f"{self.media_file} – {self.spec}"

    def save(self, *args, **kwargs):
        if not self.batch:
            from .specs import RenditionSpec

            self.batch = RenditionSpec(self.spec).batch_name
        super().save(*args, **kwargs)

    @property
    def is_ready(self) -> bool:
        return self.status == RenditionStatus.READY

    @property
    def label(self) -> str:
        """The spec in words for editors (“MP4 720p”); the raw spec if it no longer parses."""
        from .exceptions import InvalidRenditionSpecError
        from .specs import RenditionSpec

        try:
            return RenditionSpec(self.spec).label
        except InvalidRenditionSpecError:
            return self.spec

    @property
    def url(self) -> str:
        return self.file.url if self.file else ""
