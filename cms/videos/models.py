from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    MultiFieldPanel,
    MultipleChooserPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from cms.podcasts.categories import category_choices
from cms.podcasts.models import FeedItemPage, PodcastFeedPage
from cms.reach.panels import ReachFiguresPanel
from media_pipeline.models import MediaKind
from media_pipeline.viewsets import video_chooser_viewset

from .forms import ExplainerVideoIndexPageForm, ExplainerVideoPageForm
from .panels import TextTrackInlinePanel

CAPTION_LANGUAGES = [("de", _("German")), ("en", _("English"))]
REQUIRED_CAPTION_LANGUAGE = "de"


class TrackKind(models.TextChoices):
    # Values are the HTML <track kind> keywords.
    CAPTIONS = "captions", _("Captions")
    DESCRIPTIONS = "descriptions", _("Audio description (text)")


class ExplainerVideoIndexPage(PodcastFeedPage, Page):  # noqa: DJ008 - Page defines __str__
    """“Kurz erklärt”: lists the explainer videos; its feed is the video podcast."""

    intro = models.TextField(_("introduction"), blank=True)
    artwork = models.ForeignKey(
        "images.CustomImage",
        verbose_name=_("cover art for the video podcast"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Square JPEG or PNG, at least 1400 × 1400 pixels (3000 × 3000 is best)."),
    )
    owner_name = models.CharField(_("owner name"), max_length=200, blank=True)
    owner_email = models.EmailField(_("owner e-mail"), blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    category = models.CharField(
        _("category"), max_length=80, choices=category_choices(), default="Education"
    )
    copyright = models.CharField(_("copyright"), max_length=255, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    feed_panels = [
        FieldPanel("artwork"),
        MultiFieldPanel(
            [
                FieldPanel("owner_name"),
                FieldPanel("owner_email"),
                FieldPanel("author"),
                FieldPanel("copyright"),
                FieldPanel("category"),
            ],
            heading=_("Video podcast"),
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(feed_panels, heading=_("Feed")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    base_form_class = ExplainerVideoIndexPageForm
    parent_page_types = ["core.HomePage", "core.StandardPage"]
    subpage_types = ["videos.ExplainerVideoPage", "videos.GlossaryPage"]

    class Meta:
        verbose_name = _("explainer video index")
        verbose_name_plural = _("explainer video indexes")

    @property
    def language(self) -> str:
        return self.locale.language_code.split("-")[0]

    def feed_path(self) -> str:
        return reverse("video_feed", args=[self.feed_page().pk])

    VIDEOS_PER_PAGE = 12

    def get_videos(self):
        """Live, public, already published videos, newest first, without the transcripts
        (the cards show title and summary; the feed has its own selector)."""
        return (
            ExplainerVideoPage.objects.live()
            .public()
            .child_of(self)
            .filter(first_published_at__lte=timezone.now())
            .defer("transcript")
            .order_by("-first_published_at", "-pk")
        )

    def get_video_cards(self):
        """``get_videos()`` with what the cards' posters need, in a fixed number of queries:
        the editor's poster image with its card renditions, else the pipeline's poster."""
        from cms.images.renditions import CARD_SPECS, prefetch_image
        from media_pipeline.models import MediaFile
        from media_pipeline.roles import video_role_specs

        poster_spec = video_role_specs().get("poster")
        media_files = MediaFile.objects.prefetch_renditions(poster_spec).defer("probe_data")
        return self.get_videos().prefetch_related(
            prefetch_image("poster_image", CARD_SPECS),
            models.Prefetch("video", queryset=media_files),
        )

    def get_context(self, request, *args, **kwargs):
        from cms.core.pagination import paginate

        context = super().get_context(request, *args, **kwargs)
        context["page_obj"] = paginate(request, self.get_video_cards(), self.VIDEOS_PER_PAGE)
        context["videos"] = context["page_obj"].object_list
        context["feed_url"] = request.build_absolute_uri(self.feed_path())
        context["glossary"] = GlossaryPage.objects.live().child_of(self).first()
        return context


class ExplainerVideoPage(FeedItemPage, Page):  # noqa: DJ008 - Page defines __str__
    summary = models.TextField(
        _("short description"),
        max_length=600,
        help_text=_("Two or three sentences: what the video explains and for whom."),
    )
    video = models.ForeignKey(
        "media_pipeline.MediaFile",
        verbose_name=_("video"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": MediaKind.VIDEO},
    )
    poster_image = models.ForeignKey(
        "images.CustomImage",
        verbose_name=_("poster image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional; otherwise a frame chosen from the video is shown."),
    )
    transcript = models.TextField(
        _("transcript"),
        blank=True,
        help_text=_(
            "Left empty, it is made from the German captions when you save. Edit it freely "
            "afterwards; one paragraph per blank line."
        ),
    )
    presenters = ParentalManyToManyField(
        "people.Person", verbose_name=_("presenters"), blank=True, related_name="+"
    )
    topics = ParentalManyToManyField("taxonomy.Topic", verbose_name=_("topics"), blank=True)
    maturity_levels = ParentalManyToManyField(
        "taxonomy.MaturityLevel", verbose_name=_("maturity levels"), blank=True
    )
    # Chosen in the admin as ordered rows (the ``*_links`` child relations, one chooser per
    # row) instead of multi-selects that would list every term and page of the site. These
    # fields read the stored rows (``term.videos``, ``page.related_units.all()``); pages show
    # the rows in the editor's order through ``presentation.py``, which also sees drafts.
    glossary_terms = models.ManyToManyField(
        "videos.GlossaryTerm",
        through="videos.VideoKeyTerm",
        verbose_name=_("key terms"),
        blank=True,
        related_name="videos",
    )
    related_episodes = models.ManyToManyField(
        "podcasts.PodcastEpisodePage",
        through="videos.VideoRelatedEpisode",
        verbose_name=_("related podcast episodes"),
        blank=True,
        related_name="+",
    )
    related_units = models.ManyToManyField(
        "learning.LearningUnitPage",
        through="videos.VideoRelatedUnit",
        verbose_name=_("related self-learning units"),
        blank=True,
        related_name="+",
    )
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("video", widget=video_chooser_viewset.widget_class),
        FieldPanel("poster_image"),
        TextTrackInlinePanel(
            "text_tracks",
            heading=_("Captions and audio description"),
            label=_("Text track"),
            help_text=_(
                "Upload WebVTT (.vtt) or SRT (.srt); SRT is converted. German captions are "
                "required before the video can be published."
            ),
        ),
        FieldPanel("transcript"),
        FieldPanel("presenters"),
        MultipleChooserPanel(
            "key_term_links",
            chooser_field_name="term",
            heading=_("Key terms"),
            label=_("Key term"),
        ),
        FieldPanel("topics"),
        FieldPanel("maturity_levels"),
        MultipleChooserPanel(
            "related_episode_links",
            chooser_field_name="episode",
            heading=_("Related podcast episodes"),
            label=_("Podcast episode"),
        ),
        MultipleChooserPanel(
            "related_unit_links",
            chooser_field_name="unit",
            heading=_("Related self-learning units"),
            label=_("Self-learning unit"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("transcript"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
            ObjectList([ReachFiguresPanel()], heading=_("Reach")),
        ]
    )
    base_form_class = ExplainerVideoPageForm
    parent_page_types = ["videos.ExplainerVideoIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("explainer video")
        verbose_name_plural = _("explainer videos")

    @property
    def language(self) -> str:
        return self.locale.language_code.split("-")[0]

    @property
    def duration(self) -> float | None:
        return self.video.duration if self.video_id else None

    @property
    def pipeline_poster(self):
        """The READY poster the media pipeline took from the video, or None."""
        from media_pipeline.roles import video_renditions

        return video_renditions(self.video).get("poster") if self.video_id else None

    @cached_property
    def index_page(self) -> ExplainerVideoIndexPage | None:
        parent = self.get_parent()
        return parent.specific if parent else None

    def embed_path(self) -> str:
        return reverse("video_embed", args=[self.pk])

    def has_german_captions(self) -> bool:
        """Whether this (possibly unsaved revision's) page has non-empty German captions, the
        condition for publishing it (BITV 2.0)."""
        return any(
            track.kind == TrackKind.CAPTIONS and track.language == "de" and track.webvtt.strip()
            for track in self.text_tracks.all()
        )

    def get_context(self, request, *args, **kwargs):
        from .presentation import video_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(video_page_context(self, request))
        return context


class VideoTextTrack(Orderable):
    """Captions or a text audio description in one language, stored as WebVTT."""

    page = ParentalKey(ExplainerVideoPage, on_delete=models.CASCADE, related_name="text_tracks")
    kind = models.CharField(
        _("kind"), max_length=20, choices=TrackKind.choices, default=TrackKind.CAPTIONS
    )
    language = models.CharField(
        _("language"), max_length=10, choices=CAPTION_LANGUAGES, default="de"
    )
    webvtt = models.TextField(
        _("WebVTT"),
        blank=True,
        help_text=_("Filled from the uploaded file; small corrections can be made here."),
    )

    panels = [
        FieldPanel("kind"),
        FieldPanel("language"),
        FieldPanel("upload"),
        FieldPanel("webvtt"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("text track")
        verbose_name_plural = _("text tracks")

    @property
    def label(self) -> str:
        language = self.get_language_display()
        if self.kind == TrackKind.DESCRIPTIONS:
            return _("%(language)s (audio description)") % {"language": language}
        return language

    def get_url(self) -> str:
        return reverse("video_text_track", args=[self.page_id, self.kind, self.language])


class VideoKeyTerm(Orderable):
    page = ParentalKey(ExplainerVideoPage, on_delete=models.CASCADE, related_name="key_term_links")
    term = models.ForeignKey(
        "videos.GlossaryTerm",
        verbose_name=_("key term"),
        on_delete=models.CASCADE,
        related_name="video_links",
    )

    panels = [FieldPanel("term")]

    class Meta(Orderable.Meta):
        verbose_name = _("key term of a video")
        constraints = [
            models.UniqueConstraint(fields=("page", "term"), name="unique_key_term_per_video")
        ]


class VideoRelatedEpisode(Orderable):
    page = ParentalKey(
        ExplainerVideoPage, on_delete=models.CASCADE, related_name="related_episode_links"
    )
    episode = models.ForeignKey(
        "podcasts.PodcastEpisodePage",
        verbose_name=_("podcast episode"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("episode")]

    class Meta(Orderable.Meta):
        verbose_name = _("related podcast episode")
        constraints = [
            models.UniqueConstraint(
                fields=("page", "episode"), name="unique_related_episode_per_video"
            )
        ]


class VideoRelatedUnit(Orderable):
    page = ParentalKey(
        ExplainerVideoPage, on_delete=models.CASCADE, related_name="related_unit_links"
    )
    unit = models.ForeignKey(
        "learning.LearningUnitPage",
        verbose_name=_("self-learning unit"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("unit")]

    class Meta(Orderable.Meta):
        verbose_name = _("related self-learning unit")
        constraints = [
            models.UniqueConstraint(fields=("page", "unit"), name="unique_related_unit_per_video")
        ]


class GlossaryTerm(TranslatableMixin, index.Indexed, ClusterableModel):
    """A key term (Schlüsselbegriff) explained in a sentence and linked on video pages."""

    term = models.CharField(_("term"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, allow_unicode=True)
    short_definition = models.CharField(
        _("short definition"),
        max_length=300,
        help_text=_("One sentence; shown as the link title on video pages."),
    )
    explanation = RichTextField(
        _("explanation"), blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    synonyms = models.TextField(
        _("synonyms"),
        blank=True,
        help_text=_("One per line, e.g. plural forms or abbreviations; these are linked too."),
    )

    panels = [
        FieldPanel("term"),
        FieldPanel("slug"),
        FieldPanel("short_definition"),
        FieldPanel("explanation"),
        FieldPanel("synonyms"),
    ]
    search_fields = [
        index.SearchField("term"),
        index.AutocompleteField("term"),
        index.SearchField("synonyms"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("key term")
        verbose_name_plural = _("key terms")
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(
                fields=("slug", "locale"), name="unique_glossary_term_slug_per_locale"
            )
        ]

    def __str__(self):
        return self.term

    @property
    def synonym_list(self) -> list[str]:
        return [line.strip() for line in self.synonyms.splitlines() if line.strip()]

    @property
    def anchor(self) -> str:
        return f"begriff-{self.slug}"

    def linked_videos(self) -> str:
        # All rows at once when the listing prefetched "videos" (GlossaryTermViewSet).
        return ", ".join(video.title for video in self.videos.all())

    linked_videos.short_description = _("linked videos")


class GlossaryPage(Page):
    """The A–Z list of key terms in this page's language."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = [
        "videos.ExplainerVideoIndexPage",
        "core.HomePage",
        "core.StandardPage",
    ]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("glossary")
        verbose_name_plural = _("glossaries")

    def get_context(self, request, *args, **kwargs):
        from django.http import Http404

        from .glossary import glossary_letter_page

        context = super().get_context(request, *args, **kwargs)
        listing = glossary_letter_page(self.locale_id, request.GET.get("letter"))
        if listing["section"] is None and "letter" in request.GET:
            raise Http404
        if listing["section"] is not None:
            listing["section"]["entries"] = _term_entries(request, listing["section"]["terms"])
        context.update(listing)
        return context


def _term_entries(request, terms) -> list:
    """Each term's ``<dt>``/``<dd>`` as a cached fragment (``cms.core.fragments``), keyed by
    everything it shows: its fields, its live videos' titles and addresses, and the
    navigation generation (moved by any publish, move or deletion of a page), since its rich
    text may link to pages whose addresses are only resolved when rendering."""
    from cms.core.fragments import cached_fragments
    from cms.core.navigation import navigation_key

    generation = navigation_key(request)
    for term in terms:
        for video in term.live_videos:
            video.link = video.get_url(request)
    return cached_fragments(
        terms,
        "videos/includes/glossary_term.html",
        key_parts=lambda term: (
            term.pk,
            term.term,
            term.slug,
            term.short_definition,
            term.explanation,
            term.synonyms,
            tuple((video.pk, video.title, video.link) for video in term.live_videos),
            generation,
        ),
        context_of=lambda term: {"term": term},
    )
