from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from cms.reach.panels import ReachFiguresPanel
from media_pipeline.models import MediaKind
from media_pipeline.viewsets import audio_chooser_viewset, video_chooser_viewset

from .categories import category_choices
from .forms import PodcastEpisodePageForm, PodcastShowPageForm

# podcast:guid is a UUIDv5 of the feed URL in this namespace (Podcasting 2.0 "guid" tag).
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3"]

# Cover art as podcast directories want it: square RGB JPEG (.jpg), 3000 px for the feed and
# 1400 px, Apple's minimum, for apps that fetch a smaller copy. Made when the show is published.
ARTWORK_FEED_SPEC = "fill-3000x3000|format-jpeg|jpegquality-85"
ARTWORK_SMALL_SPEC = "fill-1400x1400|format-jpeg|jpegquality-85"
ARTWORK_SPECS = (ARTWORK_FEED_SPEC, ARTWORK_SMALL_SPEC)


def podcast_guid_for(feed_url: str) -> uuid.UUID:
    """The Podcasting 2.0 GUID for a feed URL: scheme and trailing slashes stripped."""
    seed = feed_url.split("://", 1)[-1].rstrip("/")
    return uuid.uuid5(PODCAST_GUID_NAMESPACE, seed)


LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", ""}  # noqa: S104 - names, not binds


def is_local_address(url: str) -> bool:
    """Whether ``url`` points at this machine only (the Site's default before an operator
    sets the real address): a podcast:guid made from it would be every installation's."""
    host = (urlsplit(url).hostname or "").lower()
    return host in LOCAL_HOSTS or host.endswith(".localhost")


class ShowType(models.TextChoices):
    EPISODIC = "episodic", _("Episodic (newest first)")
    SERIAL = "serial", _("Serial (in order, with numbered episodes)")


class EpisodeType(models.TextChoices):
    FULL = "full", _("Full episode")
    TRAILER = "trailer", _("Trailer")
    BONUS = "bonus", _("Bonus")


class PersonRole(models.TextChoices):
    # Values are the Podcast Taxonomy roles used in podcast:person; never translated.
    HOST = "host", _("Host")
    CO_HOST = "co-host", _("Co-host")
    GUEST = "guest", _("Guest")
    PRODUCER = "producer", _("Producer")
    EDITOR = "editor", _("Editor")
    AUTHOR = "author", _("Author")


class FeedLicense(models.TextChoices):
    # Values are SPDX slugs as podcast:license wants them; the names are never translated.
    CC_BY = "cc-by-4.0", "CC BY 4.0"
    CC_BY_SA = "cc-by-sa-4.0", "CC BY-SA 4.0"
    CC_BY_ND = "cc-by-nd-4.0", "CC BY-ND 4.0"
    CC_BY_NC = "cc-by-nc-4.0", "CC BY-NC 4.0"
    CC_BY_NC_SA = "cc-by-nc-sa-4.0", "CC BY-NC-SA 4.0"
    CC_BY_NC_ND = "cc-by-nc-nd-4.0", "CC BY-NC-ND 4.0"
    CC0 = "cc0-1.0", "CC0 1.0"


class UpdateFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    BIWEEKLY = "biweekly", _("Every two weeks")
    MONTHLY = "monthly", _("Monthly")
    IRREGULAR = "irregular", _("No fixed rhythm")


class SubscribePlatform(models.TextChoices):
    APPLE = "apple", "Apple Podcasts"
    SPOTIFY = "spotify", "Spotify"
    YOUTUBE = "youtube", "YouTube Music"
    AMAZON = "amazon", "Amazon Music"
    DEEZER = "deezer", "Deezer"
    POCKET_CASTS = "pocketcasts", "Pocket Casts"
    ANTENNAPOD = "antennapod", "AntennaPod"
    OTHER = "other", _("Other")


