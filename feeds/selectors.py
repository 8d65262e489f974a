"""Which shows and episodes a feed contains, fetched in a fixed number of queries.

A feed lists an episode only when it is live, public (no view restriction on it or an
ancestor), already published, and its MP3 enclosure rendition is READY. Everything the feed
needs is fetched up front — episodes with their audio, READY renditions, people, chapters
flag and show notes links — so the number of queries does not grow with the episode count.
"""

from __future__ import annotations

import logging
import re
import uuid
from datetime import datetime
from types import SimpleNamespace
from typing import NamedTuple

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags
from wagtail.models import PageViewRestriction
from wagtail.rich_text import expand_db_html, features
from wagtail.rich_text.rewriters import FIND_A_TAG, FIND_EMBED_TAG, extract_attrs

from cms.podcasts.enclosures import ALTERNATE_EXTENSIONS, enclosure_spec, spec_for_extension
from cms.podcasts.models import (
    ARTWORK_FEED_SPEC,
    EpisodeChapter,
    EpisodePerson,
    PodcastEpisodePage,
    PodcastShowPage,
    ShowHost,
    UpdateFrequency,
    podcast_guid_for,
)
from media_pipeline.models import MediaRendition, RenditionStatus

from .podcastindex import taxonomy_group
from .types import (
    FeedCategory,
    FeedEnclosure,
    FeedEpisode,
    FeedFunding,
    FeedPerson,
    FeedShow,
    FeedTxt,
)

logger = logging.getLogger(__name__)

DESCRIPTION_MAX_BYTES = 4000
_DB_TAG = re.compile(f"{FIND_A_TAG.pattern}|{FIND_EMBED_TAG.pattern}")
_RELATIVE_URL = re.compile(r'(href|src)="/(?!/)')
_BLOCK_END = re.compile(r"</(p|li|h[1-6])>|<br\s*/?>", re.IGNORECASE)


def find_restricted_paths() -> list[str]:
    """Tree paths of pages with a view restriction; they and their descendants are private."""
    return list(PageViewRestriction.objects.values_list("page__path", flat=True))


def _public_q(paths: list[str]) -> Q:
    private = Q(pk__in=[])
    for path in paths:
        private |= Q(path__startswith=path)
    return ~private


def get_feed_show(show_id: int, restricted_paths: list[str] | None = None):
    """The live, public show, or None."""
    paths = find_restricted_paths() if restricted_paths is None else restricted_paths
    shows = PodcastShowPage.objects.live().filter(_public_q(paths), pk=show_id)
    return shows.select_related("artwork", "locale").first()


def find_feed_episode(show, guid, restricted_paths: list[str]):
    """The live, already published episode of ``show`` with ``guid`` outside
    ``restricted_paths``, with its audio, or None."""
    return (
        PodcastEpisodePage.objects.live()
        .child_of(show)
        .filter(_public_q(restricted_paths), guid=guid, first_published_at__lte=timezone.now())
        .select_related("audio")
        .first()
    )


EPISODE_FIELDS = (
    "pk",
    "guid",
    "feed_guid",
    "title",
    "slug",
    "first_published_at",
    "last_published_at",
    "summary",
    "show_notes",
    "explicit",
    "episode_type",
    "episode_number",
    "season_number",
    "audio_id",
    "video_id",
)


