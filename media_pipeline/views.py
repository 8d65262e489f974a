"""Admin views of the Medien area: upload, listing with live progress, detail, retry,
download of the original, deletion (refused while live pages use the media), chooser.

Views are interfaces: state changes go through ``uploads.create_media_file`` and
``services.retry_rendition``; nothing here transcodes or writes to storage.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.contrib.admin.utils import quote
from django.core.files.uploadhandler import SkipFile, TemporaryFileUploadHandler
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.forms.choosers import BaseFilterForm, SearchFilterMixin
from wagtail.admin.staticfiles import versioned_static
from wagtail.admin.ui.tables import ButtonsColumnMixin, Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from . import asr, caption_editor, drafts, services, uploads
from .exceptions import DuplicateMediaError, MediaRejectedError
from .forms import MediaChooserFilterForm, MediaUploadForm
from .models import MediaFile, MediaKind, MediaRendition, RenditionStatus, SourceStatus
from .specs import PODCAST_AAC_SPEC, PODCAST_MP3_SPEC
from .subtitles import TextTrackError, load_text_track
from .templatetags.media_pipeline_admin import duration_display, rendition_status_text
from .usage import find_live_pages_using, find_pages_using

PROGRESS_SCRIPT = "media_pipeline/rendition-progress.js"
UPLOAD_RESULT_TEMPLATE = "media_pipeline/admin/includes/upload_result.html"
MAX_PROGRESS_IDS = 500


def too_large_message() -> str:
    # Same wording (and msgid) as the pipeline's own size check.
    return _("The file is larger than the allowed %(size)s MB.") % {
        "size": settings.MEDIA_MAX_UPLOAD_SIZE // 1_000_000
    }


class MediaUploadHandler(TemporaryFileUploadHandler):
    """Streams every uploaded file to a temporary file on disk, never into memory.

    A file that grows past ``MEDIA_MAX_UPLOAD_SIZE`` is dropped at that point (its temporary
    file is closed and removed); its name is kept in ``skipped`` so the view can say why.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.skipped: list[str] = []

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > settings.MEDIA_MAX_UPLOAD_SIZE:
            self.skipped.append(self.file_name)
            raise SkipFile
        return super().receive_data_chunk(raw_data, start)


@dataclass
class UploadResult:
    name: str
    media_file: MediaFile | None = None
    error: str = ""
    inspect_url: str = ""
    # The file had been uploaded before as ``media_file``; nothing new was stored.
    duplicate: bool = False

    @property
    def status(self) -> str:
        if self.error:
            return "refused"
        return "duplicate" if self.duplicate else "accepted"


def wants_json(request) -> bool:
    """The drop zone's script (media-upload.js) sends one file per request and reads the
    outcome as JSON; the plain form without JavaScript gets the HTML page as before."""
    return request.headers.get("X-Requested-With") == "XMLHttpRequest" or (
        "application/json" in request.headers.get("Accept", "")
    )


