"""Admin of private feeds: the tokens per show, created and revoked by editors, with their
fetch counts of the last 30 days."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, Sum
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from .forms import PrivateFeedTokenForm
from .models import PrivateFeedToken

COUNT_DAYS = 30


class PrivateFeedTokenCreateView(CreateView):
    """Shows the new feed address once, instead of redirecting: only its hash is kept."""

    def save_action(self):
        if self.expects_json_response:
            return super().save_action()
        secret = self.form.secret
        feed_path = reverse("private_podcast_feed", args=[secret, self.object.show_id])
        return TemplateResponse(
            self.request,
            "feeds/admin/private_feed_created.html",
            {
                "token": self.object,
                "feed_url": self.request.build_absolute_uri(feed_path),
                "header_title": _("Private feed created"),
                "page_title": _("Private feed created"),
                "header_icon": "key",
                "index_url": reverse(self.index_url_name),
            },
        )


class PrivateFeedTokenViewSet(SnippetViewSet):
    model = PrivateFeedToken
    add_view_class = PrivateFeedTokenCreateView
    copy_view_enabled = False
    inspect_view_enabled = False
    icon = "key"
    menu_label = _("Private feeds")
    menu_order = 310
    add_to_admin_menu = False
    list_filter = ["show"]
    search_fields = ["label", "user__username", "user__email"]
    list_display = [
        "__str__",
        "created_at",
        Column("status", label=_("Status"), accessor="status_display"),
        "last_used_on",
        Column("feed_fetches", label=_("Feed fetches (30 days)"), accessor="recent_feed"),
        Column("media_fetches", label=_("Episode downloads (30 days)"), accessor="recent_media"),
    ]
    edit_handler = ObjectList(
        [FieldPanel("show"), FieldPanel("subscriber"), FieldPanel("label"), FieldPanel("revoke")],
        base_form_class=PrivateFeedTokenForm,
    )

    def get_queryset(self, request):
        since = timezone.localdate() - dt.timedelta(days=COUNT_DAYS - 1)
        recent = Q(fetches__day__gte=since)
        return (
            PrivateFeedToken.objects.select_related("show", "user")
            .annotate(
                recent_feed=Sum("fetches__feed_fetches", filter=recent, default=0),
                recent_media=Sum("fetches__media_fetches", filter=recent, default=0),
            )
            .order_by("-created_at", "-pk")
        )


register_snippet(PrivateFeedTokenViewSet)
