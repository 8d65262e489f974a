from django.db import models, transaction
from django.db.models import F


class FeedGeneration(models.Model):
    """A counter that moves whenever anything a feed shows may have changed.

    Built feeds are cached under the current generation, so a change made in any process (a
    worker finishing a rendition, an editor publishing) invalidates the cache of every web
    process, whatever cache backend is configured: the counter lives in the database, which
    all of them share. One counter for all feeds: shows are few, rebuilding is cheap, and no
    change can be missed by a too-narrow invalidation rule.
    """

    key = models.CharField(max_length=50, unique=True)
    value = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    PODCASTS = "podcasts"

    class Meta:
        verbose_name = "feed generation"

    def __str__(self):
        return f"{self.key}: {self.value}"

    @classmethod
    def current(cls, key: str = PODCASTS) -> str:
        """A token for cache keys; with the time of the last change in it, a database restored
        from a backup (an older counter) cannot meet cache entries of the newer one."""
        row = cls.objects.filter(key=key).values_list("value", "changed_at").first()
        return f"{row[0]}.{row[1].timestamp():.6f}" if row else "0"

    @classmethod
    def bump(cls, key: str = PODCASTS) -> None:
        with transaction.atomic():
            if not cls.objects.filter(key=key).update(value=F("value") + 1):
                cls.objects.get_or_create(key=key, defaults={"value": 1})