def select_feed_episodes(
    show: PodcastShowPage,
    *,
    now: datetime | None = None,
    restricted_paths: list[str] | None = None,
) -> list[SimpleNamespace]:
    """Episodes of ``show`` that belong in its feed, newest first, with everything fetched;
    only the latest ``show.feed_episode_limit`` when the show sets one.

    Episodes come as plain rows (``EPISODE_FIELDS`` as attributes — a thousand page model
    instances would cost more than serialising the feed), each with ``feed_persons``,
    ``feed_renditions`` (READY audio renditions by spec) and ``video_renditions``.
    """
    now = now or timezone.now()
    paths = find_restricted_paths() if restricted_paths is None else restricted_paths
    mp3 = enclosure_spec()
    specs = [mp3, *filter(None, map(spec_for_extension, ALTERNATE_EXTENSIONS))]
    episodes = (
        PodcastEpisodePage.objects.live()
        .child_of(show)
        .filter(
            _public_q(paths),
            Q(go_live_at__isnull=True) | Q(go_live_at__lte=now),
            first_published_at__lte=now,
            guid__isnull=False,
            audio__renditions__spec=mp3,
            audio__renditions__status=RenditionStatus.READY,
        )
        .annotate(
            has_chapters=Exists(EpisodeChapter.objects.filter(page=OuterRef("pk"))),
            has_transcript=~Q(transcript=""),
            audio_duration=F("audio__duration"),
        )
        .order_by("-first_published_at", "-pk")
        .values(*EPISODE_FIELDS, "has_chapters", "has_transcript", "audio_duration")
    )
    if show.feed_episode_limit:
        episodes = episodes[: show.feed_episode_limit]
    episodes = [SimpleNamespace(**row) for row in episodes]
    # People of all episodes in one plain query (a modelcluster prefetch costs twice as much).
    persons: dict[int, list[EpisodePerson]] = {}
    for row in (
        EpisodePerson.objects.filter(page_id__in=[e.pk for e in episodes])
        .select_related("person__photo")
        .order_by("page_id", "sort_order")
    ):
        persons.setdefault(row.page_id, []).append(row)
    # Audio and video renditions of all episodes in one query.
    media_ids = {e.audio_id for e in episodes} | {e.video_id for e in episodes if e.video_id}
    # Plain rows: a thousand episodes have two thousand renditions, and model instances for
    # them would cost more than the feed's own serialisation.
    renditions = MediaRendition.objects.filter(
        Q(spec__in=specs) | Q(mime_type__startswith="video/"),
        media_file_id__in=media_ids,
        status=RenditionStatus.READY,
    ).order_by("media_file_id", "spec")
    by_media: dict[int, list[FeedRendition]] = {}
    for row in renditions.values_list(*FeedRendition._fields):
        rendition = FeedRendition(*row)
        by_media.setdefault(rendition.media_file_id, []).append(rendition)
    for episode in episodes:
        episode.feed_persons = persons.get(episode.pk, [])
        episode.feed_renditions = {
            r.spec: r for r in by_media.get(episode.audio_id, []) if r.spec in specs
        }
        episode.video_renditions = [
            r for r in by_media.get(episode.video_id, []) if r.mime_type.startswith("video/")
        ]
    return episodes


