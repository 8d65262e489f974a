from celery import shared_task


@shared_task(name="reach.aggregate_reach")
def aggregate_reach() -> dict:
    """Fold raw reach events into daily figures and purge old raw events (beat: hourly)."""
    from .aggregate import fold

    summary = fold()
    summary["since"] = summary["since"].isoformat()
    return summary


@shared_task(name="reach.send_follow_up_mails_task")
def send_follow_up_mails_task() -> int:
    """The follow-up question by e-mail to account holders who opted in (beat: daily)."""
    from .follow_up import send_follow_up_mails

    return send_follow_up_mails()
