from django.core.management.base import BaseCommand

from cms.search.indexing import rebuild


class Command(BaseCommand):
    help = "Rebuild the site search index from the live, public pages and key terms."

    def handle(self, *args, **options):
        count = rebuild()
        self.stdout.write(f"Search index rebuilt: {count} documents.")
