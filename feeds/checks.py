"""What a podcast app needs from a feed, checked on its bytes.

The same checks run on the live feeds (tests/feeds) and on an archive's copies
(``cms.archive.verify``), so an archived feed is held to the rules the live one keeps.
"""

from __future__ import annotations

import io
import uuid

from lxml import etree

ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
PODCAST = "{https://podcastindex.org/namespace/1.0}"
CHANNEL_ELEMENTS = ("title", "link", "description", "language", f"{ITUNES}image")


def check_feed(body: bytes, url: str) -> list[str]:
    """Problems of the RSS feed ``body`` (fetched from ``url``), as sentences; [] if none.

    Both parsers podcast apps build on must read it (feedparser without a bozo error,
    podcastparser with the same items and enclosures); the channel has what directories
    require; ``podcast:guid`` is a UUID; every item has a unique guid, a title and one
    enclosure with an absolute URL, a positive length and a media type. Never raises."""
    import feedparser
    import podcastparser

    problems = []
    try:
        root = etree.fromstring(body)
    except etree.XMLSyntaxError as error:
        return [f"not well-formed XML ({error})"]
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        return ["not an RSS 2.0 feed"]
    for name in CHANNEL_ELEMENTS:
        if channel.find(name) is None:
            problems.append(f"channel without {name.replace(ITUNES, 'itunes:')}")
    podcast_guid = channel.findtext(f"{PODCAST}guid")
    if podcast_guid is not None:
        try:
            uuid.UUID(podcast_guid)
        except ValueError:
            problems.append(f"podcast:guid {podcast_guid!r} is not a UUID")
    items = channel.findall("item")
    guids = [item.findtext("guid") for item in items]
    if len(set(guids)) != len(guids):
        problems.append("item guids repeat")
    enclosures = []
    for item, guid in zip(items, guids, strict=True):
        if not guid or not item.findtext("title"):
            problems.append(f"item {guid or '(no guid)'} without guid or title")
        found = item.findall("enclosure")
        if len(found) != 1:
            problems.append(f"item {guid}: {len(found)} enclosures")
            continue
        href, length = found[0].get("url", ""), found[0].get("length", "")
        if not href.startswith(("http://", "https://")):
            problems.append(f"item {guid}: enclosure URL {href!r} is not absolute")
        if not length.isdigit() or int(length) <= 0:
            problems.append(f"item {guid}: enclosure length {length!r}")
        if not found[0].get("type"):
            problems.append(f"item {guid}: enclosure without type")
        enclosures.append((guid, href))

    parsed = feedparser.parse(body)
    if parsed.bozo:
        problems.append(f"feedparser: {parsed.bozo_exception}")
    elif [entry.get("id") for entry in parsed.entries] != guids:
        problems.append("feedparser reads other item guids")
    try:
        read = podcastparser.parse(url, io.BytesIO(body))
    except Exception as error:  # noqa: BLE001 - any parser failure is the finding
        problems.append(f"podcastparser: {error}")
    else:
        seen = sorted(
            (episode["guid"], enclosure["url"])
            for episode in read["episodes"]
            for enclosure in episode["enclosures"]
        )
        if seen != sorted(enclosures):
            problems.append("podcastparser reads other items or enclosures")
    return problems
