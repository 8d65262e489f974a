"""Admin views of the Medien area: upload, listing with live progress, detail, retry,
download of the original, deletion (refused while live pages use the media), chooser.

Views are interfaces: state changes go through ``uploads.create_media_file`` and
``services.retry_rendition``; nothing here transcodes or writes to storage.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from django import forms
from django.conf import settings
from django.contrib.admin.utils import quote
from django.core.files.uploadhandler import SkipFile, TemporaryFileUploadHandler
from django.db import transaction
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

from . import asr, drafts, services, uploads
from .exceptions import DuplicateMediaError, MediaRejectedError
from .forms import MediaChooserFilterForm, MediaUploadForm
from .models import MediaFile, MediaRendition, RenditionStatus, SourceStatus
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


class MediaFileIndexView(generic.IndexView):
    progress_url_name = None

    def get_base_queryset(self):
        return super().get_base_queryset().prefetch_renditions()

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
        ]


class MediaFileInspectView(generic.InspectView):
    """The detail page: the source file and every rendition, with player, download, retry."""

    template_name = "media_pipeline/admin/inspect.html"
    page_title = gettext_lazy("Media file")
    progress_url_name = None
    retry_url_name = None
    original_url_name = None
    speech_review_url_name = None

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
            speech_review_url=(
                reverse(self.speech_review_url_name, args=(quote(self.object.pk),))
                if can_retry and drafts.speech_draft(self.object) is not None
                else ""
            ),
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


class SpeechReviewView(PermissionCheckedMixin, WagtailAdminTemplateMixin, View):
    """Review the draft captions of speech recognition: read and correct the WebVTT, then
    use it on one of the pages that show this media file (a new revision of that page).
    Until then the draft is nowhere public (``drafts``)."""

    model = MediaFile
    permission_required = "change"
    template_name = "media_pipeline/admin/speech_review.html"
    page_title = gettext_lazy("Review automatic captions")
    inspect_url_name = None

    def dispatch(self, request, pk):
        self.media_file = get_object_or_404(MediaFile, pk=pk)
        self.draft = drafts.speech_draft(self.media_file)
        if self.draft is None:
            raise Http404
        self.pages = [
            page
            for page in find_pages_using(self.media_file.pk).specific()
            if page.permissions_for_user(request.user).can_edit()
        ]
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return self.media_file.title

    def get(self, request, pk, webvtt=None, error=""):
        text = webvtt if webvtt is not None else drafts.draft_webvtt(self.media_file)
        return self.render_to_response(
            self.get_context_data(
                media_file=self.media_file,
                webvtt=text,
                pages=self.pages,
                error=error,
                draft_label=asr.DRAFT_LABEL,
                inspect_url=reverse(self.inspect_url_name, args=(quote(self.media_file.pk),)),
            )
        )

    def render_to_response(self, context):
        from django.template.response import TemplateResponse

        return TemplateResponse(self.request, self.template_name, context)

    def post(self, request, pk):
        webvtt = request.POST.get("webvtt", "")
        page = next((p for p in self.pages if str(p.pk) == request.POST.get("page")), None)
        if page is None:
            return self.get(request, pk, webvtt, _("Choose the page that shows this file."))
        try:
            drafts.mark_reviewed(page, webvtt=webvtt, user=request.user)
        except drafts.TextTrackError as exc:
            return self.get(request, pk, webvtt, str(exc))
        except ValueError:
            return self.get(request, pk, webvtt, _("The captions are empty."))
        messages.success(
            request,
            _("The reviewed captions are now used on “%(title)s” (a new revision).")
            % {"title": page.title},
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
