from django import template
from django.utils.translation import ngettext

from cms.core.media_access import may_view_page

register = template.Library()


@register.simple_tag(takes_context=True)
def episode_player(context, episode):
    """The podcast episode page's player data (sources, speeds) for a chosen episode; None
    when the visitor may not see the episode (draft, scheduled, view restriction)."""
    from cms.podcasts.presentation import episode_context

    if episode is None:
        return None
    episode = episode.specific
    if not may_view_page(context.get("request"), episode):
        return None
    data = episode_context(episode, context.get("request"))
    return {"episode": episode, "audio": data["audio"], "playback_rates": data["playback_rates"]}


@register.simple_tag(takes_context=True)
def video_player(context, video_page):
    """The explainer video page's player data for a chosen video (see videos/includes); None
    when the visitor may not see the video page."""
    if video_page is None:
        return None
    video_page = video_page.specific
    if not may_view_page(context.get("request"), video_page):
        return None
    from cms.videos.presentation import player_context

    return {"page": video_page, **player_context(video_page, context.get("request"))}


@register.filter
def duration_in_words(seconds) -> str:
    """“2 Minuten”, “1 Minute 30 Sekunden”, “45 Sekunden”: how long a timed step takes."""
    seconds = max(0, int(seconds or 0))
    minutes, rest = divmod(seconds, 60)
    parts = []
    if minutes:
        parts.append(
            ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
        )
    if rest or not minutes:
        parts.append(ngettext("%(count)d second", "%(count)d seconds", rest) % {"count": rest})
    return " ".join(parts)
