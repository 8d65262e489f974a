"""German UI strings, merged into locale/de/LC_MESSAGES/django.po by `make translations`.

Keeping them here (msgid → German) lets us re-run makemessages without losing work and
review the wording in one place. A plural msgid (``ngettext``, ``{% blocktranslate count %}``)
takes a ``(singular, plural)`` pair.
"""

GERMAN = {
    "Podcasts": "Podcasts",
    "The cover art must be square; this image is %(width)s × %(height)s pixels.": "Das Cover muss quadratisch sein; dieses Bild hat %(width)s × %(height)s Pixel.",
    "The cover art is %(size)s × %(size)s pixels; podcast apps need at least 1400 × 1400 (3000 × 3000 is best).": "Das Cover hat %(size)s × %(size)s Pixel; Podcast-Apps brauchen mindestens 1400 × 1400 (am besten 3000 × 3000).",
    "Choose each category only once.": "Jede Kategorie bitte nur einmal wählen.",
    "Transcript file": "Transkript-Datei",
    "WebVTT (.vtt) or SRT (.srt). SRT is converted to WebVTT.": "WebVTT (.vtt) oder SRT (.srt). SRT wird in WebVTT umgewandelt.",
    "A chapter cannot start before the episode.": "Ein Kapitel kann nicht vor der Folge beginnen.",
    "The episode is only %(length)s long; this chapter starts after its end.": "Die Folge ist nur %(length)s lang; dieses Kapitel beginnt nach ihrem Ende.",
    "Chapters must be in order: each starts after the one above.": "Kapitel müssen der Reihe nach kommen: Jedes beginnt nach dem darüber.",
    "This podcast is serial: every episode needs a season and episode number.": "Dieser Podcast ist fortlaufend: Jede Folge braucht eine Staffel- und Folgennummer.",
    "Episodic (newest first)": "Episodisch (neueste zuerst)",
    "Serial (in order, with numbered episodes)": "Fortlaufend (der Reihe nach, mit nummerierten Folgen)",
    "Full episode": "Ganze Folge",
    "Bonus": "Bonus",
    "Host": "Moderation",
    "Co-host": "Co-Moderation",
    "Guest": "Gast",
    "Producer": "Produktion",
    "Editor": "Redaktion",
    "Author": "Autorin/Autor",
    "Other": "Andere",
    "Podcast apps show the first 4000 bytes as plain text.": "Podcast-Apps zeigen die ersten 4000 Byte als reinen Text.",
    "cover art": "Cover",
    "Square JPEG or PNG, at least 1400 × 1400 pixels (3000 × 3000 is best).": "Quadratisches JPEG oder PNG, mindestens 1400 × 1400 Pixel (am besten 3000 × 3000).",
    "owner name": "Name der Inhaberin/des Inhabers",
    "Podcast directories send verification mails here.": "Podcast-Verzeichnisse schicken Bestätigungs-E-Mails an diese Adresse.",
    "author": "Autor/in",
    "Shown as the podcast's author in apps.": "Wird in Apps als Urheber des Podcasts angezeigt.",
    "main category": "Hauptkategorie",
    "second category": "Zweite Kategorie",
    "third category": "Dritte Kategorie",
    "copyright": "Urheberrecht",
    "locked against import": "Gegen Import gesperrt",
    "Other podcast hosts refuse to import a locked feed. Unlock it before moving the podcast elsewhere, e.g. when the project ends.": "Andere Podcast-Hoster importieren einen gesperrten Feed nicht. Heben Sie die Sperre auf, bevor der Podcast umzieht, z. B. zum Projektende.",
    "new feed URL": "Neue Feed-Adresse",
    "Only when the podcast has moved: apps are sent to this address and update their subscription.": "Nur wenn der Podcast umgezogen ist: Apps werden an diese Adresse weitergeleitet und aktualisieren ihr Abo.",
    "complete": "Abgeschlossen",
    "No further episodes will be published.": "Es erscheinen keine weiteren Folgen.",
    "podcast GUID": "Podcast-GUID",
    "Hosts": "Moderation",
    "Subscribe links": "Abo-Links",
    "Link": "Link",
    "Ownership": "Inhaber",
    "Apple categories": "Apple-Kategorien",
    "Content": "Inhalt",
    "Promote": "Bewerben",
    "podcast": "Podcast",
    "podcasts": "Podcasts",
    "platform": "Plattform",
    "label": "Bezeichnung",
    "Only needed for “Other”.": "Nur für „Andere“ nötig.",
    "text": "Text",
    "e.g. “Gefördert vom BMWK”. At most 128 characters.": "z. B. „Gefördert vom BMWK“. Höchstens 128 Zeichen.",
    "summary": "Zusammenfassung",
    "Two or three sentences; shown in podcast apps and episode lists.": "Zwei oder drei Sätze; erscheinen in Podcast-Apps und Folgenlisten.",
    "show notes": "Shownotes",
    "video version": "Videofassung",
    "episode number": "Folgennummer",
    "season number": "Staffelnummer",
    "episode type": "Art der Folge",
    "transcript (WebVTT)": "Transkript (WebVTT)",
    "Upload a WebVTT or SRT file above, or edit the WebVTT text here.": "Laden Sie oben eine WebVTT- oder SRT-Datei hoch oder bearbeiten Sie den WebVTT-Text hier.",
    "episode GUID": "Folgen-GUID",
    "Chapters": "Kapitel",
    "Chapter": "Kapitel",
    "Transcript": "Transkript",
    "podcast episode": "Podcast-Folge",
    "podcast episodes": "Podcast-Folgen",
    "start": "Beginn",
    "e.g. 12:30 or 1:02:03": "z. B. 12:30 oder 1:02:03",
    "chapter": "Kapitel",
    "Line %(line)s: the file is neither WebVTT nor SRT.": "Zeile %(line)s: Die Datei ist weder WebVTT noch SRT.",
    "Line %(line)s: a WebVTT file must start with “WEBVTT”.": "Zeile %(line)s: Eine WebVTT-Datei muss mit „WEBVTT“ beginnen.",
    "Line %(line)s: the text encoding is not recognised; please save the file as UTF-8.": "Zeile %(line)s: Die Zeichenkodierung ist unbekannt; bitte speichern Sie die Datei als UTF-8.",
    "Line %(line)s: expected a timing line such as “%(example)s”.": "Zeile %(line)s: Hier wird eine Zeitangabe wie „%(example)s“ erwartet.",
    "Line %(line)s: a blank line is missing before this cue.": "Zeile %(line)s: Vor diesem Untertitel fehlt eine Leerzeile.",
    "Line %(line)s: “%(value)s” is not a valid time; expected e.g. “%(example)s”.": "Zeile %(line)s: „%(value)s“ ist keine gültige Zeit; erwartet wird z. B. „%(example)s“.",
    "Line %(line)s: minutes and seconds must be below 60 in “%(value)s”.": "Zeile %(line)s: Minuten und Sekunden müssen in „%(value)s“ unter 60 liegen.",
    "Line %(line)s: the time “%(value)s” is too large.": "Zeile %(line)s: Die Zeit „%(value)s“ ist zu groß.",
    "Line %(line)s: the cue must end after it starts (%(start)s --> %(end)s).": "Zeile %(line)s: Der Untertitel muss nach seinem Beginn enden (%(start)s --> %(end)s).",
    "Line %(line)s: the cue starts at %(start)s, before the previous cue (%(previous)s); cues must be in order of their start time.": "Zeile %(line)s: Der Untertitel beginnt um %(start)s, vor dem vorigen (%(previous)s); Untertitel müssen nach ihrer Anfangszeit geordnet sein.",
    "Line %(line)s: the cue has no text.": "Zeile %(line)s: Der Untertitel hat keinen Text.",
    "Line %(line)s: the cue ends at %(end)s, after the end of the recording (%(duration)s).": "Zeile %(line)s: Der Untertitel endet um %(end)s, nach dem Ende der Aufnahme (%(duration)s).",
    "Line %(line)s: the file contains no cues.": "Zeile %(line)s: Die Datei enthält keine Untertitel.",
    "More problems were found; only the first %(count)s are shown.": "Es gibt weitere Probleme; nur die ersten %(count)s werden angezeigt.",
    "Season %(number)s": "Staffel %(number)s",
    "Episode %(number)s": "Folge %(number)s",
    "Listen": "Anhören",
    "Download the episode (MP3)": "Folge herunterladen (MP3)",
    "Speed": "Geschwindigkeit",
    "The audio of this episode is still being processed. Please check back shortly.": "Der Ton dieser Folge wird noch verarbeitet. Bitte schauen Sie gleich noch einmal vorbei.",
    "The audio of this episode is not available at the moment.": "Der Ton dieser Folge ist im Moment nicht verfügbar.",
    "Show notes": "Shownotes",
    "In this episode": "In dieser Folge",
    "Use a time stamp to play the episode from there.": "Mit einer Zeitmarke spielen Sie die Folge ab dieser Stelle ab.",
    "Play from": "Abspielen ab",
    "Download the transcript (WebVTT)": "Transkript herunterladen (WebVTT)",
    "Podcast": "Podcast",
    "Episodes": "Folgen",
    "No episodes have been published yet.": "Es sind noch keine Folgen erschienen.",
    "Subscribe": "Abonnieren",
    "RSS feed for any podcast app": "RSS-Feed für jede Podcast-App",
    "Copy the feed address into your podcast app:": "Kopieren Sie die Feed-Adresse in Ihre Podcast-App:",
    "Feed address": "Feed-Adresse",
    "Download (MP3)": "Herunterladen (MP3)",
    "Feed": "Feed",
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
    german = dict(GERMAN)
    # Each area may keep its strings in its own scripts/translations_de_<area>.py (GERMAN = {...}).
    for extra in sorted(Path(__file__).resolve().parent.glob("translations_de_*.py")):
        namespace: dict = {}
        exec(compile(extra.read_text(encoding="utf-8"), str(extra), "exec"), namespace)  # noqa: S102 - our own file
        german.update(namespace["GERMAN"])
    missing = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        if entry.msgid in german:
            german_text = german[entry.msgid]
            if entry.msgid_plural:
                # Plural entries take a (singular, plural) pair.
                singular, plural = german_text
                entry.msgstr_plural = {0: singular, 1: plural}
            else:
                entry.msgstr = german_text
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif "fuzzy" in entry.flags or not (entry.msgstr or any(entry.msgstr_plural.values())):
            # A fuzzy entry is makemessages' guess; Django drops it, so it counts as missing.
            missing.append(entry.msgid)
    catalogue.save()
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