def build_feed_data(
    show: PodcastShowPage, episodes, request=None, base_url: str = "", *, secret: str = ""
) -> tuple[FeedShow, list[FeedEpisode]]:
    """Turn the show and the episodes from ``select_feed_episodes`` into feed data.

    Page links are site-relative when the site is the only one (``get_url``); the builder
    joins them to the feed's base URL. Links inside show notes are made absolute with
    ``base_url`` here, as podcast apps cannot resolve them.

    With ``secret`` (a private feed token) the feed is that subscriber's: its own URL, media,
    chapters and transcript URLs carry the token, directories are told to keep away
    (``itunes:block``, ``podcast:locked``) and its ``podcast:guid`` differs from the public
    feed's, so an app that knows both never merges them.
    """
    episodes = list(episodes)
    show_link = show.get_url(request) or ""
    paths = _PathTemplates(secret)
    hosts = list(ShowHost.objects.filter(page=show).select_related("person__photo"))
    mp3 = enclosure_spec()
    alternates = [
        (spec, extension)
        for extension in ALTERNATE_EXTENSIONS
        if (spec := spec_for_extension(extension))
    ]
    notes = _expand_many([episode.show_notes for episode in episodes])
    if base_url:
        notes = [absolutize_html(html, base_url) for html in notes]

    feed_episodes = []
    for episode, content_html in zip(episodes, notes, strict=True):
        renditions = episode.feed_renditions
        enclosure = renditions[mp3]
        if not enclosure.file_size or (show.show_type == "serial" and not episode.episode_number):
            # One broken episode must not take the whole feed down; editors see it in the
            # admin (no size: the rendition is being replaced; serial: number missing).
            logger.warning("episode %s left out of the feed of show %s", episode.pk, show.pk)
            continue
        alternate_enclosures = [
            _enclosure(paths.enclosure(episode.guid, extension), renditions[spec], title="AAC")
            for spec, extension in alternates
            if spec in renditions
        ]
        alternate_enclosures += [
            _enclosure(
                _storage_url(r.file), r, title=f"Video {r.height}p" if r.height else "Video"
            )
            for r in episode.video_renditions
        ]
        feed_episodes.append(
            FeedEpisode(
                # An imported episode keeps the guid it had on the old host.
                guid=episode.feed_guid or str(episode.guid),
                title=episode.title,
                # Children's URLs are the parent's plus their slug: no per-episode routing.
                link=f"{show_link}{episode.slug}/" if show_link else "",
                published=episode.first_published_at,
                updated=max(
                    filter(None, [episode.last_published_at, enclosure.updated_at]),
                    default=episode.first_published_at,
                ),
                summary=episode.summary,
                content_html=content_html,
                enclosure=_enclosure(paths.enclosure(episode.guid, "mp3"), enclosure),
                duration_seconds=round(enclosure.duration or episode.audio_duration or 0),
                explicit=episode.explicit,
                episode_type=episode.episode_type,
                episode_number=episode.episode_number,
                season_number=episode.season_number,
                persons=tuple(_person(row) for row in episode.feed_persons),
                transcript_url=paths.transcript(episode.guid) if episode.has_transcript else "",
                transcript_language=show.language,
                chapters_url=paths.chapters(episode.guid) if episode.has_chapters else "",
                alternate_enclosures=tuple(alternate_enclosures),
            )
        )

    categories = [c for c in (show.category_1, show.category_2, show.category_3) if c]
    public_guid = show.podcast_guid or podcast_guid_for(
        f"{base_url.rstrip('/')}{reverse('podcast_feed', args=[show.pk])}"
    )
    feed_show = FeedShow(
        title=show.title,
        subtitle=show.subtitle,
        link=show_link,
        # this feed, whoever offers it
        feed_url=paths.feed(show.pk) if secret else reverse("podcast_feed", args=[show.pk]),
        description=plain_text(show.description, DESCRIPTION_MAX_BYTES),
        language=show.language,
        image_url=_artwork_url(show),
        owner_name=show.owner_name,
        owner_email=show.owner_email,
        author=show.author,
        updated=show.last_published_at or show.latest_revision_created_at or timezone.now(),
        podcast_guid=str(uuid.uuid5(public_guid, "private") if secret else public_guid),
        categories=tuple(FeedCategory(*_split(c)) for c in categories),
        explicit=show.explicit,
        show_type=show.show_type,
        copyright=show.copyright,
        funding=tuple(FeedFunding(url=f.url, text=f.text) for f in show.funding_links.all()),
        txt=tuple(
            FeedTxt(text=record.value["text"], purpose=record.value["purpose"])
            for record in show.txt_records
        ),
        locked=show.feed_locked or bool(secret),
        new_feed_url="" if secret else show.new_feed_url,
        complete=show.complete,
        persons=tuple(_person(row) for row in hosts),
        block=show.directory_block or bool(secret),
        license=show.license,
        update_frequency=_update_frequency_text(show),
        update_rrule="" if show.complete else UPDATE_RRULES.get(show.update_frequency, ""),
        # A hub would learn the personal URL (the topic is the self link): none for a token.
        websub_hubs=() if secret else tuple(settings.WEBSUB_HUBS),
    )
    return feed_show, feed_episodes


# RFC 5545 rules of the rhythms editors choose; "no fixed rhythm" has none.
UPDATE_RRULES = {
    UpdateFrequency.WEEKLY: "FREQ=WEEKLY",
    UpdateFrequency.BIWEEKLY: "FREQ=WEEKLY;INTERVAL=2",
    UpdateFrequency.MONTHLY: "FREQ=MONTHLY",
}


def _update_frequency_text(show: PodcastShowPage) -> str:
    """The rhythm in the show's language (the caller has it active), or "Complete"."""
    from django.utils.translation import gettext

    if show.complete:
        return gettext("Complete")
    return show.get_update_frequency_display() if show.update_frequency else ""


def get_feed_data(
    show: PodcastShowPage, base_url: str, *, request=None, restricted_paths=None, secret=""
) -> tuple[FeedShow, list[FeedEpisode]]:
    """Everything the feed of ``show`` says, fetched in a fixed number of queries.

    Built in the show's language whoever asks, so that links in show notes (and with them the
    cached bytes and the ETag) are the same for every requester. A private feed passes its
    token's ``secret`` and the paths that stay closed for it (``feeds.private``).
    """
    with translation.override(show.language):
        episodes = select_feed_episodes(show, restricted_paths=restricted_paths)
        return build_feed_data(show, episodes, request, base_url, secret=secret)


def _split(value: str) -> tuple[str, str]:
    from cms.podcasts.categories import split_category

    return split_category(value)


class FeedRendition(NamedTuple):
    media_file_id: int
    spec: str
    file: str
    file_size: int | None
    mime_type: str
    duration: float | None
    bitrate: int | None
    height: int | None
    updated_at: datetime


def _video_title(rendition: FeedRendition) -> str:
    return f"Video {rendition.height}p" if rendition.height else "Video"


def _storage_url(name: str) -> str:
    return MediaRendition._meta.get_field("file").storage.url(name)


