"""The Digital-Check in the static archive: scored in the browser, nothing sent anywhere.

The live check is a sequence of forms posted to the server. Right after the check's page is
fetched (before its links are followed), :func:`prepare_check_page` replaces its start
block with every step of the questionnaire in one form — the same radio groups as the live
steps — and writes the check's scoring definition
(``digitalcheck.definition.check_definition``: questionnaire, scales, maturity levels, the
units and paths recommendations are chosen from) with the result page's texts into the page
as ``<script type="application/json" id="archive-check-data">``.
``static/archive/digitalcheck.js`` scores the answers with the server's rules
(``definition.evaluate``) and shows the result with the result page's markup; answers are
kept only in the browser's ``localStorage``. What needs a server (a result saved to an
account, its private link and PDF, the follow-up e-mail, reach figures) is said to be not
offered. After the generic rewriting :func:`finish_check_page` points the definition's
unit and path URLs at the archive's copies.
"""

from __future__ import annotations

import json

from bs4 import BeautifulSoup
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext as _

from cms.digitalcheck.definition import check_definition
from cms.digitalcheck.forms import build_steps, form_for

from .pages import dump_json, live_pages_by_path

SCRIPT_PATH = "archive/digitalcheck.js"
DATA_ID = "archive-check-data"
PAGE_CLASS = "template-digital-check"


def texts() -> dict[str, str]:
    """The result page's texts (its message ids, so its translations), with ``%(name)s``
    placeholders the script fills in."""
    return {
        "overall": _("Overall score"),
        "score_of": _("%(score)s of 100"),
        "overall_level": _("This puts you at the maturity level “%(overall_level)s”."),
        "dimensions": _("Scores per dimension"),
        "chart_label": _("Scores per dimension, 0 to 100")
        + ". "
        + _("Bar chart; the same figures are in the table below."),
        "table_caption": _("Scores per dimension, 0 to 100"),
        "dimension": _("Dimension"),
        "score": _("Score"),
        "topics": _("Topics: maturity level and potential"),
        "topics_intro": _(
            "Where a topic is more important to you than it is put into practice, there is "
            "untapped potential. The larger the gap, the further up the topic."
        ),
        "topic": _("Topic"),
        "implementation": _("We put this into practice"),
        "relevance": _("This is important for us"),
        "gap": _("Potential (gap)"),
        "level": _("Maturity level"),
        "recommended": _("Recommended for you"),
        "recommended_intro": _(
            "Sorted by the potential in their topics and matched to your maturity level."
        ),
        "units": _("Self-learning units"),
        "paths": _("Learning paths"),
        "unit_meta": _("Topic: %(topics)s · level %(level)s · about %(minutes)s minutes"),
        "path_meta": _("Topic: %(topics)s · level %(level)s"),
        "no_recommendation": _(
            "No gaps between importance and practice: we have no specific recommendation "
            "right now."
        ),
        "choose": _("Please choose an answer for “%(label)s”"),
        "announce": _("Your result is shown below: %(score)s of 100."),
        "forgotten": _("This browser no longer keeps any answers of this check."),
        "decimal_separator": formats.get_format("DECIMAL_SEPARATOR"),
    }


def browser_privacy_text() -> str:
    return _(
        "In this archive nothing you answer is sent anywhere: the check is scored in your "
        "browser. Your answers are kept only in this browser (its local storage, "
        "“localStorage”) so that you can come back to them. Other people and other browsers "
        "cannot see them. Deleting this website's data in the browser, or the button below, "
        "removes them."
    )


def prepare_check_page(exporter, resource) -> None:
    """Turn the check's start page into the questionnaire scored in the browser (see the
    module docstring); other pages are left alone."""
    if not resource.is_html or resource.body is None or PAGE_CLASS.encode() not in resource.body:
        return
    from cms.digitalcheck.models import DigitalCheckPage

    check = live_pages_by_path(exporter, DigitalCheckPage).get(resource.url.split("?", 1)[0])
    if check is None:
        return
    definition = check_definition(check)
    if definition is None:
        return
    soup = BeautifulSoup(resource.body, "html.parser")
    start = soup.find("div", class_="check-start")
    if start is None:
        return
    language = resource.language or settings.LANGUAGE_CODE
    with translation.override(language):
        steps = [
            {"kind": step.kind, "title": step.title, "data": step.data, "form": form_for(step)}
            for step in build_steps(definition["questionnaire"])
            if step.kind != "context"  # company details only served the centre's planning
        ]
        html = render_to_string("archive/digital_check.html", {"steps": steps})
        start.replace_with(BeautifulSoup(html, "html.parser"))
        for link in soup.select(".check-certificates"):
            link.decompose()
        _rewrite_privacy_note(soup)
        data = {"definition": definition, "texts": texts()}
    script = soup.new_tag("script", attrs={"type": "application/json", "id": DATA_ID})
    script.string = dump_json(data)
    loader = soup.new_tag("script", attrs={"src": settings.STATIC_URL + SCRIPT_PATH, "defer": ""})
    soup.head.append(script)
    soup.head.append(loader)
    resource.body = str(soup).encode()


def _rewrite_privacy_note(soup) -> None:
    note = soup.find("section", class_="privacy-note")
    if note is None:
        return
    for paragraph in note.find_all("p"):
        paragraph.decompose()
    text = soup.new_tag("p", attrs={"data-archive-privacy": ""})
    text.string = browser_privacy_text()
    note.append(text)
    paragraph = soup.new_tag("p")
    button = soup.new_tag(
        "button",
        attrs={"type": "button", "class": "button button--secondary", "data-archive-forget": ""},
    )
    button.string = _("Delete the answers this browser keeps")
    paragraph.append(button)
    note.append(paragraph)
    status = soup.new_tag(
        "p", attrs={"class": "hint", "role": "status", "data-archive-forget-status": ""}
    )
    note.append(status)


def finish_check_page(exporter, soup, resource, note_link: str, note_path: str) -> None:
    """After the generic rewriting: the check's form loses the "does not work here" note,
    and the definition links units and paths as the archive does. The note page says that
    the check still works."""
    if resource.url.endswith(note_path):
        privacy = soup.find("p", attrs={"data-archive-privacy": True})
        if privacy is not None:
            language = resource.language or settings.LANGUAGE_CODE
            with translation.override(language):
                paragraph = soup.new_tag("p", attrs={"data-archive-privacy": ""})
                paragraph.string = _(
                    "The Digital-Check still works too: it is scored in your browser, and your "
                    "answers are kept only in this browser's local storage."
                )
            privacy.insert_after(paragraph)
        return
    script = soup.find("script", id=DATA_ID)
    if script is None or not script.string:
        return
    for form in soup.select("form[data-archive-check]"):
        for note in form.find_all(class_="archive-note"):
            note.decompose()
    data = json.loads(script.string)
    for candidate in (*data["definition"]["units"], *data["definition"]["paths"]):
        candidate["url"] = exporter.link_for(candidate["url"], resource) or note_link
    script.string = dump_json(data)
