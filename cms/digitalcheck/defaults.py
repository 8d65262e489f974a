"""The default questionnaire in German and English, after the EU Digital Maturity Assessment
for SMEs.

Six dimensions as in the EU assessment, each with three statements rated 0–5, written for
small companies; plus one implementation/relevance pair per topic of the taxonomy, as in
the German craft-sector check ("Das setzen wir um" / "Das ist für uns wichtig").
"""

DIMENSIONS = [
    ("Digitale Geschäftsstrategie", "Wie planvoll Ihr Betrieb die Digitalisierung angeht.", [
        "Unsere Digitalisierung folgt einem festgelegten Plan mit Zielen und Zuständigkeiten.",
        "Für Digitalisierungsvorhaben sind Budget und Arbeitszeit fest eingeplant.",
        "Die Geschäftsführung treibt die Digitalisierung sichtbar voran.",
    ]),
    ("Digitale Bereitschaft", "Welche digitalen Werkzeuge Ihr Betrieb schon nutzt.", [
        "Wir nutzen grundlegende digitale Werkzeuge: Website, Cloud-Dienste, "
        "Videokonferenzen.",
        "Kundinnen und Kunden erreichen uns digital, etwa über Formulare, Shop oder Messenger.",
        "Unsere Abläufe laufen über eine Unternehmenssoftware (z. B. Warenwirtschaft, "
        "Kundenverwaltung, E-Rechnung).",
    ]),
    ("Menschenzentrierte Digitalisierung", "Wie Ihr Team an der Digitalisierung beteiligt ist.", [
        "Wir prüfen regelmäßig, welche digitalen Kompetenzen im Team fehlen.",
        "Beschäftigte bilden sich gezielt digital weiter, etwa mit Kursen oder E-Learning.",
        "Beschäftigte werden an der Auswahl und Einführung neuer Werkzeuge beteiligt.",
    ]),
    ("Datenmanagement und Vernetzung", "Wie Ihr Betrieb Daten erfasst, nutzt und schützt.", [
        "Wichtige Daten werden digital erfasst und an einem zentralen Ort gespeichert.",
        "Wir werten Daten aus, um Entscheidungen zu treffen.",
        "Daten sind geschützt: mit Regeln, Schulungen und Sicherungskopien außer Haus.",
    ]),
    ("Automatisierung und künstliche Intelligenz", "Wo Abläufe von selbst laufen.", [
        "Wiederkehrende Abläufe sind bei uns automatisiert.",
        "Wir setzen KI-Anwendungen ein, etwa für Texte, Kundenanfragen oder Auswertungen.",
        "Auswertungen oder Prognosen unterstützen unsere Entscheidungen.",
    ]),
    ("Grüne Digitalisierung", "Wie Digitalisierung Ressourcen schont.", [
        "Wir sparen mit digitaler Technik Energie, Material oder Wege.",
        "Unsere Verwaltung arbeitet weitgehend papierlos.",
        "Beim Kauf und Betrieb von IT achten wir auf Energieverbrauch und Wiederverwertung.",
    ]),
]  # fmt: skip

TOPIC_PAIRS = [
    ("online-marketing",
     "Wir nutzen Website, Social Media und Bewertungen gezielt, um Kundschaft zu gewinnen.",
     "Online-Marketing ist für unseren Betrieb wichtig."),
    ("it-sicherheit",
     "Wir schützen Daten und Systeme mit klaren Regeln und Maßnahmen.",
     "IT-Sicherheit ist für unseren Betrieb wichtig."),
    ("kuenstliche-intelligenz",
     "Wir setzen KI-Werkzeuge im Arbeitsalltag ein.",
     "Künstliche Intelligenz ist für unseren Betrieb wichtig."),
    ("fuehrung-zusammenarbeit",
     "Wir arbeiten digital zusammen und führen Teams auch auf Distanz.",
     "Digitale Zusammenarbeit ist für unseren Betrieb wichtig."),
    ("geschaeftsmodelle",
     "Wir entwickeln digitale Angebote oder neue Geschäftsmodelle.",
     "Digitale Geschäftsmodelle sind für unseren Betrieb wichtig."),
    ("nachhaltigkeit",
     "Wir setzen Digitalisierung für mehr Nachhaltigkeit ein.",
     "Nachhaltigkeit ist für unseren Betrieb wichtig."),
]  # fmt: skip


