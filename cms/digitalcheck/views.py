"""Page views of the Digital-Check (routes of ``DigitalCheckPage``).

Every step is a plain form posted here (post/redirect/get); the draft is tied to the learner
(cookie or account) from cms.learning, so a visitor can pause and continue later.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.utils.translation import gettext as _

from cms.learning.learners import ensure_learner, find_learner

from .forms import QUESTION_CHOICES, RATING_CHOICES, build_steps, form_for, valid_part
from .models import DigitalCheckPage, Submission, SubmissionStatus
from .recommendations import maturity_levels, recommend, topic_level
from .scoring import overall_level_index
from .submissions import (
    NoQuestionnaireError,
    find_draft,
    latest_result,
    result_of,
    save_step,
    start_submission,
    submit,
)

PRIVATE = "private, no-store"


def _url(page, name, *args) -> str:
    return page.url + page.reverse_subpage(name, args=[str(a) for a in args])


def _private(response):
    response["Cache-Control"] = PRIVATE
    response["X-Robots-Tag"] = "noindex"
    return response


# --- start, pause and continue -------------------------------------------------------------


def start_view(request, page: DigitalCheckPage):
    learner = find_learner(request)
    if request.method == "POST":
        learner = ensure_learner(request)
        draft = find_draft(page, learner)
        if draft is None or request.POST.get("action") == "restart":
            try:
                draft = start_submission(page, learner, learner.token_hash or "")
            except NoQuestionnaireError:
                messages.error(request, _("This check has no published questions yet."))
                return HttpResponseRedirect(page.url)
        return HttpResponseRedirect(_url(page, "answer", draft.current_step))
    version = page.get_current_version()
    context = {
        "draft": find_draft(page, learner),
        "latest": latest_result(page, learner),
        "version": version,
        "step_count": len(build_steps(version.snapshot)) if version else 0,
    }
    return _private(page.render(request, context_overrides=context))


def answer_view(request, page: DigitalCheckPage, step: int):
    draft = find_draft(page, find_learner(request))
    if draft is None:
        messages.info(request, _("Start the check here; answers you saved are kept."))
        return HttpResponseRedirect(page.url)
    steps = build_steps(draft.version.snapshot)
    if step >= len(steps) or step > draft.current_step:
        return HttpResponseRedirect(_url(page, "answer", min(draft.current_step, len(steps) - 1)))
    current = steps[step]
    if request.method == "POST":
        form = form_for(current, request.POST)
        action = request.POST.get("action", "next")
        if action in ("back", "pause"):
            save_step(draft, current, valid_part(form), step)
            if action == "pause":
                messages.success(
                    request,
                    _("Your answers are saved. Come back any time in this browser to continue."),
                )
                return HttpResponseRedirect(page.url)
            return HttpResponseRedirect(_url(page, "answer", max(step - 1, 0)))
        if form.is_valid():
            is_last = step == len(steps) - 1
            save_step(draft, current, form.cleaned_data, step if is_last else step + 1)
            if not is_last:
                return HttpResponseRedirect(_url(page, "answer", step + 1))
            missing = _first_incomplete_step(draft, steps)
            if missing is not None:
                messages.error(request, _("Some questions are still unanswered."))
                return HttpResponseRedirect(_url(page, "answer", missing))
            submit(draft, page.locale)
            return HttpResponseRedirect(_url(page, "result", draft.token))
    else:
        form = form_for(current, initial=_initial(draft, current))
    context = {
        "draft": draft,
        "form": form,
        "step": current,
        "step_number": step + 1,
        "step_count": len(steps),
        "is_first": step == 0,
        "is_last": step == len(steps) - 1,
        "question_choices": QUESTION_CHOICES,
    }
    return _private(
        page.render(request, template="digitalcheck/answer_step.html", context_overrides=context)
    )


def _initial(draft: Submission, step) -> dict:
    if step.kind == "context":
        return {"sector": draft.sector, "size_band": draft.size_band, "region": draft.region}
    if step.kind == "dimension":
        given = draft.answers.get("questions", {})
        return {f"q-{q['id']}": given[q["id"]] for q in step.data["questions"] if q["id"] in given}
    initial = {}
    for topic in step.data:
        given = draft.answers.get("topics", {}).get(topic["id"], {})
        if "implementation" in given:
            initial[f"impl-{topic['id']}"] = given["implementation"]
        if "relevance" in given:
            initial[f"rel-{topic['id']}"] = given["relevance"]
    return initial


def _first_incomplete_step(draft: Submission, steps) -> int | None:
    for index, step in enumerate(steps):
        if step.kind == "context":
            continue
        if not form_for(step, _as_post(_initial(draft, step))).is_valid():
            return index
    return None


def _as_post(initial: dict) -> dict:
    return {name: str(value) for name, value in initial.items()}


# --- result ------------------------------------------------------------------------------


def _get_result_or_404(page, token) -> Submission:
    submission = (
        Submission.objects.filter(
            token=token, version__page=page, status=SubmissionStatus.SUBMITTED
        )
        .select_related("version", "previous__version")
        .first()
    )
    if submission is None:
        raise Http404(_("There is no result at this address."))
    return submission


def build_result_context(page, submission: Submission) -> dict:
    result = result_of(submission)
    levels = maturity_levels(page.locale)
    previous = None
    if submission.previous and submission.previous.is_submitted:
        previous = result_of(submission.previous)
    before = {d.id: d.score for d in previous.dimensions} if previous else {}
    dimensions = []
    for dimension in result.dimensions:
        score = dimension.score or 0
        old = before.get(dimension.id)
        dimensions.append(
            {
                "title": dimension.title,
                "score": dimension.score,
                "previous": old,
                "change": round(score - old, 1) if old is not None else None,
                "bar": round(score, 1),
            }
        )
    labels = dict(RATING_CHOICES)
    topics = []
    for topic in result.topics:
        level = topic_level(topic, levels)
        topics.append(
            {
                "name": topic.name,
                "implementation": labels.get(topic.implementation, "–"),
                "relevance": labels.get(topic.relevance, "–"),
                "gap": topic.gap,
                "level": level.name if level else "",
            }
        )
    topics.sort(key=lambda t: -t["gap"])
    index = overall_level_index(result.overall, len(levels))
    units, paths = recommend(result, page.locale)
    overall_change = None
    if previous and previous.overall is not None and result.overall is not None:
        overall_change = round(result.overall - previous.overall, 1)
    return {
        "submission": submission,
        "result": result,
        "dimensions": dimensions,
        "topics": topics,
        "overall_level": levels[index].name if index is not None else "",
        "unit_recommendations": units,
        "path_recommendations": paths,
        "previous": submission.previous if previous else None,
        "overall_change": overall_change,
    }


def result_view(request, page: DigitalCheckPage, token: str):
    submission = _get_result_or_404(page, token)
    context = build_result_context(page, submission)
    context.update(
        {
            "private_url": request.build_absolute_uri(_url(page, "result", token)),
            "pdf_url": _url(page, "result_pdf", token),
            "retake_url": _url(page, "retake", token),
        }
    )
    return _private(
        page.render(request, template="digitalcheck/result.html", context_overrides=context)
    )


def result_pdf_view(request, page: DigitalCheckPage, token: str):
    from .result_pdf import generate_result_pdf

    submission = _get_result_or_404(page, token)
    context = build_result_context(page, submission)
    url = request.build_absolute_uri(_url(page, "result", token))
    pdf = generate_result_pdf(page, context, url, request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="digital-check-ergebnis.pdf"'
    return _private(response)


def retake_view(request, page: DigitalCheckPage, token: str):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    previous = _get_result_or_404(page, token)
    learner = ensure_learner(request)
    try:
        start_submission(page, learner, learner.token_hash or "", previous=previous)
    except NoQuestionnaireError:
        raise Http404(_("This check has no published questions yet.")) from None
    return HttpResponseRedirect(_url(page, "answer", 0))
