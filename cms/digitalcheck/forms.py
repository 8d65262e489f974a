"""One form per step of the check, built from the frozen questionnaire snapshot."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Region, Sector, SizeBand

QUESTION_CHOICES = [
    (0, _("0 – not at all")),
    (1, _("1 – we are considering it")),
    (2, _("2 – planned or tried once")),
    (3, _("3 – partly in use")),
    (4, _("4 – largely in use")),
    (5, _("5 – fully in place and lived")),
]
RATING_CHOICES = [
    (1, _("does not apply")),
    (2, _("hardly applies")),
    (3, _("partly applies")),
    (4, _("mostly applies")),
    (5, _("fully applies")),
]


@dataclass(frozen=True)
class CheckStep:
    kind: str  # "context", "dimension" or "topics"
    title: str
    data: dict | list | None = None


def build_steps(snapshot: dict) -> list[CheckStep]:
    steps = [CheckStep("context", str(_("About your company")))]
    steps += [CheckStep("dimension", d["title"], d) for d in snapshot.get("dimensions", [])]
    if snapshot.get("topics"):
        steps.append(CheckStep("topics", str(_("Topics: relevance and implementation")),
                               snapshot["topics"]))  # fmt: skip
    return steps


class ContextForm(forms.Form):
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("No answer")), *Sector.choices], required=False
    )
    size_band = forms.ChoiceField(
        label=_("Number of employees"),
        choices=[("", _("No answer")), *SizeBand.choices],
        required=False,
    )
    region = forms.ChoiceField(
        label=_("Region"), choices=[("", _("No answer")), *Region.choices], required=False
    )


def _rating_field(label, choices):
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose an answer for “%(label)s”") % {"label": label}
        },
    )


class DimensionForm(forms.Form):
    def __init__(self, *args, dimension: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.dimension = dimension
        for question in dimension["questions"]:
            field = _rating_field(question["text"], QUESTION_CHOICES)
            field.help_text = question.get("hint") or ""
            self.fields[f"q-{question['id']}"] = field

    def answers(self, data) -> dict:
        return {name[2:]: value for name, value in data.items() if name.startswith("q-")}


class TopicsForm(forms.Form):
    def __init__(self, *args, topics: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.topics = topics
        for topic in topics:
            self.fields[f"impl-{topic['id']}"] = _rating_field(
                topic["implementation"], RATING_CHOICES
            )
            self.fields[f"rel-{topic['id']}"] = _rating_field(topic["relevance"], RATING_CHOICES)

    def groups(self):
        """(topic, implementation field, relevance field) for the template."""
        return [(t, self[f"impl-{t['id']}"], self[f"rel-{t['id']}"]) for t in self.topics]


def form_for(step: CheckStep, data=None, initial=None):
    if step.kind == "context":
        return ContextForm(data, initial=initial)
    if step.kind == "dimension":
        return DimensionForm(data, initial=initial, dimension=step.data)
    return TopicsForm(data, initial=initial, topics=step.data)


def valid_part(form) -> dict:
    """The fields of a bound form that are valid on their own (for "save and pause")."""
    values = {}
    for name, field in form.fields.items():
        raw = form.data.get(form.add_prefix(name))
        if raw in (None, ""):
            continue
        try:
            values[name] = field.clean(raw)
        except forms.ValidationError:
            continue
    return values
