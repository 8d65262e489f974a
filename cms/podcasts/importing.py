"""Moving a podcast in: read its feed on the old host and create the show and its episodes.

Subscribers come along because the show adopts the feed's ``podcast:guid`` (or the one the
Podcasting 2.0 spec computes from the old feed URL) and every episode keeps its item
``guid`` (``feed_guid``): apps that follow the old host's redirect recognise everything they
already have. Running the import again adds only the items whose guid is new.

Each episode is imported on its own: one that fails (audio too large, not audio, unreachable)
is recorded with its message and the others go on. Audio goes through ``create_media_file``,
the same checks as an upload in the admin, and then through the pipeline.
"""

from __future__ import annotations

import json
import logging
import tempfile
import uuid
from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.images import ImageFile
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug
from wagtail.models import Locale, Site

from media_pipeline.exceptions import DuplicateMediaError, MediaRejectedError
from media_pipeline.subtitles import (
    Cue,
    TextTrack,
    TextTrackError,
    TextTrackFormat,
    load_text_track,
)
from media_pipeline.uploads import create_media_file

from .categories import category_choices
from .feed_reader import NotAFeedError, ParsedEpisode, ParsedShow, parse_feed, sanitise_html
from .fetching import FetchError, fetch_bytes, fetch_to_file
from .models import (
    EpisodeChapter,
    EpisodePerson,
    ImportStatus,
    PersonRole,
    PodcastEpisodePage,
    PodcastImport,
    PodcastShowPage,
    ShowFundingLink,
    ShowHost,
    ShowType,
    podcast_guid_for,
)

logger = logging.getLogger(__name__)

CHAPTERS_MAX_BYTES = 2_000_000
TRANSCRIPT_PREFERENCE = {
    "text/vtt": TextTrackFormat.WEBVTT,
    "application/x-subrip": TextTrackFormat.SRT,
    "application/srt": TextTrackFormat.SRT,
    "text/srt": TextTrackFormat.SRT,
    "application/json": "json",
}
PERSON_ROLES = set(PersonRole.values)


class ImportError_(Exception):  # noqa: N801 - not the builtin
    """The whole import cannot go on; ``message`` is for editors."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


class EpisodeError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


def adopted_guid(parsed: ParsedShow, feed_url: str) -> uuid.UUID:
    """The feed's own ``podcast:guid``, or the one the spec computes from its URL."""
    try:
        return uuid.UUID(parsed.podcast_guid)
    except ValueError:
        return podcast_guid_for(feed_url.strip())


@dataclass
class _Saver:
    """Saves the record as the import goes on; an unsaved record (a dry run from the command
    line) stays unsaved."""

    record: PodcastImport

    def __call__(self, *fields):
        if self.record.pk:
            PodcastImport.objects.filter(pk=self.record.pk).update(
                **{name: getattr(self.record, name) for name in fields}
            )


def run_import(record: PodcastImport) -> PodcastImport:
    """Run ``record`` to the end: DONE (perhaps with episode errors) or FAILED with a message.
    Never raises for bad input."""
    save = _Saver(record)
    record.status = ImportStatus.RUNNING
    record.episodes_imported, record.errors, record.message = 0, [], ""
    save("status", "episodes_imported", "errors", "message")
    try:
        Importer(record, save).run()
        record.status = ImportStatus.DONE
    except ImportError_ as error:
        record.status, record.message = ImportStatus.FAILED, error.message
    except Exception:
        logger.exception("podcast import %s failed", record.pk)
        record.status = ImportStatus.FAILED
        record.message = _("The import stopped because of an internal error; see the log.")
    record.finished_at = timezone.now()
    save("status", "message", "finished_at")
    return record


