"""Demo learning offers for ``load_demo_content``: two German units with every step type and
a learning path with both, plus their English translations (texts, steps, levels, topics and
linked episodes and videos in English). Idempotent."""

from __future__ import annotations

import io
import uuid

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.documents import get_document_model
from wagtail.models import Locale

from cms.core.demo_images import draw_text, png_bytes
from cms.images.models import CustomImage
from cms.people.models import Person
from cms.podcasts.models import PodcastEpisodePage
from cms.taxonomy.models import MaturityLevel, Topic

from .models import LearningCatalogPage, LearningPathPage, LearningUnitPage, PathUnit

CATALOGUE = {
    "de": {
        "title": "Lernangebote",
        "slug": "lernangebote",
        "search_description": "Selbstlerneinheiten und Lernpfade, nach digitalem Reifegrad "
        "vorsortiert.",
        "intro": "Selbstlerneinheiten und Lernpfade – nach digitalem Reifegrad vorsortiert, "
        "für kurze Lernzeiten im Arbeitsalltag.",
    },
    "en": {
        "title": "Learning offers",
        "slug": "learning",
        "intro": "Self-learning units and learning paths, sorted by digital maturity level.",
    },
}


def _id() -> str:
    return str(uuid.uuid4())


def _items(values):
    return [{"type": "item", "value": value, "id": _id()} for value in values]


def _block(kind, value):
    return {"type": kind, "value": value, "id": _id()}


def _step(title, minutes, completion, content, seconds=None):
    return _block(
        "step",
        {
            "title": title,
            "estimated_minutes": minutes,
            "completion": completion,
            "minimum_seconds": seconds,
            "optional": False,
            "content": content,
        },
    )


def _question(text, kind, options, explanation):
    return {
        "question": text,
        "kind": kind,
        "explanation": explanation,
        "options": _items([{"text": t, "correct": c, "feedback": f} for t, c, f in options]),
    }


def _quiz(title, questions, threshold=70):
    return _block(
        "quiz",
        {
            "title": title,
            "questions": _items(questions),
            "pass_threshold": threshold,
            "max_attempts": 0,
        },
    )


def _media_blocks(image, document, episode, video, topic_text):
    """The media steps' content shared by both units: video, podcast, image, document."""
    blocks = []
    if video is not None:
        blocks.append(_block("video", video.pk))
    if episode is not None:
        blocks.append(
            _block(
                "podcast_episode",
                {"episode": episode.pk, "intro": f"Eine Praxisgeschichte zum Thema {topic_text}."},
            )
        )
    blocks.append(
        _block(
            "image",
            {
                "image": {"image": image.pk, "alt_text": "Schaubild: vom Ziel zur Maßnahme",
                          "decorative": False},
                "caption": "Vom Ziel über die Zielgruppe zur ersten Maßnahme.",
            },
        )
    )  # fmt: skip
    blocks.append(
        _block(
            "document",
            {
                "document": document.pk,
                "title": "Leitfaden (PDF)",
                "description": "Zum Ausdrucken.",
            },
        )
    )
    return blocks


