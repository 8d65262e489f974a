"""German strings of issue 14 (B): learner data, cookies, certificates (merged by translations_de.py)."""

GERMAN = {
    "Your progress in this unit is saved from now on.": "Ihr Lernstand in dieser Einheit wird ab jetzt gespeichert.",
    "Your progress is not saved yet. It is saved once you answer, tick or mark something – or from this step on, if you like.": "Ihr Lernstand wird noch nicht gespeichert. Das geschieht, sobald Sie etwas beantworten, abhaken oder als erledigt markieren – oder auf Wunsch ab diesem Schritt.",
    "Save my progress": "Meinen Lernstand speichern",
    "You can learn without an account. Reading stores nothing. Once you save something (your progress, a quiz answer, a checklist, a reflection), we store a random number in a cookie of this website (“%(learner_cookie_name)s”, first-party, no tracking, no third parties) so that you can continue where you left off, and what you saved under that number. Only you can see it. Data not used for %(retention_days)s days is deleted automatically; every use starts this period again.": "Sie können ohne Konto lernen. Beim Lesen speichern wir nichts. Sobald Sie etwas speichern (Ihren Lernstand, eine Quizantwort, eine Checkliste, eine Reflexion), legen wir eine Zufallszahl in einem Cookie dieser Website ab („%(learner_cookie_name)s“, nur von dieser Website, kein Tracking, keine Dritten), damit Sie dort weitermachen können, wo Sie aufgehört haben, und speichern unter dieser Zahl, was Sie gespeichert haben. Nur Sie können es sehen. Daten, die %(retention_days)s Tage lang nicht genutzt werden, löschen wir automatisch; jede Nutzung beginnt diese Frist neu.",
    "Your account and all its data have been deleted; its certificates are withdrawn.": "Ihr Konto und alle seine Daten wurden gelöscht; seine Teilnahmebestätigungen sind zurückgezogen.",
    "Also delete my account. My certificates are then withdrawn: their verification page says so and no longer shows my name.": "Auch mein Konto löschen. Meine Teilnahmebestätigungen werden dann zurückgezogen: Ihre Prüfseite sagt das und zeigt meinen Namen nicht mehr.",
    "Withdrawn (account deleted)": "Zurückgezogen (Konto gelöscht)",
    "This certificate has been withdrawn at its holder's request and is no longer valid.": "Diese Teilnahmebestätigung wurde auf Wunsch ihrer Inhaberin oder ihres Inhabers zurückgezogen und ist nicht mehr gültig.",
}
