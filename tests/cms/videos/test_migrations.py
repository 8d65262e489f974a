"""Upgrading keeps every video's key terms and related pages, in the order they were shown."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import Revision

from cms.podcasts.models import PodcastEpisodePage
from cms.videos.models import ExplainerVideoPage, GlossaryTerm
from tests.cms.factories import MaturityLevelFactory, PodcastShowPageFactory
from tests.cms.learning.factories import make_catalogue, make_unit, step

BEFORE = [("videos", "0003_related_units")]
AFTER = [("videos", "0004_chosen_related_items")]
RELATIONS = ("glossary_terms", "related_episodes", "related_units")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_related_items_survive_the_upgrade_in_their_order(home_pages, publish_video):
    home, _english = home_pages
    show = PodcastShowPageFactory(parent=home, slug="podcast")
    episodes = [
        show.add_child(
            instance=PodcastEpisodePage(
                title=f"Folge {n}", slug=f"folge-{n}", summary="…", locale=home.locale
            )
        )
        for n in range(3)
    ]
    unit = make_unit(make_catalogue(home), [step()], MaturityLevelFactory())
    terms = [
        GlossaryTerm.objects.create(
            term=name, slug=name.lower(), short_definition="…", locale=home.locale
        )
        for name in ("Zertifikat", "API", "Cloud")
    ]
    video = publish_video()
    try:
        old_apps = migrate(BEFORE)
        model = old_apps.get_model("videos", "ExplainerVideoPage")
        links = {name: model._meta.get_field(name).remote_field.through for name in RELATIONS}
        for term in terms:
            links["glossary_terms"].objects.create(
                explainervideopage_id=video.pk, glossaryterm_id=term.pk
            )
        # Added in this order; the page listed them so (pages have no ordering of their own).
        for episode in (episodes[2], episodes[0]):
            links["related_episodes"].objects.create(
                explainervideopage_id=video.pk, podcastepisodepage_id=episode.pk
            )
        links["related_units"].objects.create(
            explainervideopage_id=video.pk, learningunitpage_id=unit.pk
        )
        # A draft saved before the upgrade, in the old revision format.
        draft = Revision.objects.filter(object_id=str(video.pk)).latest("pk")
        draft.content = {
            **{k: v for k, v in draft.content.items() if not k.endswith("_links")},
            "glossary_terms": [terms[2].pk],
            "related_episodes": [episodes[1].pk, episodes[0].pk],
            "related_units": [],
        }
        draft.save(update_fields=["content"])
    finally:
        migrate(AFTER)

    video = ExplainerVideoPage.objects.get(pk=video.pk)
    # Terms were shown by name; pages in the order they were added.
    assert [t.term for t in chosen(video.key_term_links, "term")] == ["API", "Cloud", "Zertifikat"]
    assert chosen(video.related_episode_links, "episode") == [episodes[2], episodes[0]]
    assert chosen(video.related_unit_links, "unit") == [unit]
    assert set(terms[0].videos.all()) == {video}
    # The editor opening the draft finds its choices.
    as_draft = Revision.objects.get(pk=draft.pk).as_object()
    assert [link.term for link in as_draft.key_term_links.all()] == [terms[2]]
    assert [link.episode for link in as_draft.related_episode_links.all()] == [
        episodes[1],
        episodes[0],
    ]


def chosen(links, field):
    return [getattr(link, field) for link in links.all()]