class MediaUploadView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    model = MediaFile
    permission_required = "add"
    form_class = MediaUploadForm
    template_name = "media_pipeline/admin/upload.html"
    page_title = gettext_lazy("Upload media")
    header_icon = "media"
    index_url_name = None
    add_url_name = None
    inspect_url_name = None

    @method_decorator(csrf_exempt)
    def dispatch(self, request, *args, **kwargs):
        # The handlers must be in place before anything reads the body, and the CSRF check
        # reads it: so CSRF is checked here, after swapping them, instead of by the middleware.
        self.upload_handler = MediaUploadHandler(request)
        request.upload_handlers = [self.upload_handler]
        return csrf_protect(super().dispatch)(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Media")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action_url"] = reverse(self.add_url_name)
        context["max_upload_mb"] = settings.MEDIA_MAX_UPLOAD_SIZE // 1_000_000
        return context

    def form_valid(self, form):
        files = form.cleaned_data["files"]
        skipped = self.upload_handler.skipped
        if not files and not skipped:
            form.add_error("files", _("Choose at least one audio or video file."))
            return self.form_invalid(form)
        title = form.cleaned_data["title"] if len(files) + len(skipped) == 1 else ""
        results = [UploadResult(name, error=too_large_message()) for name in skipped]
        for uploaded in files:
            try:
                media_file = uploads.create_media_file(
                    uploaded, title=title, user=self.request.user
                )
            except DuplicateMediaError as exc:
                results.append(
                    UploadResult(uploaded.name, media_file=exc.existing, duplicate=True)
                )
            except MediaRejectedError as exc:
                results.append(UploadResult(uploaded.name, error=str(exc.message)))
            else:
                results.append(UploadResult(uploaded.name, media_file=media_file))

        for result in results:
            if result.media_file:
                result.inspect_url = reverse(self.inspect_url_name, args=(result.media_file.pk,))
        if wants_json(self.request):
            return self.json_results(results)

        if not any(result.error or result.duplicate for result in results):
            for result in results:
                messages.success(
                    self.request,
                    _("“%(title)s” uploaded; its renditions are being prepared.")
                    % {"title": result.media_file.title},
                )
            return redirect(self.index_url_name)
        if any(result.error for result in results):
            messages.error(self.request, _("Not every file was accepted; see the reasons below."))
        else:
            messages.warning(
                self.request,
                _("Files uploaded before were not stored again; see below."),
            )
        return self.render_to_response(
            self.get_context_data(form=self.form_class(), results=results)
        )

    def form_invalid(self, form):
        if wants_json(self.request):
            errors = [str(error) for errors in form.errors.values() for error in errors]
            return JsonResponse({"results": [], "message": " ".join(errors)}, status=400)
        messages.validation_error(self.request, _("The upload could not be started."), form)
        return super().form_invalid(form)

    def json_results(self, results):
        """The outcome of each file for the drop zone's script: 400 when a file was refused
        (with the same translated reason the form shows), 201 when one was stored, 200 when
        every file had been uploaded before. ``html`` is the result list item's content, so
        both ways of uploading word the outcome alike. No flash messages: the page that sent
        the request shows the outcome itself."""
        data = []
        for result in results:
            item = {
                "name": result.name,
                "status": result.status,
                "html": render_to_string(
                    UPLOAD_RESULT_TEMPLATE, {"result": result}, request=self.request
                ),
            }
            if result.error:
                item["message"] = result.error
            if result.media_file:
                item.update(title=result.media_file.title, url=result.inspect_url)
            data.append(item)
        if any(result.error for result in results):
            status = 400
        elif all(result.duplicate for result in results):
            status = 200
        else:
            status = 201
        return JsonResponse({"results": data}, status=status)


class MediaTitleColumn(ButtonsColumnMixin, TitleColumn):
    """Title linking to the detail page, with the listing's action buttons."""

    def __init__(self, name, *, view, **kwargs):
        super().__init__(name, get_url=view.get_inspect_url, **kwargs)
        self.view = view

    def get_buttons(self, instance, parent_context):
        return self.view.get_list_buttons(instance)


class DurationColumn(Column):
    def get_value(self, instance):
        return duration_display(super().get_value(instance))


class RenditionsColumn(Column):
    """Every rendition as a labelled <progress>; updated in place by the progress script."""

    cell_template_name = "media_pipeline/admin/renditions_cell.html"

    def __init__(self, name, *, progress_url, **kwargs):
        super().__init__(name, **kwargs)
        self.progress_url = progress_url

    def get_value(self, instance):
        return list(instance.renditions.all())  # prefetched by the listing

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["renditions"] = context["raw_value"]
        context["progress_url"] = self.progress_url
        return context

    @property
    def media(self):
        return forms.Media(js=[versioned_static(PROGRESS_SCRIPT)])


class DraftMatchColumn(Column):
    """Where the search found a file by the words of its unreviewed speech draft."""

    cell_template_name = "media_pipeline/admin/draft_match_cell.html"

    def __init__(self, name, *, view, **kwargs):
        super().__init__(name, **kwargs)
        self.view = view

    def get_value(self, instance):
        return self.view.draft_excerpts.get(instance.pk, "")

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["draft_label"] = asr.DRAFT_LABEL
        return context