def _enclosure(url: str, rendition: FeedRendition, title: str = "") -> FeedEnclosure:
    return FeedEnclosure(
        url=url,
        length=rendition.file_size or 0,
        mime_type=rendition.mime_type,
        bitrate=rendition.bitrate,
        height=rendition.height,
        title=title,
    )


def _person(row) -> FeedPerson:
    person = row.person
    return FeedPerson(
        name=person.name,
        role=row.role,
        group=taxonomy_group(row.role),
        img=person.photo.file.url if person.photo_id else "",
        href=person.link,
    )


def _artwork_url(show: PodcastShowPage) -> str:
    if show.artwork is None:
        return ""
    return show.artwork.get_rendition(ARTWORK_FEED_SPEC).url


def _expand_many(texts: list[str]) -> list[str]:
    """``expand_db_html`` for many rich texts at once, with the same result.

    Only tags that point into the database (``linktype``/``embedtype``) need expanding; each
    distinct one is expanded once: page links in one batch through their link handler, the
    rare embeds through ``expand_db_html``. Then every text gets its tags substituted.
    """
    tags = {
        match.group(0)
        for text in texts
        for match in _DB_TAG.finditer(text)
        if "linktype=" in match.group(0) or "embedtype=" in match.group(0)
    }
    if not tags:
        return list(texts)
    mapping: dict[str, str] = {}
    links: dict[str, list[tuple[str, dict]]] = {}
    for tag in tags:
        attrs = extract_attrs(tag[tag.index(" ") : -1]) if " " in tag else {}
        if tag.startswith("<a") and "linktype" in attrs:
            links.setdefault(attrs["linktype"], []).append((tag, attrs))
        else:
            mapping[tag] = expand_db_html(tag)
    handlers = features.get_link_types()
    for linktype, entries in links.items():
        handler = handlers.get(linktype)
        if handler is None:  # as Wagtail does for unknown link types
            mapping.update({tag: "<a>" for tag, _attrs in entries})
            continue
        expanded = handler.expand_db_attributes_many([attrs for _tag, attrs in entries])
        mapping.update(zip([tag for tag, _attrs in entries], expanded, strict=True))
    return [
        _DB_TAG.sub(lambda match: mapping.get(match.group(0), match.group(0)), text)
        for text in texts
    ]


class _PathTemplates:
    """Per-episode URLs from one ``reverse()`` each (a thousand reverses cost ~0.1 s)."""

    _PLACEHOLDER = uuid.UUID(int=0)

    def __init__(self, secret: str = ""):
        """With ``secret``, the personal URLs of a private feed."""
        self._secret = secret
        prefix = "private_" if secret else ""
        token = [secret] if secret else []
        self._names = {
            "mp3": f"{prefix}episode_enclosure",
            "m4a": f"{prefix}episode_enclosure",
            "chapters": f"{prefix}episode_chapters",
            "transcript": f"{prefix}episode_transcript",
        }
        self._templates = {
            "mp3": reverse(self._names["mp3"], args=[*token, self._PLACEHOLDER, "mp3"]),
            "m4a": reverse(self._names["m4a"], args=[*token, self._PLACEHOLDER, "m4a"]),
            "chapters": reverse(self._names["chapters"], args=[*token, self._PLACEHOLDER]),
            "transcript": reverse(self._names["transcript"], args=[*token, self._PLACEHOLDER]),
        }

    def _fill(self, key: str, guid) -> str:
        return self._templates[key].replace(str(self._PLACEHOLDER), str(guid))

    def feed(self, show_id: int) -> str:
        return reverse("private_podcast_feed", args=[self._secret, show_id])

    def enclosure(self, guid, extension: str) -> str:
        if extension not in self._templates:
            token = [self._secret] if self._secret else []
            return reverse(self._names["mp3"], args=[*token, guid, extension])
        return self._fill(extension, guid)

    def chapters(self, guid) -> str:
        return self._fill("chapters", guid)

    def transcript(self, guid) -> str:
        return self._fill("transcript", guid)


def absolutize_html(html: str, base_url: str) -> str:
    return _RELATIVE_URL.sub(lambda m: f'{m.group(1)}="{base_url.rstrip("/")}/', html)


def plain_text(rich_text: str, max_bytes: int) -> str:
    """Rich text as plain text with paragraph breaks, cut to ``max_bytes`` of UTF-8."""
    from html import unescape

    text = unescape(strip_tags(_BLOCK_END.sub("\n", rich_text or "")))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    text = "\n".join(line for line in lines if line)
    encoded = text.encode()
    if len(encoded) <= max_bytes:
        return text
    return encoded[: max_bytes - 3].decode("utf-8", errors="ignore").rstrip() + "…"


