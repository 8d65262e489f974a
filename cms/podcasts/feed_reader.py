"""Reading a podcast feed (RSS 2.0 with the iTunes, Podcasting 2.0, Podlove Simple Chapters and
content namespaces) into plain data for the import.

The XML comes from elsewhere: it is parsed with defusedxml (no entity expansion, no external
entities, no DTD retrieval). Nothing here touches the database or the network.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.html import escape
from django.utils.translation import gettext as _

ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
PODCAST = "{https://podcastindex.org/namespace/1.0}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
PSC = "{http://podlove.org/simple-chapters}"


class NotAFeedError(ValueError):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


@dataclass
class FeedPerson:
    name: str
    role: str = ""
    href: str = ""


@dataclass
class FeedTranscriptLink:
    url: str
    mime_type: str


@dataclass
class ParsedChapter:
    start: float
    title: str
    url: str = ""


@dataclass
class ParsedEpisode:
    guid: str
    title: str
    summary: str
    show_notes: str
    published: dt.datetime | None
    audio_url: str
    audio_type: str
    season: int | None = None
    number: int | None = None
    episode_type: str = "full"
    explicit: bool = False
    persons: list[FeedPerson] = field(default_factory=list)
    chapters_url: str = ""
    chapters: list[ParsedChapter] = field(default_factory=list)  # Podlove Simple Chapters
    transcripts: list[FeedTranscriptLink] = field(default_factory=list)


@dataclass
class ParsedShow:
    title: str
    subtitle: str
    description: str
    language: str
    image_url: str
    author: str
    owner_name: str
    owner_email: str
    categories: list[str]
    explicit: bool
    show_type: str
    copyright: str
    podcast_guid: str
    locked: bool
    complete: bool
    funding: list[tuple[str, str]]
    persons: list[FeedPerson]
    episodes: list[ParsedEpisode]


def _text(element: Element | None, name: str) -> str:
    found = element.find(name) if element is not None else None
    return (found.text or "").strip() if found is not None else ""


def _yes(value: str) -> bool:
    return value.strip().lower() in ("yes", "true", "explicit")


def _int(value: str) -> int | None:
    try:
        number = int(value.strip())
    except ValueError:
        return None
    return number if number >= 1 else None


def parse_date(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def parse_npt(value: str) -> float | None:
    """Normal play time as Podlove Simple Chapters use it: ``[[HH:]MM:]SS[.mmm]``."""
    parts = value.strip().split(":")
    try:
        seconds = 0.0
        for part in parts:
            seconds = seconds * 60 + float(part)
    except ValueError:
        return None
    return seconds if len(parts) <= 3 and seconds >= 0 else None


def _persons(element: Element) -> list[FeedPerson]:
    return [
        FeedPerson(
            name=(person.text or "").strip(),
            role=(person.get("role") or "").strip().lower(),
            href=(person.get("href") or "").strip(),
        )
        for person in element.findall(f"{PODCAST}person")
        if (person.text or "").strip()
    ]


def _categories(channel: Element) -> list[str]:
    categories = []
    for category in channel.findall(f"{ITUNES}category"):
        main = (category.get("text") or "").strip()
        sub = category.find(f"{ITUNES}category")
        if sub is not None and sub.get("text"):
            categories.append(f"{main} › {sub.get('text').strip()}")
        elif main:
            categories.append(main)
    return categories


def parse_feed(data: bytes) -> ParsedShow:
    """The show and its episodes, oldest first. Raises NotAFeedError with a message."""
    try:
        root = fromstring(data)
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise NotAFeedError(
            _("This address does not lead to a podcast feed (no readable RSS).")
        ) from error
    channel = root.find("channel") if root.tag == "rss" else None
    if channel is None:
        raise NotAFeedError(_("This address does not lead to a podcast feed (no RSS channel)."))
    image = channel.find(f"{ITUNES}image")
    image_url = (image.get("href") or "").strip() if image is not None else ""
    owner = channel.find(f"{ITUNES}owner")
    guid = channel.find(f"{PODCAST}guid")
    episodes = [_episode(item) for item in channel.findall("item")]
    episodes = [episode for episode in episodes if episode is not None]
    episodes.sort(key=lambda e: e.published or dt.datetime.min.replace(tzinfo=dt.UTC))
    return ParsedShow(
        title=_text(channel, "title"),
        subtitle=_text(channel, f"{ITUNES}subtitle"),
        description=_text(channel, "description") or _text(channel, f"{ITUNES}summary"),
        language=_text(channel, "language").lower(),
        image_url=image_url or _text(channel.find("image"), "url"),
        author=_text(channel, f"{ITUNES}author"),
        owner_name=_text(owner, f"{ITUNES}name"),
        owner_email=_text(owner, f"{ITUNES}email") or _email_of(_text(channel, "managingEditor")),
        categories=_categories(channel),
        explicit=_yes(_text(channel, f"{ITUNES}explicit")),
        show_type=_text(channel, f"{ITUNES}type").lower() or "episodic",
        copyright=_text(channel, "copyright"),
        podcast_guid=(guid.text or "").strip() if guid is not None else "",
        locked=_yes(_text(channel, f"{PODCAST}locked")),
        complete=_yes(_text(channel, f"{ITUNES}complete")),
        funding=[
            ((f.get("url") or "").strip(), (f.text or "").strip())
            for f in channel.findall(f"{PODCAST}funding")
            if f.get("url")
        ],
        persons=_persons(channel),
        episodes=episodes,
    )


def _email_of(value: str) -> str:
    match = re.search(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", value)
    return match.group(0) if match else ""


def _episode(item: Element) -> ParsedEpisode | None:
    enclosure = item.find("enclosure")
    audio_url = (enclosure.get("url") or "").strip() if enclosure is not None else ""
    # Apps identify an item without guid by its enclosure URL; so does the import.
    guid = _text(item, "guid") or audio_url
    if not guid:
        return None
    notes = _text(item, f"{CONTENT}encoded") or _text(item, "description")
    chapters_link = item.find(f"{PODCAST}chapters")
    psc = item.find(f"{PSC}chapters")
    chapters = []
    if psc is not None:
        for chapter in psc.findall(f"{PSC}chapter"):
            start = parse_npt(chapter.get("start") or "")
            if start is not None and (chapter.get("title") or "").strip():
                chapters.append(
                    ParsedChapter(start, chapter.get("title").strip(), chapter.get("href") or "")
                )
    episode_type = _text(item, f"{ITUNES}episodeType").lower()
    return ParsedEpisode(
        guid=guid,
        title=_text(item, "title") or _text(item, f"{ITUNES}title"),
        summary=_text(item, f"{ITUNES}summary") or _text(item, f"{ITUNES}subtitle"),
        show_notes=notes,
        published=parse_date(_text(item, "pubDate")),
        audio_url=audio_url,
        audio_type=(enclosure.get("type") or "") if enclosure is not None else "",
        season=_int(_text(item, f"{ITUNES}season")),
        number=_int(_text(item, f"{ITUNES}episode")),
        episode_type=episode_type if episode_type in ("full", "trailer", "bonus") else "full",
        explicit=_yes(_text(item, f"{ITUNES}explicit")),
        persons=_persons(item),
        chapters_url=(chapters_link.get("url") or "").strip() if chapters_link is not None else "",
        chapters=chapters,
        transcripts=[
            FeedTranscriptLink((t.get("url") or "").strip(), (t.get("type") or "").lower())
            for t in item.findall(f"{PODCAST}transcript")
            if t.get("url")
        ],
    )


# --- show notes ---------------------------------------------------------------------------

ALLOWED_TAGS = {"p", "br", "b", "i", "ul", "ol", "li", "h3", "a"}
RENAMED_TAGS = {
    "strong": "b",
    "em": "i",
    "h1": "h3",
    "h2": "h3",
    "h4": "h3",
    "h5": "h3",
    "h6": "h3",
}
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "head"}
SAFE_LINK = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)


class _Sanitiser(HTMLParser):
    """Keep only what the show notes' rich text editor offers (bold, italic, links, lists,
    paragraphs, sub-headings); links only to web and mail addresses; everything else is
    dropped, its text kept (except scripts and styles, which are dropped whole)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in DROPPED_WITH_CONTENT:
            self.skipping += 1
            return
        tag = RENAMED_TAGS.get(tag, tag)
        if self.skipping or tag not in ALLOWED_TAGS:
            return
        if tag == "br":
            self.out.append("<br/>")
            return
        if tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            if not SAFE_LINK.match(href):
                self.open.append("")  # a link we drop: keep its text
                return
            self.out.append(f'<a href="{escape(href)}">')
        else:
            self.out.append(f"<{tag}>")
        self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in DROPPED_WITH_CONTENT:
            self.skipping = max(0, self.skipping - 1)
            return
        tag = RENAMED_TAGS.get(tag, tag)
        if self.skipping or tag not in ALLOWED_TAGS or tag == "br":
            return
        if tag == "a" and "" in self.open and (self.open[-1] == ""):
            self.open.pop()
            return
        if tag in self.open:
            while self.open:
                last = self.open.pop()
                if last:
                    self.out.append(f"</{last}>")
                if last == tag:
                    break

    def handle_data(self, data):
        if not self.skipping:
            self.out.append(escape(data))

    def result(self) -> str:
        while self.open:
            last = self.open.pop()
            if last:
                self.out.append(f"</{last}>")
        return "".join(self.out).strip()


def sanitise_html(html: str) -> str:
    """Show notes from a feed as safe rich text: plain text becomes paragraphs."""
    if not html.strip():
        return ""
    if "<" not in html:
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", html) if p.strip()]
        return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    parser = _Sanitiser()
    parser.feed(html)
    parser.close()
    result = parser.result()
    return result if result.startswith("<") else f"<p>{result}</p>"