class MediaFileIndexView(generic.IndexView):
    """The Medien listing. Its search finds a file by its title or by the words of its speech
    draft (labelled as unreviewed): drafts are for editors, never in the public search."""

    progress_url_name = None
    draft_excerpts: dict[int, str] = {}

    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_renditions()

    @cached_property
    def searches_drafts(self) -> bool:
        """Only for whoever may open a draft in the caption editor ("change" on media), not
        for someone who may only upload or view files."""
        return self.is_searching and self.permission_policy.user_has_permission(
            self.request.user, "change"
        )

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        if not self.searches_drafts:
            return queryset.filter(title__icontains=self.search_query)
        by_draft = drafts.find_drafts_with(self.search_query).values("media_file_id")
        return queryset.filter(Q(title__icontains=self.search_query) | Q(pk__in=by_draft))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.searches_drafts:
            ids = [media_file.pk for media_file in context["object_list"]]
            self.draft_excerpts = drafts.draft_excerpts(ids, self.search_query)
        return context

    @cached_property
    def columns(self):
        return [
            MediaTitleColumn("title", label=_("Title"), sort_key="title", view=self),
            Column("kind", label=_("Kind"), accessor="get_kind_display", sort_key="kind"),
            DurationColumn("duration", label=_("Duration"), sort_key="duration"),
            Column("source_status", label=_("File"), accessor="get_source_status_display"),
            RenditionsColumn(
                "renditions", label=_("Renditions"), progress_url=reverse(self.progress_url_name)
            ),
            DateColumn("created_at", label=_("Uploaded"), sort_key="created_at"),
            *(
                [DraftMatchColumn("draft_match", label=_("Found in the draft"), view=self)]
                if self.searches_drafts
                else []
            ),
        ]