class PodcastFeedPage(models.Model):
    """A page whose children make a podcast feed: the show, and the explainer video index.

    ``podcast:guid`` is computed once, when the page is first published, from the feed URL of
    that moment, and kept when the URL changes later (that is what the tag is for); publishing
    an old revision never changes it, and a copy gets its own. Subclasses name their feed in
    ``feed_path()``.
    """

    podcast_guid = models.UUIDField(_("podcast GUID"), null=True, blank=True, editable=False)

    exclude_fields_in_copy = ["podcast_guid"]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.live and self.podcast_guid is None and not is_local_address(self.feed_url()):
            # Frozen from the first real address; while the site is still "localhost" the
            # feed names a guid computed from its current address, and editors are warned.
            self.podcast_guid = podcast_guid_for(self.feed_url())
            type(self).objects.filter(pk=self.pk, podcast_guid=None).update(
                podcast_guid=self.podcast_guid
            )

    def with_content_json(self, content):
        # The GUID belongs to the feed, not to a revision.
        page = super().with_content_json(content)
        page.podcast_guid = self.podcast_guid
        return page

    def feed_path(self) -> str:
        raise NotImplementedError

    def feed_page(self):
        """The page whose feed this page offers: a translation into another language
        describes the same recordings, so it offers the feed of the page in the site's
        default language (one feed per show: apps must not list it twice)."""
        default = get_supported_content_language_variant(settings.LANGUAGE_CODE)
        if self.locale.language_code == default:
            return self
        source = (
            type(self)
            .objects.live()
            .filter(translation_key=self.translation_key, locale__language_code=default)
            .first()
        )
        return source or self

    @property
    def spoken_language(self) -> str:
        """The language of the recordings: that of the page whose feed is offered."""
        return self.feed_page().locale.language_code.split("-")[0]

    def feed_url(self) -> str:
        site = self.get_site()
        root = site.root_url if site else ""
        return f"{root}{self.feed_path()}"


class FeedItemPage(models.Model):
    """A page that is an item of a feed (an episode, an explainer video): its ``guid`` is given
    when it is first published and never changed afterwards — not by renaming, moving or
    publishing an old revision — so podcast apps never list it twice; a copy gets its own."""

    guid = models.UUIDField(_("GUID"), null=True, blank=True, editable=False, unique=True)

    exclude_fields_in_copy = ["guid"]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.live and self.guid is None:
            self.guid = uuid.uuid4()
        super().save(*args, **kwargs)

    def with_content_json(self, content):
        # Assigned once at first publication; an older revision must not take it back.
        page = super().with_content_json(content)
        page.guid = self.guid
        return page


