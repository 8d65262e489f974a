"""The site search index: one document per visible page or key term, one row per cue.

Our own tables rather than Wagtail's index entries, because a result must lead to the
sentence and second of a transcript or caption cue, which Wagtail's backends cannot return,
and because the index holds only what every visitor may see (live, public, already
published), so a search never has to check permissions row by row. On PostgreSQL migration
0002 adds a generated ``tsvector`` column with the text search configuration of the row's
language ('german' or 'english') and GIN indexes; Django does not know these columns.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    EPISODE = "episode", _("Episode")
    VIDEO = "video", _("Video")
    UNIT = "unit", _("Self-learning unit")
    PATH = "path", _("Learning path")
    TERM = "term", _("Key term")
    PAGE = "page", _("Page")


class SearchDocument(models.Model):
    kind = models.CharField(max_length=10, choices=Kind.choices)
    language = models.CharField(max_length=10, db_index=True)
    # The page the result links to; for a key term, the glossary page that lists it.
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", null=True
    )
    term = models.ForeignKey(
        "videos.GlossaryTerm", on_delete=models.CASCADE, related_name="+", null=True
    )
    url = models.CharField(max_length=500)
    title = models.CharField(max_length=500)
    keywords = models.TextField(blank=True)  # synonyms, people, chapters, topics
    body = models.TextField(blank=True)
    # Lower-cased title + keywords + body: substring matching on SQLite.
    folded = models.TextField(blank=True)
    # Lower-cased title + keywords + excerpt: substring matching (compounds) on PostgreSQL,
    # short enough to be checked for thousands of rows (the body is matched by full text).
    head = models.TextField(blank=True)
    excerpt = models.TextField(blank=True)  # shown when no sentence matches
    published_at = models.DateTimeField(null=True)
    topics = models.ManyToManyField("taxonomy.Topic", related_name="+", blank=True)
    maturity_levels = models.ManyToManyField(
        "taxonomy.MaturityLevel", related_name="+", blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["page"], condition=models.Q(term=None), name="unique_search_page"
            ),
            models.UniqueConstraint(fields=["term"], name="unique_search_term"),
        ]

    def __str__(self):
        return self.title


class SearchCue(models.Model):
    """One transcript or caption cue of a document, for "finding the minute"."""

    document = models.ForeignKey(SearchDocument, on_delete=models.CASCADE, related_name="cues")
    language = models.CharField(max_length=10)
    start = models.FloatField()
    text = models.TextField()
    folded = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["document", "start"])]

    def __str__(self):
        return f"{self.start:.0f}s: {self.text}"


class SearchQueryCount(models.Model):
    """How often a query was asked in a month, and how often it found nothing.

    Nothing about the visitor is stored. Below ``settings.SEARCH_CONFIG['report_min']``
    askings only a keyed hash of the query is kept, never its text (a query asked once or
    twice could name a person); the report shows queries counted at least five times.
    """

    month = models.DateField()
    language = models.CharField(max_length=10)
    digest = models.CharField(max_length=64)
    query = models.CharField(max_length=200, blank=True)
    count = models.PositiveIntegerField(default=0)
    without_results = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "language", "digest"], name="unique_search_query_month"
            )
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.language}: {self.query or self.digest[:8]}"
