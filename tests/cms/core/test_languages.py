"""Both languages complete: every public page type of the demo exists in German and English,
and no page shows text of the other language unless it is marked (``lang``)."""

import re

import feedparser
import pytest
from lxml import html as lxml_html
from wagtail.models import Page

pytestmark = pytest.mark.django_db


# The demo content is loaded once for this module's tests (see tests/cms/conftest.py).
@pytest.fixture
def demo_site(shared_demo_site):
    return shared_demo_site


@pytest.fixture(autouse=True)
def _media_root(shared_demo_media_root):
    pass


# Frequent function words: a sentence of the other language has several of them.
GERMAN_WORDS = {
    "und", "der", "die", "das", "mit", "für", "sie", "ist", "nicht", "ein", "eine", "zu", "auf",
    "wie", "wir", "ihr", "ihre", "den", "dem", "von", "im", "oder", "auch", "bei", "sich",
    "werden", "zum", "zur", "noch", "nur", "aus", "über", "unsere", "unser", "sind", "wird",
    "kann", "mehr", "diese", "dieser", "alle",
}  # fmt: skip
ENGLISH_WORDS = {
    "the", "and", "with", "your", "for", "is", "of", "to", "you", "this", "that", "are", "from",
    "our", "we", "be", "can", "not", "on", "an", "it", "by", "or", "as", "at", "have", "has",
    "more", "what", "how", "all",
}  # fmt: skip
NOT_PROSE = {"script", "style", "noscript", "template", "textarea", "code", "pre"}


def wrong_language(body: str, language: str) -> list[str]:
    """Texts of ``body`` in the language other than ``language`` that no ``lang`` marks."""
    foreign, own = (
        (GERMAN_WORDS, ENGLISH_WORDS) if language == "en" else (ENGLISH_WORDS, GERMAN_WORDS)
    )
    found = []
    if not body.strip():
        return []
    for element in lxml_html.fromstring(body).iter():
        if not isinstance(element.tag, str) or element.tag in NOT_PROSE:
            continue
        marked = next(
            (node.get("lang") for node in element.iterancestors() if node.get("lang")),
            None,
        )
        marked = (element.get("lang") or marked or "").split("-")[0]
        if marked != language:
            continue
        for text in (element.text, *(child.tail for child in element)):
            words = re.findall(r"[a-zäöüß]+", (text or "").lower())
            hits = sum(word in foreign for word in words)
            if hits >= 2 and hits > sum(word in own for word in words):
                found.append(text.strip()[:100])
    return found


def test_the_check_finds_unmarked_text_of_the_other_language():
    english_page = (
        '<html lang="en"><body><p>Welcome to the show.</p><p>Das ist nicht gut für uns.</p>'
        '<p lang="de">Das ist gut für uns und alle.</p></body></html>'
    )
    assert wrong_language(english_page, "en") == ["Das ist nicht gut für uns."]


def public_urls():
    from cms.learning.models import LearningUnitPage

    urls = []
    for page in Page.objects.live().public().filter(depth__gte=2).specific().order_by("path"):
        urls.append((page.locale.language_code, type(page).__name__, page.url))
        if isinstance(page, LearningUnitPage):
            for step in page.steps:
                urls.append((page.locale.language_code, "unit step", f"{page.url}step/{step.id}/"))
    return urls


def test_every_public_page_type_exists_in_both_languages_and_speaks_its_language(
    demo_site, client
):
    urls = public_urls()
    kinds = {
        language: {kind for lang, kind, _ in urls if lang == language} for language in ("de", "en")
    }
    assert kinds["de"] == kinds["en"], "page types missing in one language"
    assert {
        "PodcastShowPage", "PodcastEpisodePage", "ExplainerVideoIndexPage", "ExplainerVideoPage",
        "GlossaryPage", "LearningCatalogPage", "LearningUnitPage", "unit step",
        "LearningPathPage", "DigitalCheckPage", "StandardPage", "AccessibilityStatementPage",
        "HomePage",
    } <= kinds["en"]  # fmt: skip
    problems = {}
    for language, _kind, url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert body.strip(), url
        assert f'<html lang="{language}"' in body, url
        if found := wrong_language(body, language):
            problems[url] = found
    # The questionnaire itself, in English.
    client.post("/en/digital-check/", {"action": "start"})
    client.post("/en/digital-check/answer/0/", {"action": "next"})
    check = client.get("/en/digital-check/answer/1/")
    assert check.status_code == 200 and "Digital business strategy" in check.content.decode()
    problems["questionnaire"] = wrong_language(check.content.decode(), "en")
    assert not any(problems.values()), problems


def test_english_home_links_every_section_it_promises(demo_site, client):
    body = client.get("/en/").content.decode()
    for path in ("/en/podcast/", "/en/explained/", "/en/learning/", "/en/digital-check/"):
        assert f'href="{path}"' in body, path
    links = set(re.findall(r'href="(/en/[^"#?]*)"', body))
    for link in links:
        assert client.get(link).status_code == 200, link


def test_english_podcast_offers_the_shows_one_feed_and_marks_the_german_recording(
    demo_site, client
):
    from cms.podcasts.models import PodcastEpisodePage, PodcastShowPage

    german = PodcastShowPage.objects.get(locale__language_code="de")
    english = PodcastShowPage.objects.get(locale__language_code="en")
    assert english.feed_path() == german.feed_path()
    # Site-wide texts: the funder in English where the editor gave it.
    assert (
        "Funded by Federal Ministry for Economic Affairs and Energy"
        in client.get("/en/").content.decode()
    )
    assert english.podcast_guid == german.podcast_guid
    show_page = client.get(english.url).content.decode()
    assert f'href="{german.feed_path()}"' in show_page
    feed = feedparser.parse(client.get(german.feed_path()).content)
    assert feed.feed.language == "de"

    episode = PodcastEpisodePage.objects.filter(locale__language_code="en").first()
    page = lxml_html.fromstring(client.get(episode.url).content)
    transcript = page.xpath("//*[@data-transcript]")[0]
    assert transcript.get("lang") == "de"
    assert "This episode is in German." in page.text_content()
    assert all(row.person.locale.language_code == "en" for row in episode.persons.all())


def test_the_feed_address_of_a_translated_show_leads_to_the_shows_one_feed(demo_site, client):
    from django.urls import reverse

    from cms.podcasts.models import PodcastShowPage
    from cms.videos.models import ExplainerVideoIndexPage

    for model, name in (
        (PodcastShowPage, "podcast_feed"),
        (ExplainerVideoIndexPage, "video_feed"),
    ):
        german = model.objects.get(locale__language_code="de")
        english = model.objects.get(locale__language_code="en")
        response = client.get(reverse(name, args=[english.pk]))
        assert response.status_code == 301
        assert response["Location"] == german.feed_path()
        assert client.get(response["Location"]).status_code == 200


def test_english_unit_steps_keep_the_german_block_ids(demo_site):
    """Learners' progress is keyed by block id: switching language keeps it."""
    from cms.learning.models import LearningUnitPage

    for unit in LearningUnitPage.objects.filter(locale__language_code="de"):
        english = unit.get_translations().get(locale__language_code="en").specific
        assert [step.id for step in english.steps] == [step.id for step in unit.steps]
        assert english.steps[0].value["title"] != unit.steps[0].value["title"]
