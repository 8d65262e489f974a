"""Texts of the demo site (German first, English translations)."""

import datetime


def _p(html):
    return {"type": "paragraph", "value": html}


def _h(text):
    return {"type": "heading", "value": {"text": text, "level": "h2"}}


HOME_DE = {
    "title": "Digitalisierung zum Anhören, Ansehen und Selbstlernen",
    "slug": "start",
    "intro": (
        "Praxisgeschichten aus dem Mittelstand als Podcast, „Kurz erklärt“-Videos und "
        "Selbstlerneinheiten – sortiert nach digitalem Reifegrad, damit niemand über- "
        "oder unterfordert wird."
    ),
    "body": [
        _h("Lernen, wann es in den Betrieb passt"),
        _p(
            "<p>Ob am Freitagnachmittag oder auf dem Weg zur Baustelle: Unsere Angebote sind "
            "kostenfrei, anbieterneutral und in kleinen Einheiten nutzbar. Sie wurden mit "
            "Betrieben aus Handwerk, Handel und Industrie entwickelt.</p>"
        ),
    ],
    "search_description": "Lernangebote des Mittelstand-Digital Zentrums.",
}

HOME_EN = {
    "title": "Digitalisation to listen to, watch and learn at your own pace",
    "intro": (
        "Practice stories from small and medium-sized companies as a podcast, short "
        "explainer videos and self-learning units – sorted by digital maturity so that "
        "nobody is over- or under-challenged."
    ),
    "body": [
        _h("Learning when it suits your business"),
        _p(
            "<p>On a Friday afternoon or on the way to a site: our offers are free of charge, "
            "vendor-neutral and come in small units. They were developed together with "
            "companies from crafts, retail and industry.</p>"
        ),
    ],
    "search_description": "Learning offers of the SME digitalisation centre.",
}

STANDARD_PAGES = [
    (
        "about",
        {
            "title": "Über das Zentrum",
            "slug": "ueber-uns",
            "show_in_menus": True,
            "intro": "Wer wir sind und wie wir kleine und mittlere Unternehmen unterstützen.",
            "search_description": "Das Mittelstand-Digital Zentrum stellt sich vor.",
            "body": [
                _p(
                    "<p>Das Zentrum ist Teil des Netzwerks Mittelstand-Digital. Wir informieren, "
                    "sensibilisieren und qualifizieren kleine und mittlere Unternehmen zu "
                    "Fragen der Digitalisierung – praxisnah und kostenfrei.</p>"
                )
            ],
        },
        {
            "title": "About the centre",
            "slug": "about",
            "intro": "Who we are and how we support small and medium-sized companies.",
            "search_description": "The SME digitalisation centre introduces itself.",
            "body": [
                _p(
                    "<p>The centre is part of the Mittelstand-Digital network. We inform, "
                    "raise awareness and train small and medium-sized companies in questions "
                    "of digitalisation – practical and free of charge.</p>"
                )
            ],
        },
    ),
    (
        "imprint",
        {
            "title": "Impressum",
            "slug": "impressum",
            "body": [
                _p(
                    "<p>Mittelstand-Digital Zentrum (Demo)<br>Musterstraße 1<br>12345 "
                    "Musterstadt</p><p>Vertreten durch: Erika Mustermann</p>"
                )
            ],
        },
        {
            "title": "Imprint",
            "slug": "imprint",
            "body": [
                _p(
                    "<p>Mittelstand-Digital Zentrum (demo)<br>Musterstraße 1<br>12345 "
                    "Musterstadt, Germany</p><p>Represented by: Erika Mustermann</p>"
                )
            ],
        },
    ),
    (
        "privacy",
        {
            "title": "Datenschutzerklärung",
            "slug": "datenschutz",
            "body": [
                _h("Was wir speichern"),
                _p(
                    "<p>Wir speichern keine IP-Adressen. Zugriffe auf Podcast-Folgen werden nur "
                    "anonymisiert gezählt. Es werden keine Dienste Dritter eingebunden und keine "
                    "Tracking-Cookies gesetzt.</p>"
                ),
                _h("Lernstand ohne Konto"),
                _p(
                    "<p>Wenn Sie eine Selbstlerneinheit oder den Digital-Check öffnen, setzen wir "
                    "ein eigenes Cookie mit einer zufälligen Kennung (HttpOnly, nur für diese "
                    "Website). Damit merken wir uns Ihren Lernstand, ohne dass Sie ein Konto "
                    "brauchen; gespeichert wird nur ein Hash der Kennung. Unter „Meine Daten“ "
                    "können Sie alles herunterladen oder löschen. Nicht genutzte anonyme "
                    "Lernstände löschen wir automatisch nach 180 Tagen.</p>"
                ),
            ],
        },
        {
            "title": "Privacy notice",
            "slug": "privacy",
            "body": [
                _h("What we store"),
                _p(
                    "<p>We store no IP addresses. Downloads of podcast episodes are only counted "
                    "anonymously. No third-party services are embedded and no tracking cookies "
                    "are set.</p>"
                ),
                _h("Learning progress without an account"),
                _p(
                    "<p>When you open a self-learning unit or the Digital-Check we set our own "
                    "cookie holding a random identifier (HttpOnly, for this site only). It lets "
                    "us remember your progress without an account; only a hash of the "
                    "identifier is stored. Under “My data” you can download or delete "
                    "everything. Unused anonymous progress is deleted automatically after 180 "
                    "days.</p>"
                ),
            ],
        },
    ),
    (
        "accessibility",
        {
            "title": "Erklärung zur Barrierefreiheit",
            "slug": "barrierefreiheit",
            "conformance": "partial",
            "non_accessible": [
                (
                    "item",
                    {
                        "content": "Ältere PDF-Leitfäden",
                        "reason": (
                            "Einige Leitfäden aus dem ersten Projektjahr sind nicht getaggt "
                            "(WCAG 1.3.1). Wir überarbeiten sie bis Ende 2027."
                        ),
                        "alternative": (
                            "Auf Anfrage senden wir Ihnen den Inhalt als barrierefreies "
                            "Dokument oder erklären ihn telefonisch."
                        ),
                    },
                ),
            ],
            "prepared_on": datetime.date(2026, 11, 30),
            "method": "self",
            "method_detail": (
                "Prüfung aller Seitentypen mit Tastatur und Screenreader, automatische Tests "
                "mit axe."
            ),
            "feedback_email": "barrierefreiheit@example.org",
            "feedback_phone": "+49 30 1234567",
        },
        {
            "title": "Accessibility statement",
            "slug": "accessibility",
            "non_accessible": [
                (
                    "item",
                    {
                        "content": "Older PDF guides",
                        "reason": (
                            "Some guides from the project's first year are not tagged (WCAG "
                            "1.3.1). We are revising them by the end of 2027."
                        ),
                        "alternative": (
                            "On request we send you the content as an accessible document "
                            "or explain it by phone."
                        ),
                    },
                ),
            ],
            "method_detail": (
                "All page types checked with keyboard and screen reader, automated tests with axe."
            ),
        },
    ),
]

