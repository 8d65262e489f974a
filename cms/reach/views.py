"""Public endpoints: the video player's beacon and the follow-up question's form."""

from __future__ import annotations

import json
import re

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cms.core.project_state import open_after_project_end
from cms.digitalcheck.models import Submission, SubmissionStatus
from cms.learning.learners import ensure_learner, find_learner
from cms.learning.models import LearningUnitPage

from . import follow_up
from .counting import record_play
from .forms import MILESTONES, FollowUpForm

MAX_BEACON_BYTES = 1024
_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)


def _bad(message: str) -> HttpResponse:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


@open_after_project_end  # aggregate counts, no personal data: reach reports stay complete
@csrf_exempt  # navigator.sendBeacon carries no token; the view changes nothing but a count
@require_POST
def beacon(request):
    """``{"video": <page id>, "milestone": 0|25|50|75|100, "site": "<embedding host>"}``.
    Sent as text/plain so no CORS preflight is needed; junk gets a 400, never a 500."""
    from cms.videos.models import ExplainerVideoPage

    if len(request.body) > MAX_BEACON_BYTES:
        return _bad(_("The report is too large."))
    try:
        data = json.loads(request.body.decode())
    except (UnicodeDecodeError, ValueError):
        return _bad(_("The report is not valid JSON."))
    if not isinstance(data, dict):
        return _bad(_("The report is not valid JSON."))
    video, milestone, site = data.get("video"), data.get("milestone"), data.get("site", "")
    if (
        not isinstance(video, int)
        or isinstance(video, bool)
        or not 0 < video < 2**31
        or milestone not in MILESTONES
        or isinstance(milestone, bool)
    ):
        return _bad(_("The report names no video or no known milestone."))
    if not isinstance(site, str) or (site and not _HOSTNAME.match(site.lower())):
        return _bad(_("The embedding site is not a host name."))
    if not ExplainerVideoPage.objects.live().public().filter(pk=video).exists():
        return _bad(_("There is no such video."))
    own = request.get_host().split(":")[0].lower()
    site = "" if site.lower() == own else site.lower()
    record_play(request, video, milestone, site)
    return HttpResponse(status=204)


@require_POST
def follow_up_view(request, unit_id: int):
    """Answer, skip ("not now" closes this unit's question) or decline for good."""
    unit = get_object_or_404(LearningUnitPage, pk=unit_id)
    return _follow_up(request, find_learner(request), unit=unit)


@require_POST
def follow_up_check_view(request, submission_id: int):
    """The same for a submitted Digital-Check; only its own learner can answer."""
    submission = get_object_or_404(
        Submission.objects.select_related("version__page"),
        pk=submission_id,
        status=SubmissionStatus.SUBMITTED,
    )
    learner = find_learner(request)
    if learner is not None and submission.learner_id != learner.pk:
        learner = None
    return _follow_up(request, learner, submission=submission)


def _follow_up(request, learner, **item):
    back = _back(request)
    if learner is None:
        return redirect(back)
    action = request.POST.get("action", "answer")
    if action == "never":
        follow_up.decline(learner, for_good=True, **item)
    elif action == "skip":
        follow_up.decline(learner, for_good=False, **item)
    else:
        form = FollowUpForm(request.POST)
        if not form.is_valid():
            return redirect(back + "#follow-up")
        follow_up.answer(learner, form.cleaned_data["answer"], form.cleaned_data["text"], **item)
    return redirect(back)


@require_POST
def follow_up_mail_view(request):
    """An account holder agrees to (``consent=yes``) or stops the follow-up e-mail."""
    back = _back(request)
    if not request.user.is_authenticated:
        return redirect(back)
    follow_up.set_mail_consent(ensure_learner(request), request.POST.get("consent") == "yes")
    if request.POST.get("consent") == "yes":
        messages.success(request, _("We will ask you once by e-mail."))
    else:
        messages.success(request, _("You will get no follow-up e-mail."))
    return redirect(back)


def _back(request) -> str:
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = "/"
    return back
