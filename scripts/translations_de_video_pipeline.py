"""German strings of the media pipeline's video profile (merged by translations_de.py)."""

GERMAN = {
    "The file has no picture to convert.": "Die Datei enthält kein Bild, das umgewandelt werden könnte.",
    "The converted file has the wrong picture size.": "Die umgewandelte Datei hat die falsche Bildgröße.",
    "The converted file could not be prepared for streaming.": "Die umgewandelte Datei konnte nicht für das Streaming vorbereitet werden.",
    "There is no converted video to prepare for streaming.": "Es gibt noch kein umgewandeltes Video, das für das Streaming vorbereitet werden könnte. Bitte zuerst die Videofassungen erneut erstellen.",
}
