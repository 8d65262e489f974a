"""The glossary of a large centre: one letter per page, constant queries, and a key-term
pattern that video pages take from a cache moved by every change of a term (issue 15)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html

from cms.videos.models import GlossaryPage, GlossaryTerm

pytestmark = pytest.mark.django_db


def add_terms(locale, start, count, letter="B"):
    return [
        GlossaryTerm.objects.create(
            term=f"{letter}egriff {number:02d}",
            slug=f"{letter.lower()}egriff-{number:02d}",
            short_definition=f"Erklärung {number}.",
            locale=locale,
        )
        for number in range(start, start + count)
    ]


@pytest.fixture(params=["de", "en"])
def any_glossary(request, home_pages):
    home, english = home_pages
    parent = home if request.param == "de" else english
    page = parent.add_child(
        instance=GlossaryPage(title="Begriffe", slug="begriffe", locale=parent.locale)
    )
    page.save_revision().publish()
    return page


def test_glossary_shows_one_letter_in_constant_queries(
    any_glossary, publish_video, queries_of, django_capture_on_commit_callbacks
):
    locale = any_glossary.locale
    with django_capture_on_commit_callbacks(execute=True):
        terms = add_terms(locale, 1, 3) + add_terms(locale, 1, 1, letter="Z")
    video = publish_video(title="Video B", slug="video-b")
    video.glossary_terms.set(terms)
    video.save()
    _, small = queries_of(any_glossary.url)

    with django_capture_on_commit_callbacks(execute=True):
        terms += add_terms(locale, 4, 22)
    other = publish_video(title="Video C", slug="video-c")
    other.glossary_terms.set(terms)
    other.save()
    response, large = queries_of(any_glossary.url)

    assert large == small
    doc = lxml_html.fromstring(response.content)
    assert len(doc.xpath("//dl/dt")) == 25
    assert [a.text_content() for a in doc.xpath('//nav[@class="letter-nav"]//a')] == ["B", "Z"]
    first = doc.xpath('//dt[@id="begriff-begriff-01"]/following-sibling::dd[1]')[0]
    assert "Video B" in first.text_content() and "Video C" in first.text_content()
    z_page = queries_of(any_glossary.url + "?letter=z")[0]
    assert "Zegriff 01" in z_page.content.decode()


def test_video_pages_read_key_terms_from_the_cache_until_a_term_changes(
    glossary, publish_video, client, django_capture_on_commit_callbacks
):
    page = publish_video(summary="Die Cloud und das Rechenzentrum und die Quantenrechnung.")
    client.get(page.url)
    with CaptureQueriesContext(connection) as captured:
        client.get(page.url)
    all_terms = [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "videos_glossaryterm"' in q["sql"] and "_glossary_terms" not in q["sql"]
    ]
    assert not all_terms  # only the page's own key terms are read

    with django_capture_on_commit_callbacks(execute=True):
        GlossaryTerm.objects.create(
            term="Quantenrechnung",
            slug="quantenrechnung",
            short_definition="Rechnen mit Qubits.",
            locale=glossary.locale,
        )
    html = client.get(page.url).content.decode()
    assert 'href="/de/kurz-erklaert/begriffe/?letter=q#begriff-quantenrechnung"' in html

    with django_capture_on_commit_callbacks(execute=True):
        GlossaryTerm.objects.get(slug="quantenrechnung").delete()
    assert "begriff-quantenrechnung" not in client.get(page.url).content.decode()


def test_key_terms_admin_list_reads_linked_videos_in_constant_queries(
    editor, glossary, publish_video, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    url = reverse("wagtailsnippets_videos_glossaryterm:list")
    video = publish_video()
    video.glossary_terms.set(GlossaryTerm.objects.all())
    video.save()
    editor.get(url)
    video.glossary_terms.set(add_terms(glossary.locale, 1, 10) + list(GlossaryTerm.objects.all()))
    video.save()
    with CaptureQueriesContext(connection) as many:
        response = editor.get(url)
    assert "Begriff 10" in response.content.decode()
    per_row = [q for q in many.captured_queries if "videos_explainervideopage" in q["sql"]]
    assert len(per_row) <= 1  # other per-row lookups (translations) are the admin's part
    assert video.title in response.content.decode()  # the "linked videos" column
    assert "transcript" not in per_row[0]["sql"]  # titles only, not the videos' long texts


def test_the_glossary_shows_a_changed_term_or_video_at_once(
    glossary, publish_video, client, django_capture_on_commit_callbacks
):
    """A letter's terms are cached fragments keyed by what they show (``cms.core.fragments``):
    a saved term, a video published under a new title or unpublished shows on the next
    request."""
    with django_capture_on_commit_callbacks(execute=True):
        term = add_terms(glossary.locale, 1, 1)[0]
    video = publish_video(title="Video B", slug="video-b")
    video.glossary_terms.set([term])
    video.save()
    url = glossary.url + "?letter=b"

    def entry():
        doc = lxml_html.fromstring(client.get(url).content)
        return doc.xpath('//dt[@id="begriff-begriff-01"]/following-sibling::dd[1]')[0]

    assert "Video B" in entry().text_content()
    assert entry().xpath(".//a/@href") == [video.url]  # the second time from the cache

    term.short_definition = "Neu erklärt."
    with django_capture_on_commit_callbacks(execute=True):
        term.save()
    assert "Neu erklärt." in entry().text_content()

    video.title = "Video B mit neuem Titel"
    video.save_revision().publish()
    assert "Video B mit neuem Titel" in entry().text_content()

    video.unpublish()
    assert "Video B" not in entry().text_content()