def _social_media_steps(image, document, episode, video):
    return [
        _step(
            "Warum Social Media?",
            5,
            "viewed",
            [
                _block(
                    "text",
                    "<p>Kundinnen, Bewerber und Partner informieren sich online. Schon ein gut "
                    "gepflegter Kanal kann Ihrem Betrieb Sichtbarkeit bringen – ohne großes "
                    "Budget.</p><h3>Was Sie in dieser Einheit tun</h3><ul><li>ein Ziel "
                    "festlegen</li><li>einen passenden Kanal wählen</li><li>den ersten Beitrag "
                    "planen</li></ul>",
                )
            ],
        ),
        _step(
            "Hören, sehen, nachlesen",
            10,
            "time_spent",
            _media_blocks(image, document, episode, video, "Social Media"),
            seconds=60,
        ),
        _step(
            "Ein Beispiel aus der Praxis",
            5,
            "viewed",
            [
                _block(
                    "practice_example",
                    {
                        "company": "Tischlerei Albrecht",
                        "sector": "Handwerk",
                        "size": "14 Beschäftigte",
                        "challenge": "Kaum Bewerbungen auf Ausbildungsplätze.",
                        "approach": "Ein Instagram-Kanal mit Einblicken in die Werkstatt, "
                        "zwei Beiträge pro Woche, im Team abgestimmt.",
                        "result": "Drei Bewerbungen im ersten halben Jahr.",
                        "quote": "Wir zeigen einfach, was wir jeden Tag machen.",
                        "quote_attribution": "Jonas Albrecht, Inhaber",
                    },
                )
            ],
        ),
        _step(
            "Ihre Checkliste",
            10,
            "marked_done",
            [
                _block(
                    "checklist",
                    {
                        "title": "Vor dem ersten Beitrag",
                        "intro": "Haken Sie ab, was Sie schon geklärt haben.",
                        "items": _items(
                            [
                                "Ziel festgelegt (z. B. Bewerbungen, Bekanntheit)",
                                "Zielgruppe beschrieben",
                                "Einen Kanal ausgewählt",
                                "Zuständigkeit im Team geklärt",
                                "Impressum und Datenschutz geprüft",
                            ]
                        ),
                    },
                ),
                _block(
                    "reflection",
                    {
                        "question": "Welches Ziel wollen Sie mit Social Media zuerst erreichen?",
                        "hint": "Ein Satz genügt. Ihre Antwort sieht nur Sie.",
                    },
                ),
            ],
        ),
        _step(
            "Wissen prüfen",
            5,
            "quiz_passed",
            [
                _quiz(
                    "Kurzes Quiz",
                    [
                        _question(
                            "Womit beginnt ein Social-Media-Auftritt am besten?",
                            "single",
                            [
                                ("Mit einem Ziel", True, "Richtig: Das Ziel bestimmt alles "
                                 "Weitere."),
                                ("Mit möglichst vielen Kanälen", False, "Viele Kanäle kosten "
                                 "viel Zeit; besser einer, der gepflegt wird."),
                                ("Mit bezahlter Werbung", False, "Werbung kann später helfen, "
                                 "ist aber nicht der Anfang."),
                            ],
                            "Erst das Ziel, dann Zielgruppe und Kanal.",
                        ),
                        _question(
                            "Was gehört ins Impressum einer Unternehmensseite?",
                            "multiple",
                            [
                                ("Name und Anschrift", True, "Ja, Pflichtangabe."),
                                ("Kontaktmöglichkeit", True, "Ja, z. B. E-Mail."),
                                ("Lieblingsessen des Teams", False, "Nett, aber nicht nötig."),
                            ],
                            "Name, Anschrift und eine schnelle Kontaktmöglichkeit.",
                        ),
                    ],
                )
            ],
        ),
    ]  # fmt: skip