class Importer:
    def __init__(self, record: PodcastImport, save):
        self.record = record
        self.save = save
        self.user = record.started_by
        self.publish = True

    def _check_permissions(self, parent) -> None:
        """The editor needs to be allowed to add pages where the import puts them; without
        the right to publish there, everything is saved as drafts for a moderator. (From the
        command line, with no user, everything is allowed.)"""
        if self.user is None:
            return
        permissions = parent.permissions_for_user(self.user)
        if not permissions.can_add_subpage():
            raise ImportError_(
                _("You may not add pages under “%(title)s”.") % {"title": parent.title}
            )
        self.publish = permissions.can_publish_subpage()
        if not self.publish:
            self._error(
                None,
                _(
                    "You may not publish pages here: the podcast and its episodes are saved "
                    "as drafts, for a moderator to publish."
                ),
            )

    def _save_page(self, page) -> None:
        revision = page.save_revision(user=self.user)
        if self.publish:
            revision.publish(user=self.user)

    # --- the show -------------------------------------------------------------------------

    def run(self) -> None:
        record = self.record
        try:
            data, _type, _final = fetch_bytes(
                record.feed_url, max_bytes=settings.IMPORT_MAX_FEED_BYTES
            )
            parsed = parse_feed(data)
        except (FetchError, NotAFeedError) as error:
            raise ImportError_(error.message) from error
        if parsed.locked:
            raise ImportError_(
                _(
                    "The feed is locked against import (podcast:locked). Unlock it at the old "
                    "host, then start the import again."
                )
            )
        guid = adopted_guid(parsed, record.feed_url)
        show = self._find_show(guid)
        record.show_title = (show.title if show else parsed.title)[:255]
        existing = self._existing_guids(show)
        new = [episode for episode in parsed.episodes if episode.guid not in existing]
        record.episodes_total = len(parsed.episodes)
        record.episodes_skipped = len(parsed.episodes) - len(new)
        record.episodes_done = record.episodes_skipped
        self.save("show_title", "episodes_total", "episodes_skipped", "episodes_done")
        if record.dry_run:
            record.message = _(
                "Check only: %(new)s of %(total)s episodes would be imported; nothing was changed."
            ) % {"new": len(new), "total": len(parsed.episodes)}
            return
        if show is None:
            parent = self._parent_for(parsed.language or settings.LANGUAGE_CODE)
            self._check_permissions(parent)
            show = self._create_show(parsed, guid, parent)
        else:
            self._check_permissions(show)
        if show.podcast_guid != guid:
            type(show).objects.filter(pk=show.pk).update(podcast_guid=guid)
            show.podcast_guid = guid
        if record.show_id != show.pk:
            record.show = show
            self.save("show")
        for episode in new:
            try:
                self._import_episode(show, episode)
                record.episodes_imported += 1
            except EpisodeError as error:
                self._error(episode, error.message)
            except Exception:
                logger.exception("episode %s of import %s failed", episode.guid, record.pk)
                self._error(episode, _("Internal error; see the log."))
            record.episodes_done += 1
            self.save("episodes_done", "episodes_imported", "errors")
        record.message = _("%(imported)s episodes imported, %(skipped)s were already here.") % {
            "imported": record.episodes_imported,
            "skipped": record.episodes_skipped,
        }

    def _error(self, episode: ParsedEpisode | None, message: str) -> None:
        self.record.errors = [
            *self.record.errors,
            {
                "guid": episode.guid if episode else "",
                "title": (episode.title if episode else self.record.show_title)[:255],
                "message": message,
            },
        ]
        self.save("errors")

    def _find_show(self, guid: uuid.UUID) -> PodcastShowPage | None:
        record = self.record
        other = PodcastShowPage.objects.filter(podcast_guid=guid)
        if record.show_id:
            taken = other.exclude(pk=record.show_id).first()
            if taken is not None:
                raise ImportError_(
                    _("This feed has already been imported into the podcast “%(title)s”.")
                    % {"title": taken.title}
                )
            return PodcastShowPage.objects.get(pk=record.show_id)
        return other.order_by("pk").first()

    @staticmethod
    def _existing_guids(show) -> set[str]:
        if show is None:
            return set()
        rows = PodcastEpisodePage.objects.child_of(show).values_list("feed_guid", "guid")
        return {feed_guid or str(guid) for feed_guid, guid in rows if feed_guid or guid}

    def _parent_for(self, language: str):
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            raise ImportError_(_("There is no default site to create the podcast in."))
        home = site.root_page.specific
        locale = Locale.objects.filter(language_code=language.split("-")[0]).first()
        if locale and locale.pk != home.locale_id:
            home = home.get_translations().filter(locale=locale).first() or home
        return home

    def _create_show(self, parsed: ParsedShow, guid: uuid.UUID, parent) -> PodcastShowPage:
        known = {value for value, _label in category_choices()}
        categories = [c for c in parsed.categories if c in known][:3]
        description = sanitise_html(parsed.description) or f"<p>{escape(parsed.title)}</p>"
        owner_email = next(
            (e for e in (parsed.owner_email, getattr(self.user, "email", "")) if _is_email(e)),
            "",
        )
        if not owner_email:
            raise ImportError_(
                _(
                    "The feed names no owner e-mail address (itunes:owner), and you have none "
                    "in your account. Add one to your account and start again."
                )
            )
        show = PodcastShowPage(
            locale=parent.locale,
            title=parsed.title[:255] or _("Imported podcast"),
            slug=find_available_slug(parent, slugify(parsed.title)[:200] or "podcast"),
            subtitle=parsed.subtitle[:255],
            description=description,
            owner_name=(parsed.owner_name or parsed.author or parsed.title)[:200],
            owner_email=owner_email,
            author=(parsed.author or parsed.owner_name or parsed.title)[:200],
            category_1=categories[0] if categories else "Education",
            category_2=categories[1] if len(categories) > 1 else "",
            category_3=categories[2] if len(categories) > 2 else "",
            explicit=parsed.explicit,
            show_type=parsed.show_type if parsed.show_type in ShowType.values else "episodic",
            copyright=parsed.copyright[:255],
            complete=parsed.complete,
            podcast_guid=guid,
            live=False,
        )
        show.artwork = self._artwork(parsed)
        with transaction.atomic():
            parent.add_child(instance=show)
            for url, text in parsed.funding:
                if _is_url(url):
                    ShowFundingLink.objects.create(page=show, url=url, text=(text or url)[:128])
            for person in parsed.persons:
                role = person.role if person.role in PERSON_ROLES else PersonRole.HOST
                ShowHost.objects.create(page=show, person=self._person(show, person), role=role)
            try:
                self._save_page(show)
            except ValidationError as error:
                # E.g. a feed without cover art: the episodes come in all the same, and
                # editors complete the show before they publish it.
                show.save_revision(user=self.user, clean=False)
                self._error(
                    None,
                    _(
                        "The podcast was saved as a draft, not published (%(problems)s). "
                        "Complete it, then publish it."
                    )
                    % {"problems": _problems(show, error)},
                )
        show.refresh_from_db()
        return show

    def _artwork(self, parsed: ParsedShow):
        from PIL import Image, UnidentifiedImageError

        from cms.images.models import CustomImage

        if not parsed.image_url:
            return None
        try:
            data, _type, final = fetch_bytes(
                parsed.image_url, max_bytes=settings.IMPORT_MAX_IMAGE_BYTES
            )
            with Image.open(BytesIO(data)) as image:
                image.verify()
                kind = (image.format or "").lower()
            if kind not in ("jpeg", "png"):
                raise UnidentifiedImageError(kind)
        except FetchError as error:
            self._error(None, _("Cover art not imported: %(reason)s") % {"reason": error.message})
            return None
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
            self._error(None, _("Cover art not imported: it is not a JPEG or PNG image."))
            return None
        name = Path(unquote(urlsplit(final).path)).stem[:60] or "cover"
        image = CustomImage(title=_("Cover art of %(title)s") % {"title": parsed.title[:200]})
        image.file = ImageFile(BytesIO(data), name=f"{slugify(name) or 'cover'}.{kind}")
        image.save()
        return image

    def _person(self, show, person):
        from cms.people.models import PODCAST_NAME_MAX_CHARS, Person

        name = person.name[:PODCAST_NAME_MAX_CHARS]
        found = Person.objects.filter(name=name, locale=show.locale).first()
        if found is None:
            found = Person.objects.create(
                name=name,
                locale=show.locale,
                link=person.href if _is_url(person.href) else "",
            )
        return found

    # --- one episode ----------------------------------------------------------------------

    def _import_episode(self, show: PodcastShowPage, episode: ParsedEpisode) -> None:
        if not episode.audio_url:
            raise EpisodeError(_("The episode has no audio file (enclosure)."))
        media, created = self._audio(episode)
        try:
            self._create_episode(show, episode, media)
        except Exception:
            if created:
                media.delete()
            raise

    def _create_episode(self, show, episode: ParsedEpisode, media) -> None:
        duration = media.duration
        chapters, transcript = (
            self._chapters(episode, duration),
            self._transcript(episode, duration),
        )
        notes = sanitise_html(episode.show_notes)
        summary = episode.summary or _plain(notes) or episode.title
        title = episode.title[:255] or _("Episode")
        page = PodcastEpisodePage(
            locale=show.locale,
            title=title,
            slug=find_available_slug(show, slugify(title)[:200] or "episode"),
            summary=" ".join(summary.split())[:1000],
            show_notes=notes,
            audio=media,
            episode_number=episode.number,
            season_number=episode.season,
            episode_type=episode.episode_type,
            explicit=episode.explicit,
            transcript=transcript,
            feed_guid=episode.guid[:500],
            first_published_at=min(episode.published or timezone.now(), timezone.now()),
            live=False,
        )
        with transaction.atomic():
            show.add_child(instance=page)
            for start, chapter_title, url in chapters:
                EpisodeChapter.objects.create(
                    page=page, start=timedelta(seconds=start), title=chapter_title, url=url
                )
            for person in episode.persons:
                role = person.role if person.role in PERSON_ROLES else PersonRole.GUEST
                who = self._person(show, person)
                EpisodePerson.objects.create(page=page, person=who, role=role)
            self._save_page(page)

    def _audio(self, episode: ParsedEpisode):
        name = Path(unquote(urlsplit(episode.audio_url).path)).name[-100:] or "episode.mp3"
        with tempfile.TemporaryDirectory(prefix="lernfunk-import-") as folder:
            local = Path(folder) / "audio"
            try:
                fetch_to_file(episode.audio_url, local, max_bytes=settings.IMPORT_MAX_AUDIO_BYTES)
            except FetchError as error:
                raise EpisodeError(error.message) from error
            try:
                with local.open("rb") as handle:
                    media = create_media_file(
                        File(handle, name=name), title=episode.title[:255], user=self.user
                    )
                created = True
            except DuplicateMediaError as error:
                media, created = error.existing, False
            except MediaRejectedError as error:
                raise EpisodeError(error.message) from error
        if media.kind != "audio":
            if created:
                media.delete()
            raise EpisodeError(_("The episode's file is a video, not audio."))
        return media, created

    def _chapters(self, episode: ParsedEpisode, duration) -> list[tuple[float, str, str]]:
        raw = [(c.start, c.title, c.url) for c in episode.chapters]
        if episode.chapters_url and not raw:
            try:
                data, _type, _final = fetch_bytes(
                    episode.chapters_url, max_bytes=CHAPTERS_MAX_BYTES
                )
                document = json.loads(data)
                items = document.get("chapters", []) if isinstance(document, dict) else []
            except (FetchError, ValueError, UnicodeDecodeError) as error:
                reason = getattr(error, "message", "") or _("not readable JSON chapters")
                self._error(episode, _("Chapters not imported: %(reason)s") % {"reason": reason})
                items = []
            for item in items:
                if not isinstance(item, dict) or not isinstance(item.get("title"), str):
                    continue
                start = item.get("startTime")
                if isinstance(start, int | float) and not isinstance(start, bool):
                    raw.append((float(start), item["title"], str(item.get("url") or "")))
        chapters, previous = [], -1.0
        for start, title, url in sorted(raw, key=lambda c: c[0]):
            if start <= previous or (duration and start >= duration) or not title.strip():
                continue
            chapters.append((start, title.strip()[:200], url if _is_url(url) else ""))
            previous = start
        return chapters

    def _transcript(self, episode: ParsedEpisode, duration) -> str:
        links = [t for t in episode.transcripts if t.mime_type in TRANSCRIPT_PREFERENCE]
        order = list(TRANSCRIPT_PREFERENCE.values())
        links.sort(key=lambda t: order.index(TRANSCRIPT_PREFERENCE[t.mime_type]))
        if not links:
            return ""
        link = links[0]
        # A little room: hosts round the duration they know, ffprobe does not.
        limit = duration + 1 if duration else None
        try:
            data, _type, _final = fetch_bytes(link.url, max_bytes=settings.TEXT_TRACK_MAX_BYTES)
            if TRANSCRIPT_PREFERENCE[link.mime_type] == "json":
                data = _json_transcript_as_webvtt(data).encode()
            return load_text_track(data, link.url, max_duration=limit).to_webvtt()
        except FetchError as error:
            reason = error.message
        except TextTrackError as error:
            reason = str(error)
        except (ValueError, UnicodeDecodeError):
            reason = _("not a readable JSON transcript")
        self._error(episode, _("Transcript not imported: %(reason)s") % {"reason": reason})
        return ""