class MediaFileInspectView(generic.InspectView):
    """The detail page: the source file and every rendition, with player, download, retry."""

    template_name = "media_pipeline/admin/inspect.html"
    page_title = gettext_lazy("Media file")
    progress_url_name = None
    retry_url_name = None
    original_url_name = None
    caption_editor_url_name = None

    def get_object(self, queryset=None):
        media_files = MediaFile.objects.prefetch_renditions().select_related("uploaded_by")
        return get_object_or_404(media_files, pk=self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        can_retry = self.user_has_permission("change")
        context.update(
            renditions=self.object.renditions.all(),
            progress_url=reverse(self.progress_url_name),
            retry_url_name=self.retry_url_name if can_retry else None,
            original_url=reverse(self.original_url_name, args=(quote(self.object.pk),)),
            caption_editor_url=(
                reverse(self.caption_editor_url_name, args=(quote(self.object.pk),))
                if can_retry
                else ""
            ),
            has_speech_draft=drafts.speech_draft(self.object) is not None,
        )
        return context


class MediaFileDeleteView(generic.DeleteView):
    """Refused while live pages use the media file: their ForeignKeys are SET_NULL, so the
    page would stay published without its sound or picture. The confirmation page names
    those pages instead of offering the button; a POST anyway changes nothing."""

    template_name = "media_pipeline/admin/confirm_delete.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.live_pages = list(find_live_pages_using(self.object.pk))

    @property
    def refusal_message(self) -> str:
        return _(
            "“%(title)s” is used on published pages and cannot be deleted. Unpublish these "
            "pages or choose other media for them first:"
        ) % {"title": self.object.title}

    def get_context_data(self, **kwargs):
        return super().get_context_data(live_pages=self.live_pages, **kwargs)

    def form_valid(self, form):
        if self.live_pages:
            return self.render_to_response(self.get_context_data(form=form))
        return super().form_valid(form)


@method_decorator(never_cache, name="dispatch")
class OriginalDownloadView(PermissionCheckedMixin, View):
    """The uploaded original, for admin users only: it has no public URL (see
    ``cms.core.media_access``), on local disk or S3 alike."""

    model = MediaFile
    any_permission_required = ["add", "change", "delete", "view"]

    def get(self, request, pk):
        media_file = get_object_or_404(MediaFile, pk=pk)
        if not media_file.file:
            raise Http404
        handle = media_file.file.storage.open(media_file.file.name, "rb")
        return FileResponse(
            handle, as_attachment=True, filename=PurePosixPath(media_file.file.name).name
        )


class RetryRenditionView(PermissionCheckedMixin, View):
    model = MediaFile
    permission_required = "change"
    http_method_names = ["post"]
    inspect_url_name = None

    def post(self, request, rendition_pk):
        with transaction.atomic():
            rendition = get_object_or_404(
                MediaRendition.objects.select_for_update(of=("self",)).select_related(
                    "media_file"
                ),
                pk=rendition_pk,
            )
            if rendition.status == RenditionStatus.FAILED:
                services.retry_rendition(rendition)
                messages.success(
                    request,
                    _("“%(spec)s” will be converted again.") % {"spec": rendition.spec},
                )
            else:
                messages.warning(request, _("Only failed renditions can be retried."))
        return redirect(self.inspect_url_name, quote(rendition.media_file_id))


@method_decorator(never_cache, name="dispatch")
class RenditionProgressView(PermissionCheckedMixin, View):
    """JSON for the progress script: ``?ids=1,2,3`` → status, percent and label per rendition."""

    model = MediaFile
    any_permission_required = ["add", "change", "delete", "view"]

    def get(self, request):
        ids = [part for part in request.GET.get("ids", "").split(",") if part.isdigit()]
        renditions = MediaRendition.objects.filter(pk__in=ids[:MAX_PROGRESS_IDS]).only(
            "pk", "status", "progress", "eta_seconds", "error", "warning"
        )
        return JsonResponse(
            {
                "renditions": [
                    {
                        "id": rendition.pk,
                        "status": rendition.status,
                        "progress": rendition.progress,
                        "eta_seconds": rendition.eta_seconds,
                        "label": rendition_status_text(rendition),
                        "error": rendition.error,
                        # Made, but not quite as asked: the script says it next to the bar.
                        "warning": rendition.warning if rendition.is_ready else "",
                        "warning_label": _("Note:"),
                    }
                    for rendition in renditions
                ]
            }
        )


class MediaChooseViewMixin:
    """Chooser listing of checked media; limited to one kind when the viewset sets ``kind``."""

    kind = None

    def get_object_list(self):
        media_files = MediaFile.objects.filter(source_status=SourceStatus.READY)
        return media_files.filter(kind=self.kind) if self.kind else media_files

    def get_filter_form_class(self):
        if self.kind:
            return type("MediaSearchForm", (SearchFilterMixin, BaseFilterForm), {})
        return MediaChooserFilterForm

    @property
    def columns(self):
        return [
            *super().columns,
            Column("kind", label=_("Kind"), accessor="get_kind_display"),
            DurationColumn("duration", label=_("Duration")),
        ]


class MediaChooseView(MediaChooseViewMixin, chooser_views.ChooseView):
    pass


class MediaChooseResultsView(MediaChooseViewMixin, chooser_views.ChooseResultsView):
    pass


@dataclass
class CaptionSource:
    """Captions the editor can start from: the speech draft or a page's current captions."""

    key: str
    label: str
    webvtt: str


def playable_rendition(media_file) -> MediaRendition | None:
    """The READY rendition a native <audio>/<video> element plays in the editor: a video's
    smallest MP4 rung (else its sound alone), an audio file's AAC or MP3."""
    if media_file.kind == MediaKind.VIDEO:
        roles = media_file.video_renditions()
        rungs = list(roles.get("mp4", {}).values())
        return rungs[-1] if rungs else roles.get("audio_only")
    return media_file.find_rendition(PODCAST_AAC_SPEC) or media_file.find_rendition(
        PODCAST_MP3_SPEC
    )


def editor_strings() -> dict:
    """The words of caption-editor.js, translated; ``%(name)s`` is filled in by the script."""
    return {
        "cue": _("Cue %(number)s"),
        "start": _("Start"),
        "end": _("End"),
        "text": _("Text"),
        "play": _("Play"),
        "split": _("Split at cursor"),
        "merge": _("Merge with next"),
        "delete": _("Delete"),
        "unsure": _("Words the model was unsure of:"),
        "position": _("Cue %(number)s of %(count)s, %(start)s to %(end)s: %(text)s"),
        "split_done": _("Cue %(number)s split in two; now editing cue %(next)s."),
        "merge_done": _("Cue %(number)s merged with the cue after it."),
        "merge_last": _("The last cue has no cue after it to merge with."),
        "shifted_one": _("Cue %(number)s shifted by %(ms)s ms."),
        "shifted_all": _("All cues shifted by %(ms)s ms."),
        "replaced": _("Replacements made: %(count)s."),
        "deleted": _("Cue %(number)s deleted."),
        "added": _("Cue %(number)s added."),
        "bad_time": _("Not a time such as 00:01:02.345."),
        "no_cues": _("There are no cues; add one or import a file."),
    }


class CaptionEditorView(PermissionCheckedMixin, WagtailAdminTemplateMixin, View):
    """The caption editor: the draft captions of speech recognition, or a page's captions
    (an explainer video's captions track, a podcast episode's transcript), as a list of
    cues with a player (``caption-editor.js``); without JavaScript, the WebVTT text itself.
    "Mark as reviewed" puts the result on one of the pages that show the file as a new
    revision (``drafts.mark_reviewed``); SRT and WebVTT files can be imported into the
    editor and the edited cues exported. Until reviewed, a draft is nowhere public."""

    model = MediaFile
    permission_required = "change"
    template_name = "media_pipeline/admin/caption_editor.html"
    header_icon = "media"
    inspect_url_name = None
    index_url_name = None
    actions = ("review", "import", "export-vtt", "export-srt")

    def load(self, request, pk):
        """Reads the file, its pages and captions; after the permission check (dispatch)."""
        self.media_file = get_object_or_404(MediaFile.objects.prefetch_renditions(), pk=pk)
        self.draft = drafts.speech_draft(self.media_file)
        self.pages = [
            page
            for page in find_pages_using(self.media_file.pk).specific()
            if page.permissions_for_user(request.user).can_edit()
        ]
        self.sources = self.find_sources()
        wanted = request.GET.get("source", "")
        self.source = next((s for s in self.sources if s.key == wanted), None) or (
            self.sources[0] if self.sources else None
        )
        self.latest_end = drafts.latest_end(self.media_file)

    def find_sources(self) -> list[CaptionSource]:
        sources = []
        if self.draft is not None:
            sources.append(
                CaptionSource("draft", _("Automatic draft"), drafts.draft_webvtt(self.media_file))
            )
        for page in self.pages:
            text = drafts.page_captions(page)
            if text.strip():
                label = _("Captions on “%(title)s”") % {"title": page.get_admin_display_title()}
                sources.append(CaptionSource(f"page-{page.pk}", label, text))
        return sources

    def get_page_title(self):
        if self.source is not None and self.source.key == "draft":
            return _("Review automatic captions")
        return _("Edit captions")

    def get_page_subtitle(self):
        return self.media_file.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Media")},
            {"url": self.inspect_url(), "label": self.media_file.title},
            {"url": "", "label": self.get_page_title()},
        ]

    def inspect_url(self) -> str:
        return reverse(self.inspect_url_name, args=(quote(self.media_file.pk),))

    def get(self, request, pk):
        self.load(request, pk)
        webvtt, items, errors = "", [], []
        if self.source is not None:
            webvtt = self.source.webvtt
            try:
                track = load_text_track(webvtt.encode("utf-8"))
            except TextTrackError as exc:
                errors = [str(error) for error in exc.errors]
            else:
                items = self.editor_items(track.cues)
        return self.render_editor(
            webvtt=webvtt, items=items, errors=errors, text_only=bool(errors)
        )

    def editor_items(self, cues) -> list[dict]:
        unsure = caption_editor.unsure_words(drafts.draft_transcript_json(self.media_file), cues)
        return caption_editor.editor_cues(cues, unsure)

    def render_editor(
        self, *, webvtt, items, errors=(), cue_errors=(), page=None, text_only=False
    ):
        """``text_only``: the WebVTT text cannot be read as cues, so the script leaves the
        text field to correct it in (instead of an empty list of cues)."""
        from django.template.response import TemplateResponse

        selected_page = page or next(
            (p for p in self.pages if self.source and self.source.key == f"page-{p.pk}"), None
        )
        editor_data = {
            "cues": items,
            "errors": [
                {"index": error.index, "field": error.field, "message": str(error)}
                for error in cue_errors
                if error.index is not None
            ],
            "duration": self.media_file.duration,
            "text_only": text_only,
            "strings": editor_strings(),
        }
        context = self.get_context_data(
            media_file=self.media_file,
            draft=self.draft,
            draft_label=asr.DRAFT_LABEL,
            sources=self.sources,
            source=self.source,
            webvtt=webvtt,
            errors=list(errors) + [str(error) for error in cue_errors],
            pages=self.pages,
            selected_page=selected_page,
            player=playable_rendition(self.media_file),
            editor_data=editor_data,
            max_import_mb=caption_editor.MAX_IMPORT_BYTES // 1_000_000,
            inspect_url=self.inspect_url(),
        )
        return TemplateResponse(self.request, self.template_name, context)

    def post(self, request, pk):
        self.load(request, pk)
        action = request.POST.get("action", "review")
        if action not in self.actions:
            action = "review"
        if action == "import":
            return self.import_file(request)
        cues, failure = self.submitted_cues(request)
        if failure is not None:
            return failure
        if action.startswith("export-"):
            return self.export(cues, action.removeprefix("export-"))
        page = next((p for p in self.pages if str(p.pk) == request.POST.get("page")), None)
        if page is None:
            return self.render_again(request, [_("Choose the page that shows this file.")])
        try:
            drafts.mark_reviewed(page, webvtt=caption_editor.build_webvtt(cues), user=request.user)
        except drafts.TextTrackError as exc:
            return self.render_again(request, [str(error) for error in exc.errors])
        messages.success(
            request,
            _("The reviewed captions are now used on “%(title)s” (a new revision).")
            % {"title": page.title},
        )
        return redirect("wagtailadmin_pages:edit", page.pk)

    def submitted_cues(self, request):
        """(cues, None) when the submitted cues (the script's JSON, else the WebVTT text)
        are valid; (None, the editor again with the problems) when not."""
        raw = request.POST.get("cues", "")
        try:
            if raw:
                return caption_editor.cues_from_submission(raw, duration=self.latest_end), None
            webvtt = request.POST.get("webvtt", "")
            if not webvtt.strip():
                return None, self.render_again(request, [_("The captions are empty.")])
            track = load_text_track(webvtt.encode("utf-8"), max_duration=self.latest_end)
            return track.cues, None
        except caption_editor.CuesInvalid as exc:
            return None, self.render_again(request, cue_errors=exc.errors)
        except TextTrackError as exc:
            return None, self.render_again(request, [str(error) for error in exc.errors])

    def submitted_items(self, request) -> list[dict] | None:
        """The cues as the editor had them (unchecked), to show them again; None when the
        script sent none."""
        try:
            items = json.loads(request.POST.get("cues", "") or "null")
        except ValueError:
            return None
        if not isinstance(items, list):
            return None
        kept = []
        for item in items[: caption_editor.MAX_CUES]:
            if not isinstance(item, dict):
                continue
            cue = {key: str(item.get(key, ""))[:2000] for key in ("start", "end", "text")}
            unsure = item.get("unsure")
            cue["unsure"] = [str(w)[:100] for w in unsure[:50]] if isinstance(unsure, list) else []
            kept.append(cue)
        return kept

    def render_again(self, request, errors=(), cue_errors=(), items=None, webvtt=None):
        """The editor showing what was submitted, with the problems."""
        if items is None:
            items = self.submitted_items(request)
        webvtt = request.POST.get("webvtt", "") if webvtt is None else webvtt
        text_only = False
        if items is None:
            try:
                items = self.editor_items(load_text_track(webvtt.encode("utf-8")).cues)
            except TextTrackError:
                items, text_only = [], bool(webvtt.strip())
        page = next((p for p in self.pages if str(p.pk) == request.POST.get("page")), None)
        return self.render_editor(
            webvtt=webvtt,
            items=items,
            errors=errors,
            cue_errors=cue_errors,
            page=page,
            text_only=text_only,
        )

    def import_file(self, request):
        upload = request.FILES.get("track_file")
        if upload is None:
            return self.render_again(request, [_("Choose a WebVTT or SRT file to import.")])
        if upload.size > caption_editor.MAX_IMPORT_BYTES:
            message = _("The file is larger than %(size)s MB; captions files are much smaller.")
            size = caption_editor.MAX_IMPORT_BYTES // 1_000_000
            return self.render_again(request, [message % {"size": size}])
        try:
            track = load_text_track(upload.read(), upload.name, max_duration=self.latest_end)
        except TextTrackError as exc:
            name = _("“%(name)s” could not be imported:") % {"name": upload.name}
            return self.render_again(request, [name, *(str(error) for error in exc.errors)])
        messages.info(
            request,
            _(
                "Cues imported from “%(name)s”: %(count)s. Check them, then mark them as "
                "reviewed to use them on the page."
            )
            % {"count": len(track.cues), "name": upload.name},
        )
        return self.render_again(
            request, items=self.editor_items(track.cues), webvtt=track.to_webvtt()
        )

    def export(self, cues, kind: str):
        from django.http import HttpResponse
        from django.utils.text import slugify

        if kind == "srt":
            body, content_type = caption_editor.build_srt(cues), "application/x-subrip"
        else:
            body, content_type = caption_editor.build_webvtt(cues), "text/vtt"
        response = HttpResponse(
            body.encode("utf-8"), content_type=f"{content_type}; charset=utf-8"
        )
        name = f"{slugify(self.media_file.title) or 'captions'}.{kind}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
