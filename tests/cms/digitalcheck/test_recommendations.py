"""Recommended units and paths: ranked by gap, only where the level range fits."""

import pytest

from cms.digitalcheck.recommendations import recommend
from cms.digitalcheck.scoring import score_check

pytestmark = pytest.mark.django_db


def result_for(check_page, ratings):
    """ratings: topic name → (implementation, relevance)."""
    snapshot = check_page.get_current_version().snapshot
    topics = {
        t["id"]: {"implementation": ratings[t["name"]][0], "relevance": ratings[t["name"]][1]}
        for t in snapshot["topics"]
        if t["name"] in ratings
    }
    return score_check(snapshot, {"topics": topics})


def titles(recommendations):
    return [r.page.title for r in recommendations]


def test_units_are_ranked_by_gap_and_matched_to_the_topic_level(check_page, units):
    result = result_for(
        check_page,
        {"Online-Marketing": (1, 5), "IT-Sicherheit": (2, 4), "Künstliche Intelligenz": (3, 3)},
    )
    recommended, paths = recommend(result, check_page.locale)
    # Marketing gap 4 at level Einstieg (rating 1), security gap 2 at Einstieg; AI no gap.
    assert titles(recommended) == ["Marketing: Einstieg", "Sicherheit: Einstieg"]
    assert recommended[0].gap == 4 and recommended[0].level_name == "Einstieg"
    assert titles(paths) == ["Digital starten"]


def test_no_unit_outside_its_level_range_is_recommended(check_page, units):
    # Marketing implemented at 3 → level Fortgeschritten: the beginner unit does not fit.
    result = result_for(check_page, {"Online-Marketing": (3, 5)})
    recommended, paths = recommend(result, check_page.locale)
    assert titles(recommended) == ["Marketing: weiter"]
    # The beginner path (levels Einstieg only) is not offered either.
    assert paths == []


def test_a_unit_spanning_levels_fits_every_level_in_its_range(check_page, units):
    # Ratings 3 and 4 both mean "Fortgeschritten", inside the AI unit (Fortgeschritten–Profi).
    for implementation in (3, 4):
        result = result_for(check_page, {"Künstliche Intelligenz": (implementation, 5)})
        assert titles(recommend(result, check_page.locale)[0]) == ["KI für Fortgeschrittene"]


def test_ai_unit_is_not_recommended_to_beginners(check_page, units):
    result = result_for(check_page, {"Künstliche Intelligenz": (1, 5)})
    assert recommend(result, check_page.locale) == ([], [])


def test_no_gap_means_no_recommendation(check_page, units):
    result = result_for(check_page, {"Online-Marketing": (4, 4), "IT-Sicherheit": (5, 1)})
    assert recommend(result, check_page.locale) == ([], [])


def test_drafts_and_unpublished_units_are_never_recommended(check_page, units):
    units["marketing_start"].unpublish()
    result = result_for(check_page, {"Online-Marketing": (1, 5)})
    assert titles(recommend(result, check_page.locale)[0]) == []


def test_result_page_links_recommended_units(client, check_page, units, levels):
    from cms.digitalcheck.submissions import start_submission, submit

    submission = start_submission(check_page, learner=None)
    snapshot = check_page.get_current_version().snapshot
    marketing = next(t for t in snapshot["topics"] if t["name"] == "Online-Marketing")
    submission.answers = {"topics": {marketing["id"]: {"implementation": 1, "relevance": 5}}}
    submission.save()
    submit(submission, check_page.locale)
    assert submission.recommended_unit_ids == [units["marketing_start"].pk]
    page = check_page
    html = client.get(page.url + page.reverse_subpage("result", args=[submission.token])).content
    html = html.decode()
    assert f'href="{units["marketing_start"].url}"' in html
    assert units["marketing_next"].url not in html


def test_query_count_does_not_grow_with_units_and_paths(
    check_page, units, catalogue, levels, topics, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.cms.learning.factories import make_path, make_unit, step

    result = result_for(check_page, {"Online-Marketing": (1, 5), "IT-Sicherheit": (1, 4)})
    recommend(result, check_page.locale)  # warm caches (content types, locales)
    with CaptureQueriesContext(connection) as before:
        recommend(result, check_page.locale)
    for index in range(4):
        extra = make_unit(catalogue, [step()], levels[0], topics=[topics[index % 2]],
                          title=f"Extra {index}", slug=f"extra-{index}")  # fmt: skip
        make_path(catalogue, [extra, units["marketing_start"]], title=f"Paket {index}",
                  slug=f"paket-{index}")  # fmt: skip
    with django_assert_num_queries(len(before.captured_queries)):
        recommended, paths = recommend(result, check_page.locale, units=20, paths=20)
    assert len(recommended) == 6 and len(paths) == 5
