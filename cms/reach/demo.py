"""A few months of plausible synthetic reach events for the demo, folded at once, so the
dashboard and the funder report show something at first start. Only when nothing was
counted yet; the hashes are random (they stand for no one)."""

from __future__ import annotations

import datetime as dt
import math
import random

from django.utils import timezone

from .aggregate import fold
from .models import DailyFigure, EnclosureRequest, FeedFetch, FollowUpAnswer, PlayEvent

DAYS = 90
APPS = [
    ("Apple Podcasts", "Apple iPhone"),
    ("Spotify", "Android Phone"),
    ("Overcast", "Apple iPhone"),
    ("AntennaPod", "Android Phone"),
    ("Pocket Casts", "Android Phone"),
    ("Chrome", "Windows Computer"),
]
EMBEDS = ["www.ihk-beispiel.de", "www.hwk-beispiel.de", ""]
TEXTS = [
    "Wir haben die Terminvergabe online umgestellt.",
    "Die Checkliste hat uns beim Datenschutz geholfen.",
    "Noch keine Zeit gehabt, steht aber auf der Liste.",
]


def ensure_demo_reach(episodes, videos, units, seed: int = 16) -> bool:
    if DailyFigure.objects.exists() or EnclosureRequest.objects.exists():
        return False
    rng = random.Random(seed)  # noqa: S311 - made-up figures, not secrets
    now = timezone.now()
    downloads, plays, fetches = [], [], []
    for days_ago in range(DAYS, 0, -1):
        day = now - dt.timedelta(days=days_ago)
        for rank, episode in enumerate(episodes):
            audience = int(12 / (rank + 1) * (1 + 0.3 * math.sin(days_ago / 7)))
            for _listener in range(rng.randint(audience // 2, audience + 3)):
                app, platform = rng.choice(APPS)
                moment = day + dt.timedelta(seconds=rng.randrange(86_000))
                downloads.append(
                    EnclosureRequest(
                        at=moment, kind="audio", item_id=episode.pk, private=False,
                        listener=f"{rng.getrandbits(128):032x}", listener_prev="",
                        first_byte=0, last_byte=rng.choice((999, 2_000_000, 5_000_000)),
                        threshold=960_000, app=app, platform=platform,
                    )
                )  # fmt: skip
        for rank, video in enumerate(videos):
            for _viewer in range(rng.randint(1, int(6 / (rank + 1)) + 2)):
                viewer = f"{rng.getrandbits(128):032x}"
                embed = rng.choice(EMBEDS)
                reached = rng.choice((0, 25, 50, 75, 100, 100))
                moment = day + dt.timedelta(seconds=rng.randrange(86_000))
                plays.extend(
                    PlayEvent(at=moment, video_id=video.pk, viewer=viewer, milestone=milestone,
                              embed_domain=embed)
                    for milestone in (0, 25, 50, 75, 100)
                    if milestone <= reached
                )  # fmt: skip
        fetches.append(
            FeedFetch(
                at=day,
                feed=f"podcast:{episodes[0].get_parent().pk}" if episodes else "podcast:0",
                app="Feedly",
                subscribers=40 + days_ago // 10,
            )
        )
    EnclosureRequest.objects.bulk_create(downloads, batch_size=5000)
    PlayEvent.objects.bulk_create(plays, batch_size=5000)
    FeedFetch.objects.bulk_create(fetches)
    for unit in units:
        for _answer in range(rng.randint(5, 9)):
            FollowUpAnswer.objects.create(
                unit=unit,
                answer=rng.choice(("yes", "yes", "partly", "not_yet", "no")),
                text=rng.choice(TEXTS + [""] * 3),
                answered_on=(now - dt.timedelta(days=rng.randrange(DAYS))).date().replace(day=1),
            )
    fold(everything=True)
    return True
