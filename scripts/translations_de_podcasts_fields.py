"""German strings of podcast fields and messages whose earlier entries were fuzzy guesses
(merged by translations_de.py)."""

GERMAN = {
    "The transcript file is larger than %(size)s MB.": "Die Transkriptdatei ist größer als %(size)s MB.",
    "Trailer": "Trailer",
    "subtitle": "Untertitel",
    "explicit content": "expliziter Inhalt",
    "type": "Art",
    "Funding links": "Unterstützungs-Links",
    "Funding link": "Unterstützungs-Link",
    "audio": "Audio",
    "Person": "Person",
    "Line %(line)s: the file is empty.": "Zeile %(line)s: Die Datei ist leer.",
    "This episode has no audio yet.": "Diese Folge hat noch keinen Ton.",
}
