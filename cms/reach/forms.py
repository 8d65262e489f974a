from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FollowUpAnswerChoice

MILESTONES = (0, 25, 50, 75, 100)


class FollowUpForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Have you put any of it into practice at work?"),
        choices=FollowUpAnswerChoice.choices,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("What did you do, or what stood in the way? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
