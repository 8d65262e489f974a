"""Page views of the catalogue and units (routes of their RoutablePageMixin pages).

Everything works without JavaScript: actions are forms that post here, call a service in
progress.py and redirect back (post/redirect/get); feedback comes from stored state.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from cms.core.fragments import cached_fragments
from cms.core.pagination import paginate
from cms.core.project_state import project_ended
from cms.images.renditions import CARD_SPECS, image_key_parts, prefetch_renditions
from cms.taxonomy.models import MaturityLevel, Topic

from . import progress
from .accounts import activate, find_user_to_activate, find_user_to_reset, request_account
from .forms import (
    CatalogueFilterForm,
    EmailAuthenticationForm,
    LearnerPasswordResetForm,
    LearnerSetPasswordForm,
    SignupForm,
)
from .learners import ensure_learner, find_learner, forget_learner
from .models import LearningCatalogPage, LearningPathPage, LearningUnitPage, StepStatus
from .quizzes import InvalidAnswerError, clean_answers
from .selectors import (
    catalogue_list,
    catalogue_paths,
    completed_units_per_path,
    export_learner_data,
    in_order,
    latest_unfinished,
    learner_paths,
    learner_units,
    localized_names,
    path_units,
    step_progress,
    step_state,
    unit_statuses,
    units_with_catalogue_data,
)

# --- catalogue ---------------------------------------------------------------------------


def catalogue_links(catalogue: LearningCatalogPage) -> dict:
    base = catalogue.url
    return {
        "catalogue_url": base,
        "my_progress_url": base + catalogue.reverse_subpage("my_progress"),
        "my_data_url": base + catalogue.reverse_subpage("my_data"),
        "my_data_export_url": base + catalogue.reverse_subpage("my_data_export"),
        "login_url": base + catalogue.reverse_subpage("login"),
        "signup_url": base + catalogue.reverse_subpage("signup"),
        "password_reset_url": base + catalogue.reverse_subpage("password_reset"),
        "logout_url": base + catalogue.reverse_subpage("logout"),
        "retention_days": settings.LEARNING_ANONYMOUS_RETENTION_DAYS,
        "learner_cookie_name": settings.LEARNING_COOKIE_NAME,
    }


def _catalogue_of(page) -> LearningCatalogPage | None:
    parent = page.get_parent()
    parent = parent.specific if parent else None
    return parent if isinstance(parent, LearningCatalogPage) else None


def _unit_card(unit, status, levels, topics, url=""):
    return {
        "page": unit,
        "url": url,
        "status": status,
        "minutes": unit.total_minutes,
        "level_min": levels.get(unit.level_min.translation_key, ""),
        "level_max": levels.get(unit.level_max.translation_key, ""),
        "topics": [topics.get(topic.translation_key, topic.name) for topic in unit.topics.all()],
        "formats": unit.format_list,
    }


def _unit_card_key(card) -> tuple:
    unit = card["page"]
    return (
        "unit",
        unit.pk,
        unit.title,
        unit.teaser,
        card["url"],
        card["minutes"],
        card["level_min"],
        card["level_max"],
        tuple(card["topics"]),
        tuple(card["formats"]),
        *image_key_parts(unit.teaser_image),
    )


def _prefetch_card_images(cards) -> None:
    prefetch_renditions([card["page"].teaser_image for card in cards], CARD_SPECS)


def render_unit_cards(cards: list[dict]) -> list[dict]:
    """Each card's HTML (``card["html"]``): from the fragment cache (``cms.core.fragments``)
    unless the learner has progress in the unit, which shows on the card."""
    html = cached_fragments(
        cards,
        "learning/includes/unit_card.html",
        key_parts=_unit_card_key,
        context_of=lambda card: {"card": card},
        prepare_missing=_prefetch_card_images,
        personal=lambda card: card["status"].started,
    )
    for card, fragment in zip(cards, html, strict=True):
        card["html"] = fragment
    return cards


UNITS_PER_PAGE = 24


def catalogue_view(request, catalogue: LearningCatalogPage):
    form = CatalogueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    # Which units and paths match, in order, comes from the cache (``catalogue_list``); only
    # the rows shown on this page are read.
    listing = catalogue_list(catalogue, filters)
    page_obj = paginate(request, listing.unit_ids, UNITS_PER_PAGE)
    units = _units_by_id(list(page_obj.object_list))
    learner = find_learner(request)
    levels, topics = localized_names(MaturityLevel), localized_names(Topic)
    statuses = unit_statuses(learner, units)
    # The units are the catalogue's children: their address is the catalogue's and their
    # slug, without asking Wagtail's router once per card.
    base = catalogue.get_url(request)
    unit_cards = render_unit_cards(
        [_unit_card(u, statuses[u.pk], levels, topics, url=f"{base}{u.slug}/") for u in units]
    )

    path_count = len(listing.path_ids)
    paths = _paths_by_id(listing.path_ids[:PATHS_ON_CATALOGUE])
    path_cards = _path_cards(request, learner, paths)

    context = {
        "filter_form": form,
        "unit_cards": unit_cards,
        "page_obj": page_obj,
        "path_cards": path_cards,
        "path_count": path_count,
        "all_paths_url": _with_filters(
            catalogue.url + catalogue.reverse_subpage("paths"), request
        ),
        "resume": _resume(latest_unfinished(learner)),
        **catalogue_links(catalogue),
    }
    return catalogue.render(request, context_overrides=context)


def _units_by_id(ids: list[int]) -> list:
    """The live units ``ids`` with what their cards show, in that order."""
    rows = units_with_catalogue_data(LearningUnitPage.objects.live().filter(pk__in=ids))
    return in_order(rows, ids)


def _paths_by_id(ids: list[int]) -> list:
    """The live paths ``ids`` with their units' count and minutes, in that order."""
    return in_order(catalogue_paths(LearningPathPage.objects.live().filter(pk__in=ids)), ids)