class PodcastShowPage(PodcastFeedPage, Page):  # noqa: DJ008 - Page defines __str__
    """A podcast: its page lists the episodes, its feed is what podcast apps subscribe to."""

    subtitle = models.CharField(_("subtitle"), max_length=255, blank=True)
    description = RichTextField(
        _("description"),
        features=RICH_TEXT_FEATURES,
        help_text=_("Podcast apps show the first 4000 bytes as plain text."),
    )
    artwork = models.ForeignKey(
        "images.CustomImage",
        verbose_name=_("cover art"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Square JPEG or PNG, at least 1400 × 1400 pixels (3000 × 3000 is best)."),
    )
    owner_name = models.CharField(_("owner name"), max_length=200)
    owner_email = models.EmailField(
        _("owner e-mail"), help_text=_("Podcast directories send verification mails here.")
    )
    author = models.CharField(
        _("author"), max_length=200, help_text=_("Shown as the podcast's author in apps.")
    )
    category_1 = models.CharField(
        _("main category"), max_length=80, choices=category_choices(), default="Business"
    )
    category_2 = models.CharField(
        _("second category"), max_length=80, choices=category_choices(), blank=True
    )
    category_3 = models.CharField(
        _("third category"), max_length=80, choices=category_choices(), blank=True
    )
    explicit = models.BooleanField(_("explicit content"), default=False)
    show_type = models.CharField(
        _("type"), max_length=10, choices=ShowType.choices, default=ShowType.EPISODIC
    )
    copyright = models.CharField(_("copyright"), max_length=255, blank=True)
    license = models.CharField(
        _("licence"),
        max_length=20,
        choices=FeedLicense.choices,
        blank=True,
        help_text=_("Empty: all rights reserved. Podcast apps show the licence of the episodes."),
    )
    update_frequency = models.CharField(
        _("publishing rhythm"),
        max_length=10,
        choices=UpdateFrequency.choices,
        blank=True,
        help_text=_("Podcast apps tell listeners how often to expect a new episode."),
    )
    directory_block = models.BooleanField(
        _("hide from podcast directories"),
        default=False,
        help_text=_(
            "Apple Podcasts and directories that follow it stop listing the podcast; "
            "subscribers keep receiving episodes."
        ),
    )
    # In the page row, not a table of their own: the feed is built in a fixed number of queries.
    txt_records = StreamField(
        [
            (
                "record",
                blocks.StructBlock(
                    [
                        (
                            "purpose",
                            blocks.CharBlock(
                                label=_("purpose"),
                                max_length=128,
                                required=False,
                                help_text=_("As the directory asks, e.g. “applepodcastsverify”."),
                            ),
                        ),
                        ("text", blocks.TextBlock(label=_("text"), max_length=4000)),
                    ],
                    label=_("Text record"),
                ),
            )
        ],
        verbose_name=_("Text records for directories"),
        blank=True,
        help_text=_(
            "Written into the feed as podcast:txt, e.g. the token a podcast directory gives "
            "you to prove that the show is yours."
        ),
    )
    feed_locked = models.BooleanField(
        _("locked against import"),
        default=False,
        help_text=_(
            "Other podcast hosts refuse to import a locked feed. Unlock it before moving "
            "the podcast elsewhere, e.g. when the project ends."
        ),
    )
    new_feed_url = models.URLField(
        _("new feed URL"),
        blank=True,
        help_text=_(
            "Only when the podcast has moved: apps are sent to this address and update "
            "their subscription."
        ),
    )
    complete = models.BooleanField(
        _("complete"),
        default=False,
        help_text=_("No further episodes will be published."),
    )
    feed_episode_limit = models.PositiveIntegerField(
        _("episodes in the feed"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Empty: all episodes. A number: only the latest episodes, for very long shows "
            "(podcast apps load the feed faster). Older episodes stay on the website."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("subtitle"),
        FieldPanel("description"),
        FieldPanel("artwork"),
        InlinePanel("hosts", heading=_("Hosts"), label=_("Host")),
        InlinePanel("subscribe_links", heading=_("Subscribe links"), label=_("Link")),
    ]
    feed_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("owner_name"), FieldPanel("owner_email")]),
                FieldPanel("author"),
                FieldPanel("copyright"),
                FieldPanel("license"),
            ],
            heading=_("Ownership"),
        ),
        MultiFieldPanel(
            [FieldPanel("category_1"), FieldPanel("category_2"), FieldPanel("category_3")],
            heading=_("Apple categories"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("show_type"),
                FieldPanel("explicit"),
                FieldPanel("update_frequency"),
                FieldPanel("complete"),
                FieldPanel("feed_episode_limit"),
                FieldPanel("directory_block"),
                FieldPanel("feed_locked"),
                FieldPanel("new_feed_url"),
            ],
            heading=_("Feed"),
        ),
        InlinePanel("funding_links", heading=_("Funding links"), label=_("Funding link")),
        FieldPanel("txt_records"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("subtitle")]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(feed_panels, heading=_("Feed")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    base_form_class = PodcastShowPageForm
    EPISODES_PER_PAGE = 10
    parent_page_types = ["core.HomePage", "core.StandardPage"]
    subpage_types = ["podcasts.PodcastEpisodePage"]

    class Meta:
        verbose_name = _("podcast")
        verbose_name_plural = _("podcasts")

    def feed_path(self) -> str:
        return reverse("podcast_feed", args=[self.feed_page().pk])

    @property
    def language(self) -> str:
        return self.locale.language_code.split("-")[0]

    def get_episodes(self):
        """Live, public, already published episodes, newest first."""
        return (
            PodcastEpisodePage.objects.live()
            .public()
            .child_of(self)
            .filter(first_published_at__lte=timezone.now())
            .select_related("audio")
            .order_by("-first_published_at", "-pk")
        )

    def get_context(self, request, *args, **kwargs):
        from .subscribe import subscribe_context

        context = super().get_context(request, *args, **kwargs)
        context.update(self.episode_listing(request))
        context.update(subscribe_context(self, request))
        context["cover"] = self.get_cover()
        context["personal_feed_url"] = self.personal_feed_url(request)
        # A restricted show's public feed is a 404: offer no subscription to it.
        context["public_feed"] = not self.get_view_restrictions().exists()
        return context

    def personal_feed_url(self, request) -> str:
        """The self-service page of a private feed, for a user who may have one."""
        from feeds.private import opens_private_content

        if not request.user.is_authenticated or not opens_private_content(self, request.user):
            return ""
        return reverse("personal_feed", args=[self.pk])

    def get_cover(self):
        """The cover art with the renditions the show and episode pages show, fetched once
        however many episode cards repeat it."""
        from cms.images.models import CustomImage
        from cms.images.renditions import COVER_SPECS, COVER_THUMBNAIL_SPECS

        if not self.artwork_id:
            return None
        images = CustomImage.objects.prefetch_renditions(*COVER_SPECS, *COVER_THUMBNAIL_SPECS)
        return images.filter(pk=self.artwork_id).first()

    def episode_listing(self, request) -> dict:
        """One page of episode cards: the latest first, older ones a page further; a serial
        show lists its seasons and one season in order (the latest unless one is asked for).
        A fixed number of queries, without the long texts the cards do not show."""
        from django.http import Http404

        from cms.core.pagination import paginate

        episodes = self.get_episodes().defer("show_notes", "transcript")
        seasons, season = [], None
        if self.show_type == ShowType.SERIAL:
            seasons = sorted(
                set(
                    episodes.exclude(season_number=None)
                    .order_by()
                    .values_list("season_number", flat=True)
                )
            )
            if seasons:
                season = seasons[-1]
                if "season" in request.GET:
                    try:
                        season = int(request.GET["season"])
                    except ValueError:
                        season = None
                    if season not in seasons:
                        raise Http404
                episodes = episodes.filter(season_number=season)
            episodes = episodes.order_by("episode_number", "first_published_at", "pk")
        page_obj = paginate(request, episodes, self.EPISODES_PER_PAGE)
        in_order = self.show_type == ShowType.SERIAL
        return {
            "episodes": page_obj.object_list,
            "page_obj": page_obj,
            "seasons": seasons,
            "season": season,
            # <ol> numbers: counting down from the newest, or up in a serial's order.
            "list_start": page_obj.start_index()
            if in_order
            else page_obj.paginator.count - page_obj.start_index() + 1,
            "in_order": in_order,
        }


class ShowHost(Orderable):
    page = ParentalKey(PodcastShowPage, on_delete=models.CASCADE, related_name="hosts")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(
        _("role"), max_length=20, choices=PersonRole.choices, default=PersonRole.HOST
    )

    panels = [FieldPanel("person"), FieldPanel("role")]


class ShowSubscribeLink(Orderable):
    page = ParentalKey(PodcastShowPage, on_delete=models.CASCADE, related_name="subscribe_links")
    platform = models.CharField(_("platform"), max_length=20, choices=SubscribePlatform.choices)
    url = models.URLField(_("link"))
    label = models.CharField(
        _("label"), max_length=100, blank=True, help_text=_("Only needed for “Other”.")
    )

    panels = [FieldPanel("platform"), FieldPanel("url"), FieldPanel("label")]

    @property
    def name(self) -> str:
        return self.label or self.get_platform_display()


class ShowFundingLink(Orderable):
    page = ParentalKey(PodcastShowPage, on_delete=models.CASCADE, related_name="funding_links")
    url = models.URLField(_("link"))
    text = models.CharField(
        _("text"),
        max_length=128,
        help_text=_("e.g. “Gefördert vom BMWK”. At most 128 characters."),
    )

    panels = [FieldPanel("url"), FieldPanel("text")]


class PodcastEpisodePage(FeedItemPage, Page):  # noqa: DJ008 - Page defines __str__
    summary = models.TextField(
        _("summary"),
        max_length=1000,
        help_text=_("Two or three sentences; shown in podcast apps and episode lists."),
    )
    show_notes = RichTextField(_("show notes"), features=RICH_TEXT_FEATURES, blank=True)
    audio = models.ForeignKey(
        "media_pipeline.MediaFile",
        verbose_name=_("audio"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": MediaKind.AUDIO},
    )
    video = models.ForeignKey(
        "media_pipeline.MediaFile",
        verbose_name=_("video version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind": MediaKind.VIDEO},
    )
    episode_number = models.PositiveIntegerField(
        _("episode number"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    season_number = models.PositiveIntegerField(
        _("season number"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    episode_type = models.CharField(
        _("episode type"), max_length=10, choices=EpisodeType.choices, default=EpisodeType.FULL
    )
    explicit = models.BooleanField(_("explicit content"), default=False)
    topics = ParentalManyToManyField("taxonomy.Topic", verbose_name=_("topics"), blank=True)
    maturity_levels = ParentalManyToManyField(
        "taxonomy.MaturityLevel", verbose_name=_("maturity levels"), blank=True
    )
    # The item guid the episode had on another host before the show moved here: the feed
    # keeps naming it, so apps do not list the episode twice. Empty: ``guid`` is used.
    feed_guid = models.CharField(
        _("GUID in the feed"), max_length=500, blank=True, editable=False, db_index=True
    )
    transcript = models.TextField(
        _("transcript (WebVTT)"),
        blank=True,
        help_text=_("Upload a WebVTT or SRT file above, or edit the WebVTT text here."),
    )
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("audio", widget=audio_chooser_viewset.widget_class),
        FieldPanel("video", widget=video_chooser_viewset.widget_class),
        FieldPanel("show_notes"),
        InlinePanel("chapters", heading=_("Chapters"), label=_("Chapter")),
        MultiFieldPanel(
            [FieldPanel("transcript_file"), FieldPanel("transcript")], heading=_("Transcript")
        ),
        InlinePanel("persons", heading=_("People"), label=_("Person")),
        FieldPanel("topics"),
        FieldPanel("maturity_levels"),
    ]
    feed_panels = [
        FieldRowPanel([FieldPanel("season_number"), FieldPanel("episode_number")]),
        FieldPanel("episode_type"),
        FieldPanel("explicit"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("show_notes"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(feed_panels, heading=_("Feed")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
            ObjectList([ReachFiguresPanel()], heading=_("Reach")),
        ]
    )
    base_form_class = PodcastEpisodePageForm
    parent_page_types = ["podcasts.PodcastShowPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("podcast episode")
        verbose_name_plural = _("podcast episodes")

    @property
    def duration_clock(self) -> str:
        from .forms import format_clock

        return format_clock(self.audio.duration) if self.audio_id and self.audio.duration else ""

    @cached_property
    def show(self) -> PodcastShowPage | None:
        parent = self.get_parent()
        return parent.specific if parent else None

    @property
    def enclosure(self):
        """The READY MP3 rendition (or None while processing)."""
        from .enclosures import enclosure_spec

        return self.audio.find_rendition(enclosure_spec()) if self.audio_id else None

    def enclosure_path(self, extension: str = "mp3") -> str:
        return reverse("episode_enclosure", args=[self.guid, extension]) if self.guid else ""

    def chapters_path(self) -> str:
        return reverse("episode_chapters", args=[self.guid]) if self.guid else ""

    def transcript_path(self) -> str:
        return reverse("episode_transcript", args=[self.guid]) if self.guid else ""

    def get_context(self, request, *args, **kwargs):
        from .presentation import episode_context

        context = super().get_context(request, *args, **kwargs)
        context.update(episode_context(self, request))
        return context


class EpisodeChapter(Orderable):
    page = ParentalKey(PodcastEpisodePage, on_delete=models.CASCADE, related_name="chapters")
    start = models.DurationField(_("start"), help_text=_("e.g. 12:30 or 1:02:03"))
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), blank=True)
    image = models.ForeignKey(
        "images.CustomImage",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldRowPanel([FieldPanel("start"), FieldPanel("title")]),
        FieldRowPanel([FieldPanel("url"), FieldPanel("image")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("chapter")

    @property
    def start_seconds(self) -> float:
        return self.start.total_seconds()


class EpisodePerson(Orderable):
    page = ParentalKey(PodcastEpisodePage, on_delete=models.CASCADE, related_name="persons")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(
        _("role"), max_length=20, choices=PersonRole.choices, default=PersonRole.GUEST
    )

    panels = [FieldPanel("person"), FieldPanel("role")]


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class PodcastImport(models.Model):
    """One import of a podcast from its feed on another host, started by an editor (or
    ``import_podcast``) and run by a Celery worker; progress and per-episode errors are
    kept here for the admin."""

    feed_url = models.URLField(_("feed address"), max_length=1000)
    show = models.ForeignKey(
        PodcastShowPage,
        verbose_name=_("podcast"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: a new podcast is created on the home page."),
    )
    dry_run = models.BooleanField(
        _("only check"),
        default=False,
        help_text=_("Read the feed and report what would be imported, without changing anything."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    show_title = models.CharField(_("podcast title"), max_length=255, blank=True)
    episodes_total = models.PositiveIntegerField(_("episodes in the feed"), default=0)
    episodes_done = models.PositiveIntegerField(_("episodes processed"), default=0)
    episodes_imported = models.PositiveIntegerField(_("episodes imported"), default=0)
    episodes_skipped = models.PositiveIntegerField(_("episodes already here"), default=0)
    message = models.TextField(_("message"), blank=True)
    # [{"guid": ..., "title": ..., "message": ...}] of episodes that could not be imported.
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        verbose_name = _("podcast import")
        verbose_name_plural = _("podcast imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.show_title or self.feed_url

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        return round(100 * self.episodes_done / self.episodes_total) if self.episodes_total else 0