def _ai_steps(image, document, episode, video):
    return [
        _step(
            "KI im Kundenservice: was geht?",
            10,
            "viewed",
            [
                _block(
                    "text",
                    "<p>Chatbots, automatische Antwortvorschläge und das Sortieren von "
                    "Anfragen entlasten den Kundenservice. Wichtig sind klare Regeln: Was darf "
                    "die KI, was bleibt beim Menschen?</p>",
                )
            ],
        ),
        _step(
            "Hören, sehen, nachlesen",
            15,
            "time_spent",
            _media_blocks(image, document, episode, video, "Datenschutz im Kundenservice"),
            seconds=90,
        ),
        _step(
            "Praxisbeispiel Onlinehandel",
            5,
            "viewed",
            [
                _block(
                    "practice_example",
                    {
                        "company": "Reuter Feinkost",
                        "sector": "Handel",
                        "size": "35 Beschäftigte",
                        "challenge": "Viele gleiche Fragen zu Lieferzeiten, lange Wartezeiten.",
                        "approach": "Antwortvorschläge aus einer KI, die das Team prüft und "
                        "freigibt; keine Kundendaten im Training.",
                        "result": "Antwortzeit halbiert, Team zufriedener.",
                        "quote": "Die KI schreibt vor, wir entscheiden.",
                        "quote_attribution": "Sabine Reuter, Leitung Kundenservice",
                    },
                )
            ],
        ),
        _step(
            "Ihr Pilot",
            10,
            "marked_done",
            [
                _block(
                    "checklist",
                    {
                        "title": "Pilot vorbereiten",
                        "intro": "",
                        "items": _items(
                            [
                                "Häufigste Anfragen gesammelt",
                                "Datenschutz geprüft (Auftragsverarbeitung)",
                                "Freigabe durch Menschen festgelegt",
                                "Erfolgsmessung vereinbart",
                            ]
                        ),
                    },
                ),
                _block(
                    "reflection",
                    {
                        "question": "Welche Anfrage in Ihrem Betrieb könnte eine KI vorbereiten?",
                        "hint": "",
                    },
                ),
            ],
        ),
        _step(
            "Wissen prüfen",
            5,
            "quiz_passed",
            [
                _quiz(
                    "Quiz: KI im Kundenservice",
                    [
                        _question(
                            "Wer sollte KI-Antworten an Kunden freigeben?",
                            "single",
                            [
                                ("Ein Mensch im Team", True, "Genau: Menschen behalten die "
                                 "Verantwortung."),
                                ("Niemand, die KI ist zuverlässig", False, "KI kann sich irren; "
                                 "eine Prüfung schützt vor Fehlern."),
                            ],
                            "Gerade am Anfang prüft ein Mensch jede Antwort.",
                        ),
                    ],
                )
            ],
        ),
    ]  # fmt: skip


UNITS = [
    {
        "slug": "social-media-erster-schritt",
        "title": "Social Media für den Betrieb: der erste Schritt",
        "teaser": "In 35 Minuten vom Ziel zum ersten geplanten Beitrag.",
        "objectives": "<ul><li>ein Ziel für Social Media formulieren</li><li>einen passenden "
        "Kanal wählen</li><li>den ersten Beitrag planen</li></ul>",
        "target_group": "Inhaberinnen, Inhaber und Beschäftigte kleiner Betriebe",
        "level": "einstieg",
        "topic": "online-marketing",
        "steps": _social_media_steps,
        "en": ("Social media for your business: the first step", "social-media-first-step"),
        "en_fields": {
            "teaser": "From a goal to your first planned post in 35 minutes.",
            "objectives": "<ul><li>set a goal for social media</li><li>choose a suitable "
            "channel</li><li>plan the first post</li></ul>",
            "target_group": "Owners and employees of small companies",
        },
    },
    {
        "slug": "ki-im-kundenservice",
        "title": "KI im Kundenservice ausprobieren",
        "teaser": "Einen kleinen KI-Pilot im Kundenservice planen – mit Datenschutz.",
        "objectives": "<ul><li>Einsatzfelder von KI im Kundenservice kennen</li><li>einen "
        "Pilot mit klaren Regeln planen</li></ul>",
        "target_group": "Verantwortliche für Kundenservice und Vertrieb",
        "level": "fortgeschritten",
        "topic": "kuenstliche-intelligenz",
        "steps": _ai_steps,
        "en": ("Trying out AI in customer service", "ai-in-customer-service"),
        "en_fields": {
            "teaser": "Plan a small AI pilot in customer service – with data protection.",
            "objectives": "<ul><li>know where AI helps in customer service</li><li>plan a "
            "pilot with clear rules</li></ul>",
            "target_group": "People responsible for customer service and sales",
        },
    },
]

PATH = {
    "slug": "digital-sichtbar-und-serviceorientiert",
    "title": "Digital sichtbar und serviceorientiert",
    "intro": "<p>Zwei Einheiten als Paket: erst sichtbar werden, dann Anfragen mit KI "
    "schneller beantworten.</p>",
    "en": ("Visible online, quick to answer", "visible-online-quick-to-answer"),
    "en_intro": "<p>Two units as a package: first get seen, then answer enquiries faster "
    "with AI.</p>",
}

