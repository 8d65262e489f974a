"""German strings of the statistics permissions, the needs dashboard's periods and
anonymity notes, and the learning reports (merged by translations_de.py)."""

GERMAN = {
    "Can view the needs dashboard": "Darf die Bedarfsauswertung sehen",
    "Can view the learning reports": "Darf die Lernberichte sehen",
    "No access": "Kein Zugriff",
    "You do not have permission to view these statistics. Ask an administrator for the group “Auswertung”.": "Sie haben keine Berechtigung, diese Auswertungen zu sehen. Bitten Sie eine Administratorin oder einen Administrator um die Gruppe „Auswertung“.",
    "Period": "Zeitraum",
    "All periods": "Alle Zeiträume",
    "Quarter %(number)s/%(year)s": "Quartal %(number)s/%(year)s",
    "Not given": "Keine Angabe",
    "not shown": "nicht angezeigt",
    "Aggregates only, by whole quarters. A quarter (per questionnaire version) with fewer than %(k)s submissions is left out, and so is any group (also a month) with fewer than %(k)s, together with as many other groups as needed so that no subtraction of shown figures reveals fewer than %(k)s companies.": "Nur zusammengefasste Werte, nach ganzen Quartalen. Ein Quartal (je Fragebogenversion) mit weniger als %(k)s Antworten wird weggelassen, ebenso jede Gruppe (auch ein Monat) mit weniger als %(k)s Antworten – zusammen mit so vielen weiteren Gruppen, dass keine Differenz angezeigter Werte weniger als %(k)s Betriebe erkennen lässt.",
    "Quarters left out because they have fewer than %(k)s submissions (per questionnaire version): %(quarters)s": "Weggelassene Quartale mit weniger als %(k)s Antworten (je Fragebogenversion): %(quarters)s",
    "Too few submissions in this period: nothing can be shown without risking that a single company is recognised (fewer than %(k)s per quarter).": "Zu wenige Antworten in diesem Zeitraum: Es lässt sich nichts anzeigen, ohne dass ein einzelner Betrieb erkennbar werden könnte (weniger als %(k)s pro Quartal).",
}
