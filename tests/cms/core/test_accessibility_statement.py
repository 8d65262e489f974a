"""The accessibility statement says what BITV 2.0 asks for, in both languages."""

import datetime

import pytest

from cms.core.models import AccessibilityStatementPage


@pytest.fixture
def statement(home_pages):
    home, english_home = home_pages
    page = home.add_child(
        instance=AccessibilityStatementPage(
            title="Erklärung zur Barrierefreiheit",
            slug="barrierefreiheit",
            locale=home.locale,
            conformance="partial",
            non_accessible=[
                (
                    "item",
                    {
                        "content": "Ältere PDF-Leitfäden",
                        "reason": "Nicht getaggt (WCAG 1.3.1).",
                        "alternative": "Auf Anfrage als barrierefreies Dokument.",
                    },
                )
            ],
            prepared_on=datetime.date(2026, 11, 30),
            method="self",
            feedback_email="barrierefreiheit@example.org",
            feedback_phone="+49 30 1234567",
        )
    )
    page.save_revision().publish()
    english = page.copy_for_translation(english_home.locale)
    english.title = "Accessibility statement"
    english.slug = "accessibility"
    english.save_revision().publish()
    return page, AccessibilityStatementPage.objects.get(pk=english.pk)


def text_of(client, page) -> str:
    response = client.get(page.url)
    assert response.status_code == 200
    return " ".join(response.text.split())


def test_the_statement_has_every_part_bitv_asks_for(client, statement):
    german, _english = statement

    html = text_of(client, german)

    assert "Stand der Vereinbarkeit mit den Anforderungen" in html
    assert "<strong>teilweise vereinbar</strong>" in html
    assert "Nicht barrierefreie Inhalte" in html and "Ältere PDF-Leitfäden" in html
    assert "Nicht getaggt (WCAG 1.3.1)." in html
    assert "Erstellung dieser Erklärung" in html and "30. November 2026" in html
    assert "Selbstbewertung" in html
    assert 'href="mailto:barrierefreiheit@example.org"' in html
    assert 'href="tel:+49301234567"' in html
    assert "Schlichtungsverfahren" in html
    assert 'href="https://www.schlichtungsstelle-bgg.de/"' in html


def test_the_english_statement_is_english_and_marks_the_german_body_name(client, statement):
    _german, english = statement

    html = text_of(client, english)

    assert "Conformance status" in html and "<strong>partially compliant</strong>" in html
    assert "Enforcement procedure" in html
    assert 'lang="de">Schlichtungsstelle nach § 16 Behindertengleichstellungsgesetz' in html


def test_a_fully_compliant_site_lists_no_gaps(client, statement):
    german, _english = statement
    german.conformance = "full"
    german.save_revision().publish()

    html = text_of(client, german)

    assert "<strong>vollständig vereinbar</strong>" in html
    assert "Nicht barrierefreie Inhalte" not in html