# The English of every German text in the units' steps (the steps of the English units are
# built like the German ones, then their texts are swapped with this table).
STEP_TEXTS_EN = {
    "Warum Social Media?": "Why social media?",
    "<p>Kundinnen, Bewerber und Partner informieren sich online. Schon ein gut gepflegter "
    "Kanal kann Ihrem Betrieb Sichtbarkeit bringen – ohne großes Budget.</p><h3>Was Sie in "
    "dieser Einheit tun</h3><ul><li>ein Ziel festlegen</li><li>einen passenden Kanal "
    "wählen</li><li>den ersten Beitrag planen</li></ul>": "<p>Customers, applicants and "
    "partners look for information online. Even one well-kept channel can make your company "
    "visible – without a big budget.</p><h3>What you do in this unit</h3><ul><li>set a "
    "goal</li><li>choose a suitable channel</li><li>plan the first post</li></ul>",
    "Hören, sehen, nachlesen": "Listen, watch, read",
    "Eine Praxisgeschichte zum Thema Social Media.": "A practice story about social media "
    "(in German, with a transcript).",
    "Eine Praxisgeschichte zum Thema Datenschutz im Kundenservice.": "A practice story about "
    "data protection in customer service (in German, with a transcript).",
    "Schaubild: vom Ziel zur Maßnahme": "Diagram: from the goal to the measure",
    "Vom Ziel über die Zielgruppe zur ersten Maßnahme.": "From the goal via the target group "
    "to the first measure.",
    "Leitfaden (PDF)": "Guide",
    "Zum Ausdrucken.": "To print out (in German).",
    "Ein Beispiel aus der Praxis": "An example from practice",
    "Handwerk": "Crafts",
    "14 Beschäftigte": "14 employees",
    "Kaum Bewerbungen auf Ausbildungsplätze.": "Hardly any applications for apprenticeships.",
    "Ein Instagram-Kanal mit Einblicken in die Werkstatt, zwei Beiträge pro Woche, im Team "
    "abgestimmt.": "An Instagram channel with glimpses of the workshop, two posts a week, "
    "agreed in the team.",
    "Drei Bewerbungen im ersten halben Jahr.": "Three applications in the first six months.",
    "Wir zeigen einfach, was wir jeden Tag machen.": "We simply show what we do every day.",
    "Jonas Albrecht, Inhaber": "Jonas Albrecht, owner",
    "Ihre Checkliste": "Your checklist",
    "Vor dem ersten Beitrag": "Before the first post",
    "Haken Sie ab, was Sie schon geklärt haben.": "Tick off what you have already settled.",
    "Ziel festgelegt (z. B. Bewerbungen, Bekanntheit)": "Goal set (e.g. applications, awareness)",
    "Zielgruppe beschrieben": "Target group described",
    "Einen Kanal ausgewählt": "One channel chosen",
    "Zuständigkeit im Team geklärt": "Responsibility in the team settled",
    "Impressum und Datenschutz geprüft": "Imprint and privacy checked",
    "Welches Ziel wollen Sie mit Social Media zuerst erreichen?": "Which goal do you want to "
    "reach first with social media?",
    "Ein Satz genügt. Ihre Antwort sieht nur Sie.": "One sentence is enough. Only you see "
    "your answer.",
    "Wissen prüfen": "Check your knowledge",
    "Kurzes Quiz": "Short quiz",
    "Womit beginnt ein Social-Media-Auftritt am besten?": "What is the best start for a "
    "social media presence?",
    "Mit einem Ziel": "A goal",
    "Richtig: Das Ziel bestimmt alles Weitere.": "Right: the goal decides everything else.",
    "Mit möglichst vielen Kanälen": "As many channels as possible",
    "Viele Kanäle kosten viel Zeit; besser einer, der gepflegt wird.": "Many channels cost a "
    "lot of time; better one that is kept up.",
    "Mit bezahlter Werbung": "Paid advertising",
    "Werbung kann später helfen, ist aber nicht der Anfang.": "Advertising can help later, "
    "but it is not the start.",
    "Erst das Ziel, dann Zielgruppe und Kanal.": "First the goal, then target group and channel.",
    "Was gehört ins Impressum einer Unternehmensseite?": "What belongs in the imprint of a "
    "company page?",
    "Name und Anschrift": "Name and address",
    "Ja, Pflichtangabe.": "Yes, it is required.",
    "Kontaktmöglichkeit": "A way to get in touch",
    "Ja, z. B. E-Mail.": "Yes, e.g. email.",
    "Lieblingsessen des Teams": "The team's favourite food",
    "Nett, aber nicht nötig.": "Nice, but not needed.",
    "Name, Anschrift und eine schnelle Kontaktmöglichkeit.": "Name, address and a quick way "
    "to get in touch.",
    "KI im Kundenservice: was geht?": "AI in customer service: what works?",
    "<p>Chatbots, automatische Antwortvorschläge und das Sortieren von Anfragen entlasten "
    "den Kundenservice. Wichtig sind klare Regeln: Was darf die KI, was bleibt beim "
    "Menschen?</p>": "<p>Chatbots, suggested replies and sorting enquiries take load off "
    "customer service. Clear rules matter: what may the AI do, what stays with people?</p>",
    "Praxisbeispiel Onlinehandel": "Practice example: online retail",
    "Handel": "Retail",
    "35 Beschäftigte": "35 employees",
    "Viele gleiche Fragen zu Lieferzeiten, lange Wartezeiten.": "Many identical questions "
    "about delivery times, long waiting times.",
    "Antwortvorschläge aus einer KI, die das Team prüft und freigibt; keine Kundendaten im "
    "Training.": "Suggested replies from an AI that the team checks and approves; no "
    "customer data in training.",
    "Antwortzeit halbiert, Team zufriedener.": "Response time halved, a happier team.",
    "Die KI schreibt vor, wir entscheiden.": "The AI drafts, we decide.",
    "Sabine Reuter, Leitung Kundenservice": "Sabine Reuter, head of customer service",
    "Ihr Pilot": "Your pilot",
    "Pilot vorbereiten": "Preparing the pilot",
    "Häufigste Anfragen gesammelt": "Most frequent enquiries collected",
    "Datenschutz geprüft (Auftragsverarbeitung)": "Data protection checked (data processing "
    "agreement)",
    "Freigabe durch Menschen festgelegt": "Approval by people agreed",
    "Erfolgsmessung vereinbart": "Measuring success agreed",
    "Welche Anfrage in Ihrem Betrieb könnte eine KI vorbereiten?": "Which enquiry in your "
    "company could an AI prepare?",
    "Quiz: KI im Kundenservice": "Quiz: AI in customer service",
    "Wer sollte KI-Antworten an Kunden freigeben?": "Who should approve AI replies to customers?",
    "Ein Mensch im Team": "A person in the team",
    "Genau: Menschen behalten die Verantwortung.": "Exactly: people keep the responsibility.",
    "Niemand, die KI ist zuverlässig": "Nobody, the AI is reliable",
    "KI kann sich irren; eine Prüfung schützt vor Fehlern.": "AI can be wrong; a check "
    "protects against mistakes.",
    "Gerade am Anfang prüft ein Mensch jede Antwort.": "Especially at the start, a person "
    "checks every reply.",
}


