"""Automatic linking of key terms: what readers of a video page get linked, and what not."""

from cms.videos.glossary import LinkTarget, TermLinker, initial_letter, sort_key


def linker(*names):
    return TermLinker(
        {name: LinkTarget(key=key, url=f"/begriffe/#{key}", title="Def.") for name, key in names}
    )


def links(html: str) -> list[str]:
    import re

    return re.findall(r'<a class="glossary-link" href="([^"]+)"[^>]*>([^<]+)</a>', html)


def test_only_the_first_occurrence_is_linked_across_texts():
    terms = linker(("Cloud", "cloud"))

    first = terms.link_text("Die Cloud ist gut. Die Cloud ist billig.")
    second = terms.link_text("Noch eine Cloud.")

    assert links(first) == [("/begriffe/#cloud", "Cloud")]
    assert links(second) == []


def test_matching_ignores_case_also_for_umlauts():
    terms = linker(("Künstliche Intelligenz", "ki"))

    assert links(terms.link_text("Was ist KÜNSTLICHE INTELLIGENZ?")) == [
        ("/begriffe/#ki", "KÜNSTLICHE INTELLIGENZ")
    ]


def test_only_whole_words_are_linked():
    terms = linker(("API", "api"), ("Daten", "daten"))

    html = terms.link_text("Kapitel über Datenschutz und APIs; dann die API und Daten.")

    assert links(html) == [("/begriffe/#api", "API"), ("/begriffe/#daten", "Daten")]


def test_synonyms_link_to_their_term_once():
    terms = linker(("Cloud", "cloud"), ("Wolke", "cloud"))

    html = terms.link_text("Eine Wolke, also eine Cloud.")

    assert links(html) == [("/begriffe/#cloud", "Wolke")]


def test_longer_terms_win_over_shorter_ones_inside_them():
    terms = linker(("Intelligenz", "intelligenz"), ("Künstliche Intelligenz", "ki"))

    html = terms.link_text("Künstliche Intelligenz braucht Intelligenz.")

    assert links(html) == [
        ("/begriffe/#ki", "Künstliche Intelligenz"),
        ("/begriffe/#intelligenz", "Intelligenz"),
    ]


def test_text_inside_existing_links_and_tags_is_left_alone():
    terms = linker(("Cloud", "cloud"))

    html = terms.link_html(
        '<p><a href="/x/">Die Cloud</a> <span title="Cloud">und</span> die Cloud.</p>'
    )

    assert html == (
        '<p><a href="/x/">Die Cloud</a> <span title="Cloud">und</span> die '
        '<a class="glossary-link" href="/begriffe/#cloud" title="Def.">Cloud</a>.</p>'
    )


def test_text_is_escaped():
    terms = linker(("Cloud", "cloud"))

    assert "&lt;script&gt;" in terms.link_text("<script>Cloud</script>")


def test_german_letters_sort_as_their_base_letter():
    assert initial_letter("Ärztesoftware") == "A"
    assert initial_letter("Übertragung") == "U"
    assert initial_letter("3D-Druck") == "#"
    assert sorted(["Zugang", "Ärzte", "Apfel", "Bot"], key=sort_key) == [
        "Apfel",
        "Ärzte",
        "Bot",
        "Zugang",
    ]


def test_a_portrait_videos_720_rung_is_the_feed_enclosure_though_it_is_1280_high():
    from types import SimpleNamespace

    from cms.videos.renditions import VIDEO_LADDER_SPECS, feed_rendition

    rungs = [
        SimpleNamespace(spec=VIDEO_LADDER_SPECS[1080], width=1080, height=1920),
        SimpleNamespace(spec=VIDEO_LADDER_SPECS[720], width=720, height=1280),
        SimpleNamespace(spec=VIDEO_LADDER_SPECS[480], width=480, height=854),
    ]

    assert feed_rendition(rungs) is rungs[1]
    assert feed_rendition(rungs[2:]) is rungs[2]
    assert feed_rendition(rungs[:1]) is None


def test_terms_named_like_entities_leave_escaped_characters_alone():
    terms = linker(("quot", "quot"), ("lt", "lt"), ("amp", "amp"), ("Cloud", "cloud"))

    html = terms.link_text('Er sagte "Cloud" & meinte 3 < 4.')

    assert html == (
        'Er sagte &quot;<a class="glossary-link" href="/begriffe/#cloud" title="Def.">Cloud'
        "</a>&quot; &amp; meinte 3 &lt; 4."
    )


def test_terms_in_attribute_values_and_tags_are_not_linked():
    terms = linker(("Cloud", "cloud"), ("title", "title"), ("img", "img"))

    html = terms.link_html('<p><img alt="x > Cloud" src="a.png"> title: Cloud</p>')

    assert html == (
        '<p><img alt="x > Cloud" src="a.png"> '
        '<a class="glossary-link" href="/begriffe/#title" title="Def.">title</a>: '
        '<a class="glossary-link" href="/begriffe/#cloud" title="Def.">Cloud</a></p>'
    )