# --- video podcast (explainer videos) -----------------------------------------------------


def get_video_feed_index(index_id: int, restricted_paths: list[str] | None = None):
    """The live, public explainer video index, or None."""
    from cms.videos.models import ExplainerVideoIndexPage

    paths = find_restricted_paths() if restricted_paths is None else restricted_paths
    pages = ExplainerVideoIndexPage.objects.live().filter(_public_q(paths), pk=index_id)
    return pages.select_related("artwork", "locale").first()


def get_video_feed_data(index, base_url: str, *, request=None, restricted_paths=None):
    """The video podcast of ``index``: ``(FeedShow, [FeedEpisode], {guid: [FeedTranscript]})``.

    An explainer video is an item when it is live, public, already published and its feed MP4
    (720p, or the largest rung below for small sources) is READY. Four queries whatever the
    number of videos: videos, renditions, text tracks, the artwork rendition.
    """

    from cms.videos.models import ExplainerVideoPage, VideoTextTrack
    from cms.videos.renditions import feed_rendition, ladder_specs

    from .types import FeedTranscript

    now = timezone.now()
    paths = find_restricted_paths() if restricted_paths is None else restricted_paths
    with translation.override(index.language):
        videos = [
            SimpleNamespace(**row)
            for row in ExplainerVideoPage.objects.live()
            .child_of(index)
            .filter(
                _public_q(paths),
                Q(go_live_at__isnull=True) | Q(go_live_at__lte=now),
                first_published_at__lte=now,
                guid__isnull=False,
                video__isnull=False,
            )
            .order_by("-first_published_at", "-pk")
            .values(
                "pk", "guid", "title", "slug", "summary", "first_published_at",
                "last_published_at", "video_id", "video__duration",
            )
        ]  # fmt: skip
        renditions = MediaRendition.objects.filter(
            media_file_id__in={v.video_id for v in videos},
            spec__in=list(ladder_specs().values()),
            status=RenditionStatus.READY,
        ).order_by("-height")
        by_media: dict[int, list[MediaRendition]] = {}
        for rendition in renditions:
            by_media.setdefault(rendition.media_file_id, []).append(rendition)
        tracks: dict[int, list] = {}
        for track in (
            VideoTextTrack.objects.filter(page_id__in=[v.pk for v in videos], kind="captions")
            .exclude(webvtt="")
            .order_by("page_id", "sort_order")
        ):
            tracks.setdefault(track.page_id, []).append(track)

        link = index.get_url(request) or ""
        episodes, captions = [], {}
        for video in videos:
            enclosure = feed_rendition(by_media.get(video.video_id, []))
            if enclosure is None or not enclosure.file_size:
                continue
            guid = str(video.guid)
            episodes.append(
                FeedEpisode(
                    guid=guid,
                    title=video.title,
                    link=f"{link}{video.slug}/" if link else "",
                    published=video.first_published_at,
                    updated=max(
                        filter(None, [video.last_published_at, enclosure.updated_at]),
                        default=video.first_published_at,
                    ),
                    summary=video.summary,
                    content_html="",
                    enclosure=FeedEnclosure(
                        url=reverse("video_enclosure", args=[video.guid]),
                        length=enclosure.file_size,
                        mime_type="video/mp4",
                        bitrate=enclosure.bitrate,
                        height=enclosure.height,
                    ),
                    duration_seconds=round(enclosure.duration or video.video__duration or 0),
                )
            )
            captions[guid] = [
                FeedTranscript(url=track.get_url(), language=track.language, rel="captions")
                for track in tracks.get(video.pk, [])
            ]
        show = FeedShow(
            title=index.title,
            link=link,
            feed_url=reverse("video_feed", args=[index.pk]),
            description=index.intro or index.title,
            language=index.language,
            image_url=_artwork_url(index),
            owner_name=index.owner_name,
            owner_email=index.owner_email,
            author=index.author,
            updated=index.last_published_at or index.latest_revision_created_at or now,
            podcast_guid=str(
                index.podcast_guid
                or podcast_guid_for(
                    f"{base_url.rstrip('/')}{reverse('video_feed', args=[index.pk])}"
                )
            ),
            categories=(FeedCategory(*_split(index.category)),) if index.category else (),
            copyright=index.copyright,
            medium="video",
            websub_hubs=tuple(settings.WEBSUB_HUBS),
        )
    return show, episodes, captions