def _in_english(value, episode=None, video=None):
    """``value`` (raw StreamField data of the German steps) with every German text of
    STEP_TEXTS_EN swapped, and the linked episode and video replaced by their English pages.
    Block ids stay the same: they key learners' progress in both languages."""
    if isinstance(value, dict):
        if value.get("type") == "video" and video is not None:
            return {**value, "value": video.pk}
        if value.get("type") == "podcast_episode" and episode is not None:
            inner = _in_english(value["value"])
            return {**value, "value": {**inner, "episode": episode.pk}}
        return {key: _in_english(item, episode, video) for key, item in value.items()}
    if isinstance(value, list):
        return [_in_english(item, episode, video) for item in value]
    if isinstance(value, str):
        return STEP_TEXTS_EN.get(value, value)
    return value


def ensure_demo_learning(home) -> LearningCatalogPage:
    catalogue = LearningCatalogPage.objects.child_of(home).first()
    if catalogue is None:
        catalogue = home.add_child(
            instance=LearningCatalogPage(locale=home.locale, show_in_menus=True, **CATALOGUE["de"])
        )
        catalogue.save_revision().publish()
    english = Locale.objects.filter(language_code="en").first()
    units = [_ensure_unit(catalogue, data) for data in UNITS]
    path = LearningPathPage.objects.child_of(catalogue).filter(slug=PATH["slug"]).first()
    if path is None:
        path = LearningPathPage(
            locale=catalogue.locale,
            title=PATH["title"],
            slug=PATH["slug"],
            intro=PATH["intro"],
            teaser_image=_teaser_picture(PATH["slug"]),
        )
        path.path_units = [PathUnit(unit=unit) for unit in units]
        catalogue.add_child(instance=path)
        path.save_revision().publish()
    if english is not None:
        _ensure_english(catalogue, units, path, english)
    return catalogue


