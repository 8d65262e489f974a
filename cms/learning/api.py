"""JSON API for learner progress events, mounted at /api/ (schema at /api/openapi.json).

Requests are authenticated by the learner cookie or the logged-in account, and CSRF-checked
like a form post (send the ``X-CSRFToken`` header). A learner only ever reads and writes
their own data: no endpoint takes a learner id. Reading creates no learner; the first valid
write does (and the response sets its cookie). Unknown units, steps or blocks are 404;
malformed bodies are 422 with a readable ``detail``.
"""

from __future__ import annotations

from uuid import UUID

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.security import APIKeyCookie
from pydantic import Field

from . import progress
from .learners import COOKIE_NAME, ensure_learner, find_learner
from .models import LearningUnitPage, StepStatus
from .quizzes import InvalidAnswerError, clean_answers
from .selectors import step_progress, step_state


class LearnerAuth(APIKeyCookie):
    """The learner cookie (or a logged-in account); with Django's CSRF check."""

    param_name = COOKIE_NAME

    def authenticate(self, request, key):
        # Passing means the CSRF check passed. Who is learning is looked up per endpoint:
        # reads find the learner, writes create one only once the request proved valid.
        return True


api = NinjaAPI(
    title="Lernfunk API",
    version="1",
    urls_namespace="lernfunk_api",
    auth=LearnerAuth(),
)


@api.exception_handler(ValidationError)
def validation_failed(request, exc):
    problems = []
    for error in exc.errors:
        where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
        problems.append(f"{where}: {error.get('msg')}" if where else str(error.get("msg")))
    return api.create_response(
        request,
        {
            "detail": _("The request is not valid: %(problems)s")
            % {"problems": "; ".join(problems)},
            "errors": exc.errors,
        },
        status=422,
    )


def _answer_without_locale_redirect(request):
    # LocaleMiddleware turns any 404 outside i18n_patterns into a redirect to /de/<path>
    # when that path resolves, and Wagtail's catch-all makes every path resolve. Checked
    # against a URLconf that holds only the API, /de/api/… does not, so the 404 stays.
    request.urlconf = "cms.learning.api_urls"


@api.exception_handler(Http404)
def not_found(request, exc):
    _answer_without_locale_redirect(request)
    return api.create_response(request, {"detail": str(exc) or _("Not found.")}, status=404)


@api.exception_handler(HttpError)
def http_error(request, exc):
    if exc.status_code == 400:  # ninja's "Cannot parse request body"
        return api.create_response(
            request, {"detail": _("The request body is not valid JSON.")}, status=422
        )
    if exc.status_code == 404:
        _answer_without_locale_redirect(request)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


router = Router(tags=["learning"])


class QuizAnswerIn(Schema):
    answers: dict[UUID, list[UUID]] = Field(
        description="question id → chosen option ids (one for single choice)"
    )


class ChecklistItemIn(Schema):
    checked: bool


class ReflectionIn(Schema):
    text: str = Field(max_length=progress.MAX_REFLECTION_LENGTH)


class StepOut(Schema):
    step_id: str
    status: str
    seconds_spent: int
    marked_done: bool


class QuestionResultOut(Schema):
    question_id: str
    correct: bool
    feedback: list[str]
    explanation: str


class QuizAttemptOut(Schema):
    score: int
    passed: bool
    attempts_left: int | None
    step: StepOut
    questions: list[QuestionResultOut]


class UnitProgressOut(Schema):
    unit_id: int
    completed: bool
    last_step_id: str
    steps: list[StepOut]
    checklist_items: list[str]
    reflections: dict[str, str]


def _unit(unit_id: int) -> LearningUnitPage:
    unit = LearningUnitPage.objects.live().public().filter(pk=unit_id).first()
    if unit is None:
        raise Http404(_("There is no such unit."))
    return unit


def _step(unit, step_id: UUID):
    step = unit.get_step(step_id)
    if step is None:
        raise Http404(_("This unit has no such step."))
    return step


def _step_out(row) -> dict:
    return {
        "step_id": row.step_id,
        "status": row.status,
        "seconds_spent": row.seconds_spent,
        "marked_done": row.marked_done,
    }


def _respond(request, data, status=200):
    return api.create_response(request, data, status=status)


@router.post(
    "/units/{unit_id}/steps/{step_id}/viewed", response={200: StepOut}, summary="Step viewed"
)
def step_viewed(request, unit_id: int, step_id: UUID):
    unit = _unit(unit_id)
    step = _step(unit, step_id)
    row = progress.record_step_view(ensure_learner(request), unit, step)
    return _respond(request, _step_out(row))


