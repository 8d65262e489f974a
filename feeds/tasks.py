"""Celery tasks of the feeds: thin, they take primitive arguments and call one service."""

import logging

from celery import shared_task

from . import websub

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="feeds.ping_websub_hub_task",
    autoretry_for=(websub.TransientHubError,),
    retry_backoff=30,
    retry_backoff_max=60 * 60,
    retry_jitter=True,
    max_retries=8,  # about four hours of a hub being down
    ignore_result=True,
)
def ping_websub_hub_task(self, hub_url: str, feed_url: str) -> None:
    """Tell ``hub_url`` that ``feed_url`` changed. A hub that cannot be reached or fails is
    tried again with backoff, or after the time its ``Retry-After`` asks for; a hub that
    refuses the ping is logged and left alone."""
    try:
        websub.ping_hub(hub_url, feed_url)
    except websub.TransientHubError as error:
        if error.retry_after is None:
            raise  # autoretry_for: exponential backoff with jitter
        raise self.retry(exc=error, countdown=error.retry_after) from error
    except websub.HubRefusedError as error:
        logger.warning("WebSub hub refused the ping for %s: %s", feed_url, error.detail)
