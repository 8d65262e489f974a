from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from cms.core.login_throttling import LockoutMessageMixin

from .models import DurationBand, LearningFormat
from .selectors import active_levels, active_topics


class CatalogueFilterForm(forms.Form):
    """The catalogue filters: GET parameters, so a filtered list is a shareable link."""

    topic = forms.ChoiceField(label=_("Topic"), required=False)
    level = forms.ChoiceField(label=_("Maturity level"), required=False)
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("All formats")), *LearningFormat.choices],
    )
    duration = forms.ChoiceField(
        label=_("Duration"),
        required=False,
        choices=[("", _("Any duration")), *DurationBand.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [
            ("", _("All topics")),
            *((topic.slug, topic.name) for topic in active_topics()),
        ]
        self.fields["level"].choices = [
            ("", _("All levels")),
            *((level.slug, level.name) for level in active_levels()),
        ]

    @property
    def is_filtered(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())


class DescribedFieldsMixin:
    """Links each input to its help text and errors (aria-describedby, aria-invalid)."""

    def describe_fields(self):
        for name, field in self.fields.items():
            auto_id = self[name].auto_id
            described_by = []
            if field.help_text:
                described_by.append(f"{auto_id}-help")
            if self.is_bound and name in self.errors:
                described_by.append(f"{auto_id}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if described_by:
                field.widget.attrs["aria-describedby"] = " ".join(described_by)
        return self


class SignupForm(DescribedFieldsMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Repeat password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self):
        # Whether the address has an account is for its mailbox to learn (accounts.py).
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            user = get_user_model()(username=cleaned.get("email", ""), email=cleaned.get("email"))
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class EmailAuthenticationForm(LockoutMessageMixin, DescribedFieldsMixin, AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class LearnerPasswordResetForm(DescribedFieldsMixin, PasswordResetForm):
    """Mails a reset link to an active account with this address; silent for any other."""


class LearnerSetPasswordForm(DescribedFieldsMixin, SetPasswordForm):
    pass
