"""German strings of media uploads, import_media and the Medien admin (merged by translations_de.py)."""

GERMAN = {
    "This file has already been uploaded as “%(title)s”.": "Diese Datei wurde bereits als „%(title)s“ hochgeladen.",
    'already uploaded as <a href="%(url)s">%(title)s</a>, so it was not stored again.': 'bereits als <a href="%(url)s">%(title)s</a> hochgeladen, daher nicht erneut gespeichert.',
    "Files uploaded before were not stored again; see below.": "Bereits früher hochgeladene Dateien wurden nicht erneut gespeichert; siehe unten.",
    "Note:": "Hinweis:",
}
