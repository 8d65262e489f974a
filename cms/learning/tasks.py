from celery import shared_task
from django.conf import settings

from .progress import purge_anonymous_learners


@shared_task(name="learning.purge_anonymous_learners_task")
def purge_anonymous_learners_task():
    return purge_anonymous_learners(settings.LEARNING_ANONYMOUS_RETENTION_DAYS)
