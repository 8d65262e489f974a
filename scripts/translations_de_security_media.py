"""German strings of the media access model: deletion refused while live pages use media (merged by translations_de.py)."""

GERMAN = {
    "“%(title)s” is used on published pages and cannot be deleted. Unpublish these pages or choose other media for them first:": "„%(title)s“ wird auf veröffentlichten Seiten verwendet und kann nicht gelöscht werden. Depublizieren Sie diese Seiten oder wählen Sie dort zuerst andere Medien aus:",
}