# The catalogue shows the first paths; all of them are a click away, paginated.
PATHS_ON_CATALOGUE = 6
PATHS_PER_PAGE = 24


def _with_filters(url: str, request) -> str:
    """``url`` with the request's filters (not its page number)."""
    query = request.GET.copy()
    query.pop("page", None)
    return f"{url}?{query.urlencode()}" if query else url


def _path_card_key(card) -> tuple:
    path = card["page"]
    return (
        "path",
        path.pk,
        path.title,
        card["url"],
        card["minutes"],
        card["unit_count"],
        *image_key_parts(path.teaser_image),
    )


def _path_cards(request, learner, paths) -> list[dict]:
    """Path cards with their HTML, cached as unit cards are (``render_unit_cards``)."""
    done = completed_units_per_path(learner, paths)
    cards = [
        {
            "page": path,
            "url": path.get_url(request),
            "minutes": path.minutes,
            "unit_count": path.unit_count,
            "done_units": done.get(path.pk, 0),
        }
        for path in paths
    ]
    html = cached_fragments(
        cards,
        "learning/includes/path_card.html",
        key_parts=_path_card_key,
        context_of=lambda card: {"card": card},
        prepare_missing=_prefetch_card_images,
        personal=lambda card: bool(card["done_units"]),
    )
    for card, fragment in zip(cards, html, strict=True):
        card["html"] = fragment
    return cards


def paths_view(request, catalogue: LearningCatalogPage):
    """All learning paths of the catalogue, paginated, under the catalogue's filters."""
    form = CatalogueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    listing = catalogue_list(catalogue, filters)
    page_obj = paginate(request, listing.path_ids, PATHS_PER_PAGE)
    context = {
        "filter_form": form,
        "page_obj": page_obj,
        "path_cards": _path_cards(
            request, find_learner(request), _paths_by_id(list(page_obj.object_list))
        ),
        **catalogue_links(catalogue),
        "filters_reset_url": catalogue.url + catalogue.reverse_subpage("paths"),
        "back_url": _with_filters(catalogue.url, request),
    }
    return catalogue.render(
        request, template="learning/learning_paths.html", context_overrides=context
    )


def _resume(unit_progress):
    if unit_progress is None:
        return None
    unit = unit_progress.unit
    step = unit.get_step(unit_progress.last_step_id) if unit_progress.last_step_id else None
    if step is None:
        return {"unit": unit, "step": None, "url": unit.url}
    return {"unit": unit, "step": step, "url": unit.step_url(step.id)}


