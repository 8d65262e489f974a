from celery import shared_task


@shared_task(name="reach.aggregate_reach")
def aggregate_reach() -> dict:
    """Fold raw reach events into daily figures and purge old raw events (beat: hourly)."""
    from .aggregate import fold

    summary = fold()
    summary["since"] = summary["since"].isoformat()
    return summary