def _json_transcript_as_webvtt(data: bytes) -> str:
    """A Podcasting 2.0 JSON transcript (``segments`` with ``startTime``, ``endTime``,
    ``body``, ``speaker``) as WebVTT text."""
    document = json.loads(data)
    segments = document.get("segments") if isinstance(document, dict) else None
    if not isinstance(segments, list):
        raise ValueError("no segments")
    cues = []
    for segment in segments:
        if not isinstance(segment, dict):
            continue
        start, end = segment.get("startTime"), segment.get("endTime")
        body = " ".join(str(segment.get("body") or "").split())
        if not isinstance(start, int | float) or not isinstance(end, int | float) or not body:
            continue
        speaker = " ".join(str(segment.get("speaker") or "").split())
        text = escape(body)
        if speaker:
            text = f"<v {escape(speaker)}>{text}"
        cues.append(Cue(start=float(start), end=float(end), text=text))
    return TextTrack(TextTrackFormat.WEBVTT, cues).to_webvtt()


def _problems(page, error: ValidationError) -> str:
    problems = []
    for name, messages in error.message_dict.items():
        try:
            label = str(page._meta.get_field(name).verbose_name)
        except Exception:  # noqa: BLE001 - a non-field error
            label = name
        problems.append(f"{label}: {' '.join(messages)}")
    return "; ".join(problems)


def _plain(html: str) -> str:
    from html import unescape

    from django.utils.html import strip_tags

    return " ".join(unescape(strip_tags(html)).split())


def _is_url(value: str) -> bool:
    if not value or len(value) > 200:
        return False
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return False
    return True


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True
