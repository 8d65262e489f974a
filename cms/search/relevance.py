"""The relevance set: queries a visitor would type on the demo site, each with the items a
person who knows the content would expect among the first three results.

The live search must answer all of them (tests/cms/search/test_demo_relevance.py). The static
archive's search has no synonyms, no stemming and no words inside compounds (README, "Static
archive"): ``verify_static_site --relevance-set demo`` asks it the cases it can answer.
"""

EPISODE_JOINERY = "Die Tischlerei ohne Zettelwirtschaft"
EPISODE_PRIVACY = "Datenschutz im Kundenservice"
EPISODE_AI = "Künstliche Intelligenz in der Produktion"
VIDEO_CLOUD = "Was ist eine Cloud?"
VIDEO_2FA = "Zwei-Faktor-Authentisierung in 30 Sekunden"
UNIT_SOCIAL = "Social Media für den Betrieb: der erste Schritt"
UNIT_AI = "KI im Kundenservice ausprobieren"
PATH = "Digital sichtbar und serviceorientiert"

# (query, any of these among the first three results)
GERMAN = [
    ("Tischlerei", {EPISODE_JOINERY}),
    ("Zettelwirtschaft", {EPISODE_JOINERY}),
    ("Datenschutz", {EPISODE_PRIVACY}),
    ("DSGVO", {EPISODE_PRIVACY}),  # only in the episode's summary
    ("Künstliche Intelligenz", {EPISODE_AI}),
    ("Verpackungen", {EPISODE_AI}),
    ("Lebensmittelhersteller", {EPISODE_AI}),
    ("Cloud", {"Cloud", VIDEO_CLOUD}),
    ("Wolke", {"Cloud"}),  # a synonym of the key term
    ("Backup", {"Datensicherung"}),  # a synonym
    ("2FA", {"Zwei-Faktor-Authentisierung", VIDEO_2FA}),  # a synonym and a caption
    ("Zwei-Faktor-Authentifizierung", {"Zwei-Faktor-Authentisierung"}),  # a synonym
    ("Rechenzentren", {"Rechenzentrum"}),  # plural synonym
    ("Phishing", {"Phishing", VIDEO_2FA}),
    ("Passwort", {VIDEO_2FA, "Zwei-Faktor-Authentisierung"}),
    ("Social Media", {UNIT_SOCIAL}),
    ("Kundenservice", {UNIT_AI, EPISODE_PRIVACY}),
    ("Service für Kunden", {UNIT_AI, EPISODE_PRIVACY}),  # the compound, split
    ("serviceorientiert", {PATH}),
    ("Pilot", {UNIT_AI}),  # a step's title
    ("Beitrag planen", {UNIT_SOCIAL}),
    ("Jonas Albrecht", {EPISODE_JOINERY, EPISODE_AI}),  # the guest
    ("Sabine Reuter", {EPISODE_PRIVACY}),
    ("im eigenen Büro", {VIDEO_CLOUD}),  # only in the captions
    ("Schalten Sie 2FA überall ein", {VIDEO_2FA}),  # only in the captions
]
ENGLISH = [
    ("joinery", {"The joinery without paper chaos"}),
    ("data protection", {"Data protection in customer service"}),
    ("GDPR", {"Data protection in customer service"}),
    ("artificial intelligence", {"Artificial intelligence in production"}),
    ("packaging", {"Artificial intelligence in production"}),
    ("backups", {"Backup"}),
    ("data center", {"Data centre"}),  # the American spelling is a synonym
    ("two-step verification", {"Two-factor authentication"}),  # a synonym
    ("cloud computing", {"Cloud"}),
    ("social media", {"Social media for your business: the first step"}),
    ("customer service", {"Trying out AI in customer service"}),
    ("You still need a backup", {"What is a cloud?"}),  # only in the English captions
    ("enquiries faster", {"Visible online, quick to answer"}),  # the path's intro
]

# The archive's search matches word beginnings only: a compound's parts are not found.
SERVER_ONLY = {"Service für Kunden"}
ARCHIVE_DEMO_RELEVANCE_SET = {
    "de": [case for case in GERMAN if case[0] not in SERVER_ONLY],
    "en": [case for case in ENGLISH if case[0] not in SERVER_ONLY],
}
