"""German strings of probing real camera and recorder footage (merged by translations_de.py)."""

GERMAN = {
    "The file is incomplete: it ends after %(seconds)s of %(total)s seconds. Please upload it again.": "Die Datei ist unvollständig: Sie endet nach %(seconds)s von %(total)s Sekunden. Bitte laden Sie sie erneut hoch.",
    "The picture size of the video cannot be read. The file may be damaged or use a video format that cannot be converted.": "Die Bildgröße des Videos lässt sich nicht lesen. Die Datei ist vielleicht beschädigt oder in einem Videoformat, das nicht umgewandelt werden kann.",
}
