"""German UI strings, merged into locale/de/LC_MESSAGES/django.po by `make translations`.

Keeping them here (msgid → German) lets us re-run makemessages without losing work and
review the wording in one place.
"""

GERMAN = {
    "Site": "Website",
    "heading": "Überschrift",
    "level": "Ebene",
    "Level 2": "Ebene 2",
    "Level 3": "Ebene 3",
    "Level 4": "Ebene 4",
    "Keep levels in order for screen-reader users: no jump from 2 to 4.": (
        "Ebenen der Reihe nach verwenden, für Screenreader-Nutzende: kein Sprung von 2 auf 4."
    ),
    "image": "Bild",
    "caption": "Bildunterschrift",
    "quote": "Zitat",
    "attribution": "Quelle",
    "paragraph": "Absatz",
    "introduction": "Einleitung",
    "One or two sentences under the title.": "Ein oder zwei Sätze unter dem Titel.",
    "body": "Inhalt",
    "home page": "Startseite",
    "standard page": "Standardseite",
    "organisation name": "Name der Organisation",
    "Shown in the header, footer and feeds.": "Erscheint im Kopf, im Fuß und in den Feeds.",
    "contact e-mail": "Kontakt-E-Mail",
    "contact phone": "Kontakttelefon",
    "postal address": "Postanschrift",
    "funder": "Fördermittelgeber",
    "Shown as “Funded by …” in the footer of every page.": (
        "Erscheint als „Gefördert durch …“ im Fuß jeder Seite."
    ),
    "funder logo": "Logo des Fördermittelgebers",
    "funder link": "Link zum Fördermittelgeber",
    "funding notice": "Förderhinweis",
    "Additional wording the funder requires, e.g. the resolution of parliament.": (
        "Zusätzlicher Wortlaut, den der Fördermittelgeber verlangt, z. B. der Beschluss "
        "des Bundestages."
    ),
    "imprint": "Impressum",
    "privacy notice": "Datenschutzerklärung",
    "accessibility statement": "Erklärung zur Barrierefreiheit",
    "Organisation": "Organisation",
    "Funding": "Förderung",
    "Legal pages": "Rechtliche Seiten",
    "site settings": "Website-Einstellungen",
    "Imprint": "Impressum",
    "Privacy": "Datenschutz",
    "Accessibility": "Barrierefreiheit",
    "Images": "Bilder",
    "credit": "Bildnachweis",
    "Photographer or rights holder, shown with the image, e.g. “Foto: Jane Doe”.": (
        "Fotograf:in oder Rechteinhaber:in, wird mit dem Bild gezeigt, z. B. „Foto: Erika "
        "Mustermann“."
    ),
    "images": "Bilder",
    "People": "Personen",
    "name": "Name",
    "role": "Rolle",
    "e.g. “Referentin für IT-Sicherheit”": "z. B. „Referentin für IT-Sicherheit“",
    "organisation": "Organisation",
    "photo": "Foto",
    "biography": "Kurzbiografie",
    "link": "Link",
    "person": "Person",
    "people": "Personen",
    "Taxonomy": "Taxonomie",
    "slug": "Kurzname (Slug)",
    "description": "Beschreibung",
    "topic": "Thema",
    "topics": "Themen",
    "Who this level is for, in one or two sentences.": (
        "Für wen diese Stufe gedacht ist, in ein oder zwei Sätzen."
    ),
    "maturity level": "Reifegrad",
    "maturity levels": "Reifegrade",
    "Feeds": "Feeds",
    "Media": "Medien",
    "Page not found": "Seite nicht gefunden",
    "Sorry, this page does not exist (any more). Try the home page or the navigation above.": (
        "Diese Seite gibt es leider nicht (mehr). Versuchen Sie es über die Startseite oder "
        "die Navigation oben."
    ),
    "Skip to content": "Zum Inhalt springen",
    "Our offers": "Unsere Angebote",
    "Funded by %(funder)s": "Gefördert durch %(funder)s",
    "Legal information": "Rechtliche Informationen",
    "Podcasts, explainer videos and self-learning units": (
        "Podcasts, Erklärvideos und Selbstlerneinheiten"
    ),
    "Main navigation": "Hauptnavigation",
    "Language": "Sprache",
    # media pipeline: probing, transcoding, states
    "The file is not a readable audio or video file.": (
        "Die Datei ist keine lesbare Audio- oder Videodatei."
    ),
    "The file is empty.": "Die Datei ist leer.",
    "The file is larger than the allowed %(size)s MB.": (
        "Die Datei ist größer als die erlaubten %(size)s MB."
    ),
    "The file contains neither sound nor pictures.": "Die Datei enthält weder Ton noch Bild.",
    "The file has more than %(count)s tracks.": "Die Datei hat mehr als %(count)s Spuren.",
    "The length of the recording cannot be determined.": (
        "Die Länge der Aufnahme lässt sich nicht bestimmen."
    ),
    "The recording is longer than the allowed %(hours)s hours.": (
        "Die Aufnahme ist länger als die erlaubten %(hours)s Stunden."
    ),
    "The video is larger than allowed (at most %(pixels)s pixels on its longer side).": (
        "Das Video ist größer als erlaubt (höchstens %(pixels)s Pixel an der längeren Seite)."
    ),
    "The file has no sound track.": "Die Datei enthält keine Tonspur.",
    "Converting the file took too long and was stopped.": (
        "Die Umwandlung hat zu lange gedauert und wurde abgebrochen."
    ),
    "The file could not be converted. It may be damaged or incomplete.": (
        "Die Datei konnte nicht umgewandelt werden. Sie ist möglicherweise beschädigt oder "
        "unvollständig."
    ),
    "The converted file is empty.": "Die umgewandelte Datei ist leer.",
    "The converted file has the wrong length.": "Die umgewandelte Datei hat die falsche Länge.",
    "The loudness of the recording could not be measured.": (
        "Die Lautheit der Aufnahme konnte nicht gemessen werden."
    ),
    "Processing failed unexpectedly; try again later.": (
        "Die Verarbeitung ist unerwartet fehlgeschlagen; bitte später erneut versuchen."
    ),
    "Audio": "Audio",
    "Video": "Video",
    "Being checked": "Wird geprüft",
    "Checked": "Geprüft",
    "Rejected": "Abgelehnt",
    "Waiting": "Wartet",
    "Processing": "In Arbeit",
    "Ready": "Fertig",
    "Failed": "Fehlgeschlagen",
    "title": "Titel",
    "file": "Datei",
    "kind": "Art",
    "duration (seconds)": "Dauer (Sekunden)",
    "width": "Breite",
    "height": "Höhe",
    "file size": "Dateigröße",
    "SHA-256": "SHA-256",
    "probe data": "Analysedaten",
    "source status": "Status der Datei",
    "problem with the file": "Problem mit der Datei",
    "uploaded by": "Hochgeladen von",
    "created": "Erstellt",
    "media file": "Mediendatei",
    "media files": "Mediendateien",
    "media": "Medium",
    "spec": "Spezifikation",
    "status": "Status",
    "progress (%)": "Fortschritt (%)",
    "time left (s)": "Restzeit (s)",
    "error": "Fehler",
    "technical detail": "Technische Details",
    "attempts": "Versuche",
    "MIME type": "MIME-Typ",
    "bitrate (bit/s)": "Bitrate (bit/s)",
    "loudness (LUFS)": "Lautheit (LUFS)",
    "true peak (dBTP)": "True Peak (dBTP)",
    "rendition": "Ausgabedatei",
    "renditions": "Ausgabedateien",
    # media admin ("Medien"): upload, listing, detail, chooser
    "Upload media": "Medien hochladen",
    "Choose at least one audio or video file.": (
        "Wählen Sie mindestens eine Audio- oder Videodatei aus."
    ),
    "“%(title)s” uploaded; its renditions are being prepared.": (
        "„%(title)s“ hochgeladen; die Ausgabedateien werden vorbereitet."
    ),
    "Not every file was accepted; see the reasons below.": (
        "Nicht alle Dateien wurden angenommen; die Gründe stehen unten."
    ),
    "The upload could not be started.": "Das Hochladen konnte nicht beginnen.",
    "Title": "Titel",
    "Kind": "Art",
    "Duration": "Dauer",
    "File": "Datei",
    "Renditions": "Ausgabedateien",
    "Uploaded": "Hochgeladen",
    "Media file": "Mediendatei",
    "“%(spec)s” will be converted again.": "„%(spec)s“ wird erneut umgewandelt.",
    "Only failed renditions can be retried.": (
        "Nur fehlgeschlagene Ausgabedateien können erneut versucht werden."
    ),
    "Audio or video files": "Audio- oder Videodateien",
    "You can select several files at once.": "Sie können mehrere Dateien auf einmal auswählen.",
    "Only used when uploading a single file; defaults to the file name.": (
        "Gilt nur beim Hochladen einer einzelnen Datei; ohne Angabe wird der Dateiname verwendet."
    ),
    "All kinds": "Alle Arten",
    "%(time)s left": "%(time)s verbleibend",
    "Choose a media file": "Mediendatei auswählen",
    "Choose another media file": "Andere Mediendatei auswählen",
    "Edit media file": "Mediendatei bearbeiten",
    "Choose an audio file": "Audiodatei auswählen",
    "Choose another audio file": "Andere Audiodatei auswählen",
    "Choose a video": "Video auswählen",
    "Choose another video": "Anderes Video auswählen",
    "Upload result": "Ergebnis des Hochladens",
    "not accepted.": "nicht angenommen.",
    "uploaded as": "hochgeladen als",
    "At most %(max_upload_mb)s MB per file. Renditions for the website and the podcast feed "
    "are prepared in the background.": (
        "Höchstens %(max_upload_mb)s MB pro Datei. Die Ausgabedateien für die Website und den "
        "Podcast-Feed werden im Hintergrund vorbereitet."
    ),
    "Uploading…": "Wird hochgeladen …",
    "Upload": "Hochladen",
    "Picture size": "Bildgröße",
    "Download original": "Original herunterladen",
    "Rendition": "Ausgabedatei",
    "Size": "Größe",
    "Loudness (LUFS)": "Lautheit (LUFS)",
    "True peak (dBTP)": "True Peak (dBTP)",
    "Actions": "Aktionen",
    "Play %(spec)s": "%(spec)s abspielen",
    "Download": "Herunterladen",
    "Try again": "Erneut versuchen",
    "No renditions have been requested for this file.": (
        "Für diese Datei wurden keine Ausgabedateien angefordert."
    ),
}


def main():
    from pathlib import Path

    import polib

    path = Path(__file__).resolve().parent.parent / "locale/de/LC_MESSAGES/django.po"
    catalogue = polib.pofile(str(path))
    catalogue.metadata.update(
        {
            "Project-Id-Version": "Lernfunk",
            "Language": "de",
            "Content-Type": "text/plain; charset=UTF-8",
            "Plural-Forms": "nplurals=2; plural=(n != 1);",
        }
    )
    missing = []
    for entry in catalogue:
        if entry.msgid in GERMAN:
            entry.msgstr = GERMAN[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif not entry.msgstr:
            missing.append(entry.msgid)
    catalogue.save()
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