def _ensure_unit(catalogue, data) -> LearningUnitPage:
    unit = LearningUnitPage.objects.child_of(catalogue).filter(slug=data["slug"]).first()
    if unit is not None:
        return unit
    level = MaturityLevel.objects.get(slug=data["level"], locale=catalogue.locale)
    topic = Topic.objects.filter(slug=data["topic"], locale=catalogue.locale).first()
    episode = PodcastEpisodePage.objects.live().filter(locale=catalogue.locale).first()
    video = _demo_video(catalogue.locale)
    unit = LearningUnitPage(
        locale=catalogue.locale,
        title=data["title"],
        slug=data["slug"],
        teaser=data["teaser"],
        objectives=data["objectives"],
        target_group=data["target_group"],
        level_min=level,
        level_max=level,
        teaser_image=_teaser_picture(data["slug"]),
        steps=data["steps"](_demo_image(), _demo_document(), episode, video),
    )
    catalogue.add_child(instance=unit)
    if topic:
        unit.topics.set([topic])
    author = Person.objects.filter(locale=catalogue.locale).first()
    if author:
        unit.authors.set([author])
    unit.save_revision().publish()
    return unit


def _ensure_english(catalogue, units, path, english) -> None:
    """English copies of the pages: English texts and steps, English levels, topics and
    authors, and the English pages of the linked episode and video."""
    if catalogue.get_translations().filter(locale=english).exists():
        return
    copy = catalogue.copy_for_translation(english)
    copy.title, copy.slug, copy.intro = (
        CATALOGUE["en"]["title"],
        CATALOGUE["en"]["slug"],
        CATALOGUE["en"]["intro"],
    )
    copy.save_revision().publish()
    english_units = []
    episode = PodcastEpisodePage.objects.live().filter(locale=english).first()
    video = _demo_video(english)
    for unit, data in zip(units, UNITS, strict=True):
        translated = unit.copy_for_translation(english)
        translated.title, translated.slug = data["en"]
        for name, value in data["en_fields"].items():
            setattr(translated, name, value)
        translated.steps = _in_english(list(unit.steps.raw_data), episode, video)
        translated.level_min = _in_locale(unit.level_min, english)
        translated.level_max = _in_locale(unit.level_max, english)
        translated.topics = [_in_locale(topic, english) for topic in unit.topics.all()]
        translated.authors = [_in_locale(person, english) for person in unit.authors.all()]
        translated.save_revision().publish()
        english_units.append(translated)
    english_path = path.copy_for_translation(english)
    english_path.title, english_path.slug = PATH["en"]
    english_path.intro = PATH["en_intro"]
    english_path.path_units = [PathUnit(unit=unit) for unit in english_units]
    english_path.save_revision().publish()


def _in_locale(snippet, locale):
    """The translation of a snippet (level, topic, person) into ``locale``, else itself."""
    return snippet and (snippet.get_translation_or_none(locale) or snippet)


def _demo_video(locale):
    if not apps.is_installed("cms.videos"):
        return None
    from cms.videos.models import ExplainerVideoPage

    return ExplainerVideoPage.objects.live().filter(locale=locale).first()


