"""The admin form of private feed tokens: create one for a show, or revoke it later."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from cms.podcasts.models import PodcastShowPage

from .private import generate_secret, opens_private_content


class PrivateFeedTokenForm(WagtailAdminModelForm):
    """On creation: show, label and optionally the subscriber's login (a text field, not a
    list of every account); afterwards only the label can change, and the token be revoked."""

    subscriber = forms.CharField(
        label=_("Subscriber's user name or e-mail address"),
        required=False,
        help_text=_("Leave empty for a feed of a partner network; then give it a label."),
    )
    revoke = forms.BooleanField(
        label=_("Revoke this feed"),
        required=False,
        help_text=_("The feed address and its episode addresses stop working at once."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("show", "subscriber"):
                self.fields.pop(name, None)
            if self.instance.revoked_at:
                self.fields.pop("revoke", None)
        else:
            self.fields.pop("revoke", None)
            field = self.fields["show"]
            field.queryset = PodcastShowPage.objects.order_by("title")
            field.widget = forms.Select(choices=field.choices)
        self.secret = ""

    def clean_subscriber(self):
        login = self.cleaned_data.get("subscriber", "").strip()
        if not login:
            return None
        users = get_user_model().objects.filter(is_active=True)
        user = users.filter(username__iexact=login).first() or (
            users.filter(email__iexact=login).first()
        )
        if user is None:
            raise forms.ValidationError(_("There is no active account with this name."))
        return user

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            return data
        show, user = data.get("show"), data.get("subscriber")
        if user is None and not data.get("label"):
            self.add_error("label", _("Give the feed a label or name its subscriber."))
        closed = show is not None and not opens_private_content(show.specific, user)
        if closed and "subscriber" not in self.errors:
            self.add_error(
                "show" if user is None else "subscriber",
                _(
                    "This show has no episodes restricted to a group this subscriber "
                    "belongs to. Restrict the show or episodes under Privacy first."
                )
                if user
                else _(
                    "This show has no episodes restricted to a group. Restrict the show "
                    "or episodes under Privacy first."
                ),
            )
        return data

    def save(self, commit=True):
        token = self.instance
        if not token.pk:
            token.user = self.cleaned_data.get("subscriber")
            self.secret, token.token_hash = generate_secret()
        elif self.cleaned_data.get("revoke") and token.revoked_at is None:
            token.revoked_at = timezone.now()
        return super().save(commit)