def my_progress_view(request, catalogue):
    learner = find_learner(request)
    rows = learner_units(learner)
    statuses = unit_statuses(learner, [row.unit for row in rows])
    started = [(row, statuses[row.unit_id]) for row in rows if row.completed_at is None]
    completed = [(row, statuses[row.unit_id]) for row in rows if row.completed_at is not None]
    done_ids = {row.unit_id for row in rows if row.completed_at is not None}
    paths = []
    for path in learner_paths(learner, [row.unit_id for row in rows]):
        members = path_units(path)
        done = sum(1 for unit in members if unit.pk in done_ids)
        paths.append(
            {
                "page": path,
                "done_units": done,
                "unit_count": len(members),
                "completed": bool(members) and done == len(members),
            }
        )
    context = {
        "started": [
            {"row": row, "status": status, "resume": _resume(row)} for row, status in started
        ],
        "completed": [{"row": row, "status": status} for row, status in completed],
        "paths": paths,
        **catalogue_links(catalogue),
    }
    return catalogue.render(
        request, template="learning/my_progress.html", context_overrides=context
    )


def my_data_view(request, catalogue):
    learner = find_learner(request)
    user = request.user if request.user.is_authenticated else None
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Please confirm that you want to delete your data."))
            return HttpResponseRedirect(request.path)
        delete_account = request.POST.get("delete_account") == "yes"
        if learner is not None:
            progress.delete_learner(learner)
        if delete_account and user is not None:
            logout(request)
            user.delete()  # certificates are withdrawn with it (cms.digitalcheck)
            messages.success(
                request,
                _(
                    "Your account and all its data have been deleted; its certificates are "
                    "withdrawn."
                ),
            )
        else:
            messages.success(request, _("Your learning data has been deleted."))
        return forget_learner(request, HttpResponseRedirect(request.path))
    data = export_learner_data(learner, user)
    context = {
        "has_data": learner is not None or bool(data.get("certificates")),
        "counts": {
            key: len(data.get(key, []))
            for key in (
                "units",
                "steps",
                "quiz_attempts",
                "checklist_items",
                "reflections",
                "certificates",
            )
        },
        **catalogue_links(catalogue),
    }
    return catalogue.render(request, template="learning/my_data.html", context_overrides=context)