TOPICS = [
    (
        "online-marketing",
        "Online-Marketing",
        "Online marketing",
        "Sichtbar werden: Website, Social Media, Bewertungen.",
        "Getting seen: website, social media, reviews.",
    ),
    (
        "it-sicherheit",
        "IT-Sicherheit",
        "IT security",
        "Daten und Systeme des Betriebs schützen.",
        "Protecting the company's data and systems.",
    ),
    (
        "kuenstliche-intelligenz",
        "Künstliche Intelligenz",
        "Artificial intelligence",
        "KI-Werkzeuge verstehen und sinnvoll einsetzen.",
        "Understanding AI tools and using them well.",
    ),
    (
        "fuehrung-zusammenarbeit",
        "Führung & Zusammenarbeit",
        "Leadership & collaboration",
        "Teams durch den digitalen Wandel führen.",
        "Leading teams through digital change.",
    ),
    (
        "geschaeftsmodelle",
        "Geschäftsmodelle",
        "Business models",
        "Neue digitale Angebote entwickeln.",
        "Developing new digital offers.",
    ),
    (
        "nachhaltigkeit",
        "Nachhaltigkeit",
        "Sustainability",
        "Ressourcen sparen mit digitalen Mitteln.",
        "Saving resources with digital means.",
    ),
]

MATURITY_LEVELS = [
    (
        "einstieg",
        "Einstieg",
        "Getting started",
        "Für Betriebe, die gerade anfangen, sich mit dem Thema zu beschäftigen.",
        "For companies just starting with the topic.",
    ),
    (
        "fortgeschritten",
        "Fortgeschritten",
        "Advanced",
        "Für Betriebe mit ersten Erfahrungen, die den nächsten Schritt gehen wollen.",
        "For companies with first experience that want to take the next step.",
    ),
    (
        "vertiefung",
        "Vertiefung",
        "In depth",
        "Für Betriebe, die Lösungen bereits nutzen und sie ausbauen wollen.",
        "For companies that already use solutions and want to extend them.",
    ),
]

PEOPLE = [
    {
        "name": "Dr. Miriam Keller",
        "de": {
            "role": "Moderatorin und Referentin für Digitalisierung",
            "organisation": "Mittelstand-Digital Zentrum",
            "bio": "<p>Begleitet seit zehn Jahren Handwerksbetriebe bei der Digitalisierung.</p>",
        },
        "en": {
            "role": "Host and digitalisation consultant",
            "bio": "<p>Has supported craft businesses in digitalisation for ten years.</p>",
        },
    },
    {
        "name": "Jonas Albrecht",
        "de": {
            "role": "Referent für IT-Sicherheit",
            "organisation": "Mittelstand-Digital Zentrum",
            "bio": "<p>Erklärt IT-Sicherheit so, dass sie im Betriebsalltag ankommt.</p>",
        },
        "en": {
            "role": "IT security consultant",
            "bio": "<p>Explains IT security so that it works in everyday business.</p>",
        },
    },
    {
        "name": "Sabine Reuter",
        "de": {
            "role": "Geschäftsführerin",
            "organisation": "Reuter Metallbau GmbH",
            "bio": "<p>Führt einen Metallbaubetrieb mit 35 Beschäftigten.</p>",
        },
        "en": {
            "role": "Managing director",
            "bio": "<p>Runs a metalworking company with 35 employees.</p>",
        },
    },
]

SITE_SETTINGS = {
    "organisation_name": "Mittelstand-Digital Zentrum Lernfunk",
    "contact_email": "kontakt@example.org",
    "contact_phone": "+49 30 123456-0",
    "address": "Musterstraße 1\n12345 Musterstadt",
    "funder_name": "Bundesministerium für Wirtschaft und Energie",
    "funder_url": "https://www.mittelstand-digital.de/",
    "funding_notice": "Gefördert aufgrund eines Beschlusses des Deutschen Bundestages.",
    "funder_name_en": "Federal Ministry for Economic Affairs and Energy",
    "funding_notice_en": "Supported on the basis of a decision by the German Bundestag.",
}
