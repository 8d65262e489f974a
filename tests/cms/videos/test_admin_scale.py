"""Editing a video on a large site: related items are chosen, not listed in full."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html as lxml_html
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cms.podcasts.models import PodcastEpisodePage
from cms.videos.models import GlossaryTerm
from tests.cms.admin_forms import form_data
from tests.cms.factories import MaturityLevelFactory, PodcastShowPageFactory
from tests.cms.learning.factories import make_catalogue, make_unit, step

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_content(home_pages, video_index):
    """Adds episodes, self-learning units and key terms to the site, ``count`` of each."""
    home, _english = home_pages
    show = PodcastShowPageFactory(parent=home, slug="podcast")
    catalogue = make_catalogue(home)
    level = MaturityLevelFactory()
    made = {"episodes": [], "units": [], "terms": []}

    def add(count):
        start = len(made["terms"])
        for number in range(start, start + count):
            made["episodes"].append(
                show.add_child(
                    instance=PodcastEpisodePage(
                        title=f"Folge {number}: Vertrieb digital",
                        slug=f"folge-{number}",
                        summary="Ein Betrieb erzählt.",
                        locale=home.locale,
                    )
                )
            )
            made["units"].append(
                make_unit(
                    catalogue, [step()], level, title=f"Einheit {number}", slug=f"einheit-{number}"
                )
            )
            made["terms"].append(
                GlossaryTerm.objects.create(
                    term=f"Begriff {number}",
                    slug=f"begriff-{number}",
                    short_definition="Eine kurze Erklärung.",
                    locale=video_index.locale,
                )
            )
        return made

    return add


def render(client, url) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content


def test_video_edit_form_does_not_grow_with_the_site(editor, publish_video, site_content):
    page = publish_video()
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    site_content(3)
    render(editor, url)  # warm: caches filled on the first request of a process
    small_queries, small_html = render(editor, url)

    made = site_content(22)
    large_queries, large_html = render(editor, url)

    assert large_queries == small_queries
    # Nothing of the 75 pages and terms the video does not use is in the form.
    assert len(large_html) - len(small_html) < 100
    for item in (made["episodes"][-1], made["units"][-1]):
        assert item.title.encode() not in large_html
    assert made["terms"][-1].term.encode() not in large_html


def test_related_items_chosen_in_the_admin_are_shown_in_the_chosen_order(
    editor, client, publish_video, site_content
):
    made = site_content(3)
    for item in (*made["episodes"], *made["units"]):
        item.save_revision().publish()
    page = publish_video()
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    first, second, third = made["episodes"]
    unit_a, unit_b, _unit_c = made["units"]
    term_a, _term_b, term_c = made["terms"]
    data = form_data(editor, url)
    data.update(
        nested_form_data(
            {
                "related_episode_links": inline_formset(
                    [{"episode": third.pk}, {"episode": first.pk}, {"episode": second.pk}]
                ),
                "related_unit_links": inline_formset([{"unit": unit_b.pk}, {"unit": unit_a.pk}]),
                "key_term_links": inline_formset([{"term": term_c.pk}, {"term": term_a.pk}]),
            }
        )
    )
    data["action-publish"] = "action-publish"

    response = editor.post(url, data)

    assert response.status_code == 302
    doc = lxml_html.fromstring(client.get(page.url).content.decode())
    episodes = doc.xpath('//section[@aria-labelledby="related-heading"]//a')
    assert [a.text_content() for a in episodes] == [third.title, first.title, second.title]
    units = doc.xpath('//section[@aria-labelledby="related-units-heading"]//a')
    assert [a.text_content() for a in units] == ["Einheit 1", "Einheit 0"]
    terms = doc.xpath('//section[@aria-labelledby="terms-heading"]//dt')
    assert [dt.text_content() for dt in terms] == ["Begriff 2", "Begriff 0"]
    # The same order when the editor opens the page again.
    data = form_data(editor, url)
    assert [data[f"related_episode_links-{i}-episode"] for i in range(3)] == [
        [str(third.pk)],
        [str(first.pk)],
        [str(second.pk)],
    ]


def test_key_term_list_costs_the_same_queries_for_more_terms(
    editor, glossary, publish_video, site_content
):
    from wagtail.models import Locale

    url = reverse("wagtailsnippets_videos_glossaryterm:list") + "?locale=de"
    page = publish_video()
    english = Locale.objects.get(language_code="en")

    def add_terms(count):
        for term in site_content(count)["terms"][-count:]:
            page.glossary_terms.add(term)
            term.copy_for_translation(english).save()

    add_terms(3)
    render(editor, url)  # warm
    small_queries, _html = render(editor, url)
    add_terms(12)
    large_queries, html = render(editor, url)

    assert large_queries == small_queries
    # Each row still names the videos using the term; "Translate" only where a language is
    # missing (the fixture's four terms, not the translated ones).
    assert html.count(b"Was ist eine Cloud?") == 15
    translate = [
        reverse(
            "simple_translation:submit_snippet_translation", args=["videos", "glossaryterm", t.pk]
        )
        for t in GlossaryTerm.objects.filter(locale__language_code="de")
    ]
    assert sorted(url.encode() in html for url in translate) == [False] * 15 + [True] * 4


def test_choosing_the_same_episode_twice_is_refused(editor, publish_video, site_content):
    made = site_content(1)
    page = publish_video()
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    episode = made["episodes"][0]
    data = form_data(editor, url)
    data.update(
        nested_form_data(
            {
                "related_episode_links": inline_formset(
                    [{"episode": episode.pk}, {"episode": episode.pk}]
                )
            }
        )
    )

    response = editor.post(url, {**data, "action-publish": "action-publish"})

    assert response.status_code == 200
    assert response.context["form"].formsets["related_episode_links"].non_form_errors()
    assert not page.related_episode_links.exists()