@router.post(
    "/units/{unit_id}/steps/{step_id}/done", response={200: StepOut}, summary="Step marked done"
)
def step_done(request, unit_id: int, step_id: UUID):
    unit = _unit(unit_id)
    step = _step(unit, step_id)
    row = progress.mark_step_done(ensure_learner(request), unit, step)
    return _respond(request, _step_out(row))


@router.post(
    "/units/{unit_id}/steps/{step_id}/quizzes/{quiz_id}/answers",
    response={200: QuizAttemptOut},
    summary="Quiz answered",
)
def quiz_answer(request, unit_id: int, step_id: UUID, quiz_id: UUID, payload: QuizAnswerIn):
    unit = _unit(unit_id)
    step = _step(unit, step_id)
    quiz = step.quizzes.get(str(quiz_id))
    if quiz is None:
        raise Http404(_("This step has no such quiz."))
    answers = {str(q): [str(o) for o in options] for q, options in payload.answers.items()}
    try:
        clean_answers(quiz, answers)  # a refused answer creates no learner
        learner = ensure_learner(request)
        attempt = progress.submit_quiz(learner, unit, step, quiz, answers)
    except InvalidAnswerError as error:
        raise ValidationError([{"loc": ("body", "answers"), "msg": str(error)}]) from error
    except progress.AttemptsExhaustedError:
        return _respond(
            request, {"detail": _("You have used all attempts for this quiz.")}, status=409
        )
    left = progress.attempts_left(learner, unit, quiz)
    questions = []
    for question in quiz.questions:
        chosen = set(attempt.answers.get(question.id, []))
        correct = attempt.results[question.id]
        questions.append(
            {
                "question_id": question.id,
                "correct": correct,
                "feedback": [
                    o.feedback for o in question.options if o.id in chosen and o.feedback
                ],
                "explanation": question.explanation if correct or left == 0 else "",
            }
        )
    row = step_progress(learner, unit)[step.id]
    return _respond(
        request,
        {
            "score": attempt.score,
            "passed": attempt.passed,
            "attempts_left": left,
            "step": _step_out(row),
            "questions": questions,
        },
    )


@router.post(
    "/units/{unit_id}/steps/{step_id}/checklists/{checklist_id}/items/{item_id}",
    response={200: dict},
    summary="Checklist item ticked or unticked",
)
def checklist_item(
    request,
    unit_id: int,
    step_id: UUID,
    checklist_id: UUID,
    item_id: UUID,
    payload: ChecklistItemIn,
):
    unit = _unit(unit_id)
    step = _step(unit, step_id)
    checklist = step.checklists.get(str(checklist_id))
    if checklist is None or str(item_id) not in {item for item, _text in checklist.items}:
        raise Http404(_("This step has no such checklist item."))
    progress.set_checklist_item(
        ensure_learner(request), unit, step, checklist.id, str(item_id), payload.checked
    )
    return _respond(request, {"item_id": str(item_id), "checked": payload.checked})


@router.post(
    "/units/{unit_id}/steps/{step_id}/reflections/{reflection_id}",
    response={200: dict},
    summary="Reflection saved",
)
def reflection(request, unit_id: int, step_id: UUID, reflection_id: UUID, payload: ReflectionIn):
    unit = _unit(unit_id)
    step = _step(unit, step_id)
    if str(reflection_id) not in step.reflections:
        raise Http404(_("This step has no such reflection."))
    progress.save_reflection(ensure_learner(request), unit, step, str(reflection_id), payload.text)
    return _respond(request, {"reflection_id": str(reflection_id), "saved": True})


@router.get("/units/{unit_id}/progress", response={200: UnitProgressOut}, summary="My progress")
def unit_progress(request, unit_id: int):
    unit = _unit(unit_id)
    learner = find_learner(request)
    rows = step_progress(learner, unit)
    state = step_state(learner, unit)
    checked, reflections = state["checked"], state["reflections"]
    required = {step.id for step in unit.step_list if step.required}
    completed = required <= {
        step_id for step_id, row in rows.items() if row.status == StepStatus.COMPLETED
    }
    last = None
    if learner is not None:
        last = learner.units.filter(unit=unit).values_list("last_step_id", flat=True).first()
    return _respond(
        request,
        {
            "unit_id": unit.pk,
            "completed": bool(rows) and completed,
            "last_step_id": last or "",
            "steps": [_step_out(row) for row in rows.values()],
            "checklist_items": sorted(checked),
            "reflections": reflections,
        },
    )


api.add_router("/learning", router)