# Teaser pictures without text (the same picture serves the German and the English page).
TEASER_PICTURES = {
    "social-media-erster-schritt": ("Teaserbild Social Media (Demo)", (11, 83, 148), "bubbles"),
    "ki-im-kundenservice": ("Teaserbild KI im Kundenservice (Demo)", (0, 105, 92), "network"),
    PATH["slug"]: ("Teaserbild Lernpfad (Demo)", (90, 60, 140), "path"),
}


def _teaser_picture(slug: str) -> CustomImage | None:
    if slug not in TEASER_PICTURES:
        return None
    title, background, motif = TEASER_PICTURES[slug]
    existing = CustomImage.objects.filter(title=title).first()
    if existing:
        return existing
    from PIL import Image, ImageDraw

    accent, light = (255, 191, 71), (255, 255, 255)
    canvas = Image.new("RGB", (1200, 800), background)
    draw = ImageDraw.Draw(canvas)
    if motif == "bubbles":
        draw.rounded_rectangle((180, 180, 700, 480), 60, fill=light)
        draw.polygon([(260, 470), (260, 600), (380, 470)], fill=light)
        draw.rounded_rectangle((560, 380, 1020, 640), 60, fill=accent)
        draw.polygon([(940, 630), (940, 740), (840, 630)], fill=accent)
        for x in (320, 440, 560):
            draw.ellipse((x - 28, 302, x + 28, 358), fill=background)
    elif motif == "network":
        nodes = [(300, 250), (600, 180), (900, 300), (420, 560), (780, 580)]
        for a in nodes:
            for b in nodes:
                draw.line((a, b), fill=(120, 190, 180), width=10)
        for index, (x, y) in enumerate(nodes):
            colour = accent if index == 2 else light
            draw.ellipse((x - 60, y - 60, x + 60, y + 60), fill=colour)
    else:
        draw.line([(120, 660), (380, 520), (560, 600), (820, 360), (1080, 180)], fill=light,
                  width=28, joint="curve")  # fmt: skip
        for x, y in [(120, 660), (380, 520), (560, 600), (820, 360)]:
            draw.ellipse((x - 40, y - 40, x + 40, y + 40), fill=light)
        draw.ellipse((1000, 100, 1160, 260), fill=accent)
    image = CustomImage(title=title, credit="Demo")
    image.file = ImageFile(png_bytes(canvas), name=f"teaser-{slug}.png")
    image.save()
    return image


def _demo_image() -> CustomImage:
    title = "Schaubild Ziel → Maßnahme (Demo)"
    existing = CustomImage.objects.filter(title=title).first()
    if existing:
        return existing
    from PIL import Image, ImageDraw

    canvas = Image.new("RGB", (960, 400), "white")
    draw = ImageDraw.Draw(canvas)
    for index, label in enumerate(["Ziel", "Zielgruppe", "Maßnahme"]):
        left = 40 + index * 310
        draw.rounded_rectangle((left, 140, left + 260, 260), 20, fill=(11, 83, 148))
        draw_text(draw, (left + 130, 200), label, 34, bold=True, fill="white", anchor="mm")
    buffer = png_bytes(canvas)
    image = CustomImage(title=title, credit="Demo")
    image.file = ImageFile(buffer, name="schaubild-ziel-massnahme.png")
    image.save()
    return image


def _demo_document():
    document_model = get_document_model()
    title = "Leitfaden Digital starten (Demo)"
    existing = document_model.objects.filter(title=title).first()
    if existing:
        return existing
    from PIL import Image, ImageDraw

    page = Image.new("RGB", (595, 842), "white")
    draw = ImageDraw.Draw(page)
    draw_text(draw, (60, 80), "Leitfaden: Digital starten", 28, bold=True, fill="black")
    lines = ["1. Ziel festlegen", "2. Zielgruppe beschreiben", "3. Kanal wählen",
             "4. Ersten Beitrag planen", "5. Nach vier Wochen auswerten"]  # fmt: skip
    for index, line in enumerate(lines):
        draw_text(draw, (60, 160 + 40 * index), line, 20, fill="black")
    buffer = io.BytesIO()
    page.save(buffer, format="PDF")
    document = document_model(title=title)
    document.file.save("leitfaden-digital-starten.pdf", ContentFile(buffer.getvalue()), save=False)
    document.save()
    return document
