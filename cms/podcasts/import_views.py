"""Admin: editors move a podcast in from another host and follow the import (progress,
per-episode errors, and the last step they must take at the old host)."""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.paginator import WagtailPaginator

from cms.core.admin_permissions import forbidden

from .fetching import FetchError, _check_url, resolve
from .models import PodcastImport, PodcastShowPage

START_PERMISSION = "podcasts.add_podcastimport"
VIEW_PERMISSION = "podcasts.view_podcastimport"
IMPORTS_PER_PAGE = 20
REFRESH_SECONDS = 3


class PodcastImportForm(forms.ModelForm):
    feed_url = forms.CharField(
        label=gettext_lazy("Feed address"),
        max_length=1000,
        help_text=gettext_lazy("The address of the podcast's RSS feed at the old host."),
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    show = forms.ModelChoiceField(
        label=gettext_lazy("Podcast"),
        queryset=PodcastShowPage.objects.order_by("title"),
        required=False,
        empty_label=gettext_lazy("A new podcast"),
        help_text=gettext_lazy(
            "Add the episodes to an existing podcast, or leave empty to create a new one."
        ),
    )

    class Meta:
        model = PodcastImport
        fields = ["feed_url", "show", "dry_run"]

    def clean_feed_url(self):
        url = self.cleaned_data["feed_url"].strip()
        try:
            _scheme, host, port = _check_url(url)
            resolve(host, port)
        except FetchError as error:
            raise forms.ValidationError(error.message) from error
        return url


def import_index_view(request):
    if not request.user.has_perm(VIEW_PERMISSION):
        return forbidden(request)
    may_start = request.user.has_perm(START_PERMISSION)
    form = None
    if may_start:
        form = PodcastImportForm(
            request.POST or None, initial={"show": request.GET.get("show") or None}
        )
        if request.method == "POST" and form.is_valid():
            record = form.save(commit=False)
            record.started_by = request.user
            record.save()
            from .tasks import import_podcast_task

            transaction.on_commit(lambda: import_podcast_task.delay(record.pk))
            return redirect("podcast_import", record.pk)
    elif request.method == "POST":
        return forbidden(request)
    paginator = WagtailPaginator(PodcastImport.objects.all(), IMPORTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "podcasts/admin/import_index.html",
        {
            "form": form,
            "imports": page,
            "elided_page_range": paginator.get_elided_page_range(page.number),
            "page_title": _("Podcast imports"),
            "header_title": _("Podcast imports"),
            "header_icon": "download",
        },
    )


def import_detail_view(request, import_id):
    if not request.user.has_perm(VIEW_PERMISSION):
        return forbidden(request)
    record = get_object_or_404(PodcastImport.objects.select_related("show"), pk=import_id)
    show = record.show
    context = {
        "record": record,
        "show": show,
        "feed_url": show.feed_url() if show and show.live else "",
        "show_edit_url": reverse("wagtailadmin_pages:edit", args=[show.pk]) if show else "",
        "index_url": reverse("podcast_imports"),
        "page_title": _("Podcast import: %(title)s") % {"title": str(record)},
        "header_title": _("Podcast import"),
        "header_icon": "download",
    }
    response = TemplateResponse(request, "podcasts/admin/import_detail.html", context)
    if not record.is_finished:
        # Progress without JavaScript: the browser asks again until the import is over.
        response["Refresh"] = str(REFRESH_SECONDS)
    return response