DIMENSIONS_EN = [
    ("Digital business strategy", "How deliberately your company approaches digitalisation.", [
        "Our digitalisation follows an agreed plan with goals and responsibilities.",
        "Budget and working time are set aside for digitalisation projects.",
        "The management visibly drives digitalisation forward.",
    ]),
    ("Digital readiness", "Which digital tools your company already uses.", [
        "We use basic digital tools: website, cloud services, video conferences.",
        "Customers reach us digitally, for example through forms, a shop or messengers.",
        "Our processes run on business software (e.g. inventory management, customer "
        "management, e-invoicing).",
    ]),
    ("Human-centric digitalisation", "How your team takes part in digitalisation.", [
        "We regularly check which digital skills the team lacks.",
        "Employees train their digital skills on purpose, for example with courses or "
        "e-learning.",
        "Employees take part in choosing and introducing new tools.",
    ]),
    ("Data management and connectivity", "How your company collects, uses and protects data.", [
        "Important data is recorded digitally and stored in one central place.",
        "We analyse data to make decisions.",
        "Data is protected: with rules, training and backups kept off site.",
    ]),
    ("Automation and artificial intelligence", "Where processes run by themselves.", [
        "Recurring processes are automated in our company.",
        "We use AI applications, for example for texts, customer enquiries or analyses.",
        "Analyses or forecasts support our decisions.",
    ]),
    ("Green digitalisation", "How digitalisation saves resources.", [
        "We save energy, material or journeys with digital technology.",
        "Our administration works largely without paper.",
        "When buying and running IT we pay attention to energy use and recycling.",
    ]),
]  # fmt: skip

TOPIC_PAIRS_EN = [
    ("online-marketing",
     "We use our website, social media and reviews on purpose to win customers.",
     "Online marketing matters for our company."),
    ("it-sicherheit",
     "We protect data and systems with clear rules and measures.",
     "IT security matters for our company."),
    ("kuenstliche-intelligenz",
     "We use AI tools in our daily work.",
     "Artificial intelligence matters for our company."),
    ("fuehrung-zusammenarbeit",
     "We work together digitally and lead teams at a distance too.",
     "Digital collaboration matters for our company."),
    ("geschaeftsmodelle",
     "We develop digital offers or new business models.",
     "Digital business models matter for our company."),
    ("nachhaltigkeit",
     "We use digitalisation for more sustainability.",
     "Sustainability matters for our company."),
]  # fmt: skip


def default_stream_data(topics_by_slug: dict, language: str = "de") -> tuple[list, list]:
    """(dimensions, topic_pairs) as raw StreamField data in ``language`` ("de" or "en");
    topics missing from ``topics_by_slug`` (slug → Topic) are left out."""
    dimension_texts, pair_texts = (
        (DIMENSIONS_EN, TOPIC_PAIRS_EN) if language == "en" else (DIMENSIONS, TOPIC_PAIRS)
    )
    dimensions = [
        {
            "type": "dimension",
            "value": {
                "title": title,
                "intro": intro,
                "questions": [{"text": text, "hint": ""} for text in questions],
            },
        }
        for title, intro, questions in dimension_texts
    ]
    pairs = [
        {
            "type": "topic",
            "value": {
                "topic": topics_by_slug[slug].pk,
                "implementation": implementation,
                "relevance": relevance,
            },
        }
        for slug, implementation, relevance in pair_texts
        if slug in topics_by_slug
    ]
    return dimensions, pairs
