"""German strings of the media pipeline's batches, faults and loudness warnings (merged by
translations_de.py)."""

GERMAN = {
    "The recording is very quiet: even at the highest gain this file stays %(lu).1f LU below the loudness target (%(target).0f LUFS). Please check the microphone level and upload a louder recording if you can.": "Die Aufnahme ist sehr leise: Selbst mit der höchsten Verstärkung bleibt diese Datei %(lu).1f LU unter dem Lautheitsziel (%(target).0f LUFS). Bitte prüfen Sie den Mikrofonpegel und laden Sie wenn möglich eine lautere Aufnahme hoch.",
    "This file is %(lu).1f LU louder than the loudness target (%(target).0f LUFS).": "Diese Datei ist %(lu).1f LU lauter als das Lautheitsziel (%(target).0f LUFS).",
    "The recording is silent.": "Die Aufnahme ist stumm.",
    "The worker's work disk (MEDIA_WORK_DIR) is full or too small for this file. An administrator must free or add space; the conversion is retried automatically.": "Der Datenträger mit dem Arbeitsordner des Workers (MEDIA_WORK_DIR) ist voll oder zu klein für diese Datei. Eine Administratorin oder ein Administrator muss Platz schaffen oder erweitern; die Umwandlung wird automatisch wiederholt.",
    "The conversion was interrupted by a technical problem on the server (database, storage or network), not by the file. It was retried several times; try again later.": "Die Umwandlung wurde durch ein technisches Problem auf dem Server unterbrochen (Datenbank, Speicher oder Netzwerk), nicht durch die Datei. Sie wurde mehrmals wiederholt; bitte versuchen Sie es später noch einmal.",
    "The worker stopped responding %(count)s times while converting this file (it may have run out of memory). Conversion was stopped; please check the file or ask an administrator.": "Der Worker hat bei der Umwandlung dieser Datei %(count)s-mal nicht mehr reagiert (vielleicht war der Arbeitsspeicher zu knapp). Die Umwandlung wurde beendet; bitte prüfen Sie die Datei oder wenden Sie sich an die Administration.",
    "warning": "Hinweis",
}
