"""Who is asking: bots, apps and platforms from the OPAWG ``user-agents-v2`` lists (MIT).

The lists are vendored in ``user_agents/`` with their licence; ``manage.py
update_user_agents`` writes newer copies to ``VAR_DIR/reach/user-agents/``, which win over the
vendored ones. Matching follows the lists' own rule: bots, then apps, libraries, browsers, the
first entry that matches; devices give the platform. A User-Agent is classified in memory
only (a small per-process cache keyed by the string itself) and never stored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

VENDORED_DIR = Path(__file__).resolve().parent / "user_agents"
LIST_NAMES = ("bots", "apps", "libraries", "browsers", "devices", "referrers")
SOURCE_URL = "https://raw.githubusercontent.com/opawg/user-agents-v2/master/{path}"
SOURCE_PATHS = {name: f"build/{name}.runtime.json" for name in LIST_NAMES}
SOURCE_PATHS["devices"] = "src/devices.json"  # the runtime build drops the category


@dataclass(frozen=True)
class Agent:
    bot: bool
    app: str = ""
    platform: str = ""


def refreshed_dir() -> Path:
    return Path(settings.VAR_DIR) / "reach" / "user-agents"


def _load(name: str) -> list[tuple[re.Pattern, str, str]]:
    refreshed = refreshed_dir() / f"{name}.json"
    path = refreshed if refreshed.is_file() else VENDORED_DIR / f"{name}.json"
    entries = json.loads(path.read_text(encoding="utf-8"))["entries"]
    compiled = []
    for entry in entries:
        try:
            compiled.append(
                (re.compile(entry["pattern"]), entry["name"], entry.get("category", ""))
            )
        except (re.error, KeyError, TypeError):
            continue  # a pattern only JavaScript understands: leave it out
    return compiled


@lru_cache(maxsize=1)
def _lists() -> dict[str, list[tuple[re.Pattern, str, str]]]:
    return {name: _load(name) for name in LIST_NAMES}


def reload_lists() -> None:
    _lists.cache_clear()
    classify.cache_clear()


def _first(name: str, text: str) -> tuple[str, str] | None:
    for pattern, label, category in _lists()[name]:
        if pattern.search(text):
            return label, category
    return None


@lru_cache(maxsize=4096)
def classify(user_agent: str) -> Agent:
    """An empty User-Agent is treated as a bot: no listening app sends none."""
    if not user_agent or _first("bots", user_agent):
        return Agent(bot=True)
    app = ""
    for name in ("apps", "libraries", "browsers"):
        found = _first(name, user_agent)
        if found:
            app = found[0]
            break
    device = _first("devices", user_agent)
    return Agent(bot=False, app=app, platform=device[0] if device else "")


def referrer_app(referer: str) -> str:
    found = _first("referrers", referer) if referer else None
    return found[0] if found else ""
