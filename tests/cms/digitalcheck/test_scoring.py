"""Scores against examples computed by hand (no database)."""

from cms.digitalcheck.scoring import level_index, overall_level_index, score_check

SNAPSHOT = {
    "dimensions": [
        {"id": "d1", "title": "Strategie", "questions": [{"id": "a"}, {"id": "b"}, {"id": "c"}]},
        {"id": "d2", "title": "KI", "questions": [{"id": "x"}, {"id": "y"}]},
    ],
    "topics": [
        {"id": "t1", "topic_key": "k1", "name": "Marketing"},
        {"id": "t2", "topic_key": "k2", "name": "Sicherheit"},
    ],
}


def test_dimension_and_overall_scores_match_hand_computed_values():
    answers = {
        "questions": {"a": 3, "b": 4, "c": 5, "x": 0, "y": 1},
        "topics": {"t1": {"implementation": 2, "relevance": 5}},
    }
    result = score_check(SNAPSHOT, answers)
    # d1: (3 + 4 + 5) / 15 = 0.8 → 80; d2: (0 + 1) / 10 = 0.1 → 10; overall (80 + 10) / 2
    assert [d.score for d in result.dimensions] == [80.0, 10.0]
    assert result.overall == 45.0


def test_scores_round_to_one_decimal():
    result = score_check(SNAPSHOT, {"questions": {"a": 1, "b": 1, "c": 0, "x": 5, "y": 5}})
    # d1: 2 / 15 = 13.33… → 13.3; overall (13.3 + 100) / 2 = 56.65 → 56.6 (banker's) or 56.7
    assert result.dimensions[0].score == 13.3
    assert result.overall in (56.6, 56.7)


def test_gap_is_relevance_above_implementation_and_never_negative():
    answers = {
        "topics": {
            "t1": {"implementation": 2, "relevance": 5},
            "t2": {"implementation": 4, "relevance": 2},
        }
    }
    topics = score_check(SNAPSHOT, answers).topics
    assert [t.gap for t in topics] == [3, 0]


def test_answers_outside_the_scale_or_for_unknown_questions_are_ignored():
    answers = {"questions": {"a": 7, "b": "5", "c": True, "x": 5, "zzz": 5}}
    result = score_check(SNAPSHOT, answers)
    assert result.dimensions[0].score is None  # nothing valid in d1
    assert result.dimensions[1].score == 100.0  # only x answered: 5 / 5
    assert result.overall == 100.0


def test_unanswered_topic_has_no_gap():
    topic = score_check(SNAPSHOT, {"topics": {"t1": {"relevance": 5}}}).topics[0]
    assert topic.implementation is None and topic.gap == 0


def test_implementation_ratings_map_onto_levels_in_equal_bands():
    assert [level_index(v, 3) for v in range(1, 6)] == [0, 0, 1, 1, 2]
    assert [level_index(v, 2) for v in range(1, 6)] == [0, 0, 0, 1, 1]
    assert level_index(None, 3) is None
    assert [overall_level_index(s, 3) for s in (0, 33.3, 33.4, 66.7, 100)] == [0, 0, 1, 2, 2]
