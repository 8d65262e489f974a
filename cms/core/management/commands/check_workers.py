import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from cms.core.tasks import ping_queue


class Command(BaseCommand):
    help = "Send a ping task to each Celery queue and report which worker answered."

    def add_arguments(self, parser):
        parser.add_argument("--queue", action="append", dest="queues")
        parser.add_argument("--timeout", type=float, default=15.0)

    def handle(self, *args, queues=None, timeout=15.0, **options):
        queues = queues or [settings.CELERY_TASK_DEFAULT_QUEUE, "media"]
        from media_pipeline import asr

        if asr.enabled() and "asr" not in queues:
            queues = [*queues, "asr"]  # speech recognition has a queue of its own
        failed = False
        for queue in queues:
            hostname = ping_queue(queue, timeout)
            if hostname is None:
                failed = True
                self.stderr.write(f"{queue}: no worker answered within {timeout:g} s")
            else:
                self.stdout.write(f"{queue}: answered by {hostname}")
        if failed:
            sys.exit(1)