def my_data_export_view(request, catalogue):
    data = export_learner_data(find_learner(request), request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="meine-lerndaten.json"'
    response["Cache-Control"] = "private, no-store"
    return response


def _after_login_url(request, catalogue) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return catalogue_links(catalogue)["my_progress_url"]


def signup_view(request, catalogue):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        links = catalogue_links(catalogue)
        request_account(
            email,
            form.cleaned_data["password1"],
            links={
                "login": request.build_absolute_uri(links["login_url"]),
                "password_reset": request.build_absolute_uri(links["password_reset_url"]),
                "confirm": lambda uidb64, token: request.build_absolute_uri(
                    catalogue.url
                    + catalogue.reverse_subpage("signup_confirm", args=[uidb64, token])
                ),
            },
        )
        # The same answer whether or not the address has an account: only its mailbox knows.
        messages.info(
            request,
            _(
                "We have sent a message to %(email)s. Please follow the link in it to "
                "activate your account."
            )
            % {"email": email},
        )
        return HttpResponseRedirect(links["login_url"])
    return _account_form(
        request,
        catalogue,
        form,
        heading=_("Create an account"),
        switch=(_("Already registered?"), _("Log in"), "login_url"),
        closed_after_project_end=project_ended(request) is not None,
    )


def signup_confirm_view(request, catalogue, uidb64, token):
    """GET shows a button, POST activates: link scanners in mail systems only GET."""
    user = find_user_to_activate(uidb64, token)
    if user is None:
        messages.error(
            request,
            _(
                "This confirmation link is invalid or has been used already. Log in, or "
                "create the account again."
            ),
        )
        return HttpResponseRedirect(catalogue_links(catalogue)["login_url"])
    if request.method == "POST":
        activate(user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return _logged_in(
            request, catalogue, _("Your account is ready; your progress so far is kept.")
        )
    context = {"email": user.email, **catalogue_links(catalogue)}
    return catalogue.render(
        request, template="learning/signup_confirm.html", context_overrides=context
    )


def login_view(request, catalogue):
    form = EmailAuthenticationForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        return _logged_in(
            request, catalogue, _("You are logged in; your progress so far is kept.")
        )
    return _account_form(
        request,
        catalogue,
        form,
        heading=_("Log in"),
        switch=(_("No account yet?"), _("Create an account"), "signup_url"),
        offer_password_reset=True,
    )


def password_reset_view(request, catalogue):
    form = LearnerPasswordResetForm(request.POST or None)
    links = catalogue_links(catalogue)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        form.save(
            request=request,
            subject_template_name="learning/emails/password_reset_subject.txt",
            email_template_name="learning/emails/password_reset.txt",
            extra_email_context={
                "reset_base": request.build_absolute_uri(links["password_reset_url"])
            },
        )
        messages.info(
            request,
            _(
                "If there is an account for %(email)s, we have sent a link for setting a new "
                "password to it."
            )
            % {"email": email},
        )
        return HttpResponseRedirect(links["login_url"])
    return _account_form(
        request,
        catalogue,
        form,
        heading=_("Set a new password"),
        switch=(_("Remember it again?"), _("Log in"), "login_url"),
    )


def password_reset_confirm_view(request, catalogue, uidb64, token):
    links = catalogue_links(catalogue)
    user = find_user_to_reset(uidb64, token)
    if user is None:
        messages.error(
            request,
            _("This link is invalid or has been used already. Please ask for a new one."),
        )
        return HttpResponseRedirect(links["password_reset_url"])
    form = LearnerSetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your new password is set. Please log in with it."))
        return HttpResponseRedirect(links["login_url"])
    return _account_form(
        request,
        catalogue,
        form,
        heading=_("Set a new password"),
        switch=(_("Remember it again?"), _("Log in"), "login_url"),
    )


def _logged_in(request, catalogue, message: str):
    """After sign-up or login: say so, drop the anonymous learner cookie (its progress was
    merged into the account) and go where the learner came from."""
    messages.success(request, message)
    # The account holder asked for their progress to be kept: from now on reading a step
    # counts, as it does for anonymous learners after their first write.
    if not project_ended(request):
        ensure_learner(request)
    return forget_learner(request, HttpResponseRedirect(_after_login_url(request, catalogue)))


def _account_form(
    request,
    catalogue,
    form,
    *,
    heading: str,
    switch: tuple[str, str, str],
    offer_password_reset: bool = False,
    closed_after_project_end: bool = False,
):
    """The login or sign-up page; ``switch`` is (prompt, link text, link name) of the other."""
    prompt, label, link = switch
    links = catalogue_links(catalogue)
    context = {
        "form": form.describe_fields(),
        "next": request.GET.get("next", ""),
        "heading": heading,
        "switch_prompt": prompt,
        "switch_label": label,
        "switch_url": links[link],
        "offer_password_reset": offer_password_reset,
        "closed_after_project_end": closed_after_project_end,
        **links,
    }
    return catalogue.render(
        request, template="learning/account_form.html", context_overrides=context
    )


def logout_view(request, catalogue):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    logout(request)
    messages.success(request, _("You are logged out."))
    return HttpResponseRedirect(catalogue.url)


# --- units -------------------------------------------------------------------------------


def _unit_context(request, unit: LearningUnitPage, learner) -> dict:
    catalogue = _catalogue_of(unit)
    rows = step_progress(learner, unit)
    steps = [
        {
            "step": step,
            "url": unit.step_url(step.id),
            "status": rows[step.id].status if step.id in rows else "",
        }
        for step in unit.step_list
    ]
    levels = localized_names(MaturityLevel)
    topics = localized_names(Topic)
    return {
        "steps": steps,
        "step_status": StepStatus,
        "level_min": levels.get(unit.level_min.translation_key, ""),
        "level_max": levels.get(unit.level_max.translation_key, ""),
        "topic_names": [topics.get(t.translation_key, t.name) for t in unit.topics.all()],
        "authors": list(unit.authors.all()),
        "unit_status": unit_statuses(learner, [unit])[unit.pk],
        **(catalogue_links(catalogue) if catalogue else {}),
    }


def unit_overview_view(request, unit: LearningUnitPage):
    learner = find_learner(request)
    if learner is not None and request.method == "GET" and not project_ended(request):
        progress.record_unit_visit(learner, unit)
    context = _unit_context(request, unit, learner)
    status = context["unit_status"]
    resume_step = unit.get_step(status.last_step_id) if status.last_step_id else None
    context["resume_step"] = resume_step
    context["resume_url"] = unit.step_url(resume_step.id) if resume_step else ""
    first = unit.step_list[0] if unit.step_list else None
    context["start_url"] = unit.step_url(first.id) if first else ""
    return unit.render(request, context_overrides=context)


def _get_step_or_404(unit, step_id):
    step = unit.get_step(step_id)
    if step is None:
        raise Http404(_("This unit has no such step."))
    return step


def _quiz_view_model(quiz, attempts):
    """The quiz as the template shows it, with the feedback of the latest attempt."""
    latest = attempts[-1] if attempts else None
    left = None if not quiz.max_attempts else max(quiz.max_attempts - len(attempts), 0)
    passed = any(attempt.passed for attempt in attempts)
    can_answer = left is None or left > 0
    questions = []
    for question in quiz.questions:
        chosen = set(latest.answers.get(question.id, [])) if latest else set()
        correct = latest.results.get(question.id) if latest else None
        questions.append(
            {
                "question": question,
                "chosen": chosen,
                "answered_correctly": correct,
                "feedback": [o for o in question.options if o.id in chosen and o.feedback],
                "show_explanation": latest is not None and (correct or not can_answer),
            }
        )
    return {
        "quiz": quiz,
        "questions": questions,
        "latest": latest,
        "attempt_count": len(attempts),
        "attempts_left": left,
        "can_answer": can_answer,
        "passed": passed,
    }


def unit_step_view(request, unit: LearningUnitPage, step_id: str):
    step = _get_step_or_404(unit, step_id)
    # Reading a step stores nothing for a visitor without learning data (no cookie before
    # it is needed); once they have some, the view counts for resuming and time spent.
    learner = find_learner(request)
    read_only = project_ended(request) is not None
    row = None
    if learner is not None and read_only:
        row = step_progress(learner, unit).get(step.id)  # read-only: shown, not recorded
    elif learner is not None:
        row = progress.record_step_view(learner, unit, step)
    state = step_state(learner, unit, step)
    items = []
    for child in step.content:
        block_id = str(child.id)
        extra = {"block_id": block_id, "read_only": read_only}
        if child.block_type == "checklist":
            checklist = step.checklists[block_id]
            extra["items"] = [
                {"id": item_id, "text": text, "checked": item_id in state["checked"]}
                for item_id, text in checklist.items
            ]
            extra["action"] = _action(unit, "checklist", step.id, block_id)
        elif child.block_type == "reflection":
            extra["answer"] = state["reflections"].get(block_id, "")
            extra["action"] = _action(unit, "reflection", step.id, block_id)
        elif child.block_type == "quiz":
            extra["quiz_state"] = _quiz_view_model(
                step.quizzes[block_id], state["attempts"].get(block_id, [])
            )
            extra["action"] = _action(unit, "quiz", step.id, block_id)
        items.append({"block": child, "extra": extra})
    position = step.number - 1
    steps = unit.step_list
    context = _unit_context(request, unit, learner)
    context.update(
        {
            "step": step,
            "step_row": row,
            "items": items,
            "previous_step": steps[position - 1] if position > 0 else None,
            "next_step": steps[position + 1] if position + 1 < len(steps) else None,
            "previous_url": unit.step_url(steps[position - 1].id) if position > 0 else "",
            "next_url": unit.step_url(steps[position + 1].id) if position + 1 < len(steps) else "",
            "done_action": _action(unit, "step_done", step.id),
            "save_progress_action": (
                _action(unit, "step_viewed", step.id) if learner is None and not read_only else ""
            ),
            "read_only": read_only,
            "api_step_url": f"/api/learning/units/{unit.pk}/steps/{step.id}/",
        }
    )
    response = unit.render(request, template="learning/unit_step.html", context_overrides=context)
    response["Cache-Control"] = "private, no-store"
    return response


def _action(unit, name, step_id, block_id=None) -> str:
    args = [step_id] if block_id is None else [step_id, block_id]
    return unit.url + unit.reverse_subpage(name, args=args)


def _back_to_step(request, unit, step, anchor=""):
    return HttpResponseRedirect(unit.step_url(step.id) + (f"#{anchor}" if anchor else ""))


def step_viewed_view(request, unit, step_id):
    """The visitor asks to have their progress saved, starting with this step."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    step = _get_step_or_404(unit, step_id)
    progress.record_step_view(ensure_learner(request), unit, step)
    messages.success(request, _("Your progress in this unit is saved from now on."))
    return _back_to_step(request, unit, step, "step-status")


def step_done_view(request, unit, step_id):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    step = _get_step_or_404(unit, step_id)
    progress.mark_step_done(ensure_learner(request), unit, step)
    messages.success(request, _("Step marked as done."))
    return _back_to_step(request, unit, step, "step-status")


def quiz_view(request, unit, step_id, block_id):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    step = _get_step_or_404(unit, step_id)
    quiz = step.quizzes.get(block_id)
    if quiz is None:
        raise Http404(_("This step has no such quiz."))
    answers = {
        question.id: request.POST.getlist(f"q-{question.id}") for question in quiz.questions
    }
    try:
        clean_answers(quiz, answers)  # a refused answer creates no learner
        attempt = progress.submit_quiz(ensure_learner(request), unit, step, quiz, answers)
    except InvalidAnswerError as error:
        messages.error(request, str(error))
    except progress.AttemptsExhaustedError:
        messages.error(request, _("You have used all attempts for this quiz."))
    else:
        if attempt.passed:
            messages.success(
                request, _("Passed with %(score)s %% correct.") % {"score": attempt.score}
            )
        else:
            messages.warning(
                request,
                _("%(score)s %% correct; %(needed)s %% are needed to pass.")
                % {"score": attempt.score, "needed": quiz.pass_threshold},
            )
    return _back_to_step(request, unit, step, f"quiz-{block_id}")


def checklist_view(request, unit, step_id, block_id):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    step = _get_step_or_404(unit, step_id)
    checklist = step.checklists.get(block_id)
    if checklist is None:
        raise Http404(_("This step has no such checklist."))
    progress.set_checklist(
        ensure_learner(request), unit, step, checklist, request.POST.getlist("item")
    )
    messages.success(request, _("Checklist saved."))
    return _back_to_step(request, unit, step, f"checklist-{block_id}")


def reflection_view(request, unit, step_id, block_id):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    step = _get_step_or_404(unit, step_id)
    if block_id not in step.reflections:
        raise Http404(_("This step has no such reflection."))
    text = request.POST.get("text", "")
    if len(text) > progress.MAX_REFLECTION_LENGTH:
        messages.error(
            request,
            _("Your answer is too long: at most %(count)s characters.")
            % {"count": progress.MAX_REFLECTION_LENGTH},
        )
    else:
        progress.save_reflection(ensure_learner(request), unit, step, block_id, text)
        messages.success(request, _("Your answer is saved. Only you can see it."))
    return _back_to_step(request, unit, step, f"reflection-{block_id}")


# --- paths -------------------------------------------------------------------------------


def path_context(request, path) -> dict:
    learner = find_learner(request)
    units = list(
        units_with_catalogue_data(
            LearningUnitPage.objects.live().filter(in_paths__path=path)
        ).order_by("in_paths__sort_order")
    )
    statuses = unit_statuses(learner, units)
    levels = localized_names(MaturityLevel)
    topics = localized_names(Topic)
    cards = render_unit_cards(
        [
            _unit_card(unit, statuses[unit.pk], levels, topics, url=unit.get_url(request))
            for unit in units
        ]
    )
    catalogue = _catalogue_of(path)
    done = sum(1 for card in cards if card["status"].completed)
    return {
        "unit_cards": cards,
        "total_minutes": sum(unit.total_minutes for unit in units),
        "done_units": done,
        "path_completed": bool(cards) and done == len(cards),
        **(catalogue_links(catalogue) if catalogue else {}),
    }
