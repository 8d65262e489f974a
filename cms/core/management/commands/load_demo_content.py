"""Load the German/English demo site. Safe to run again: it only adds what is missing.

Files go through the configured storage (local disk or S3), as bakerydemo's loader does.
"""

import os
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from wagtail.models import Collection, Locale, Page, Site

from cms.core.demo_images import draw_text, png_bytes, wrap
from cms.core.models import AccessibilityStatementPage, HomePage, SiteSettings, StandardPage
from cms.digitalcheck.demo import ensure_demo_digitalcheck
from cms.images.models import CustomImage
from cms.learning.demo import ensure_demo_learning
from cms.people.models import Person
from cms.podcasts.demo import ensure_demo_podcast
from cms.reach.demo import ensure_demo_reach
from cms.taxonomy.models import MaturityLevel, Topic
from cms.videos.demo import ensure_demo_videos

from . import _demo_texts as texts

DEMO_ADMIN_USERNAME = "admin"


class Command(BaseCommand):
    help = "Create the demo site (German with English translations); idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--admin-password",
            default=os.environ.get("DEMO_ADMIN_PASSWORD", "lernfunk-demo"),
            help="Password for the demo admin user (only used when the user is created).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo even where settings forbid it (production): creates a "
            "superuser with a known password.",
        )

    def handle(self, *args, **options):
        if not settings.DEMO_CONTENT_ALLOWED and not options["force"]:
            raise CommandError(
                "These are production settings: the demo would add sample pages and an "
                f"'{DEMO_ADMIN_USERNAME}' superuser with a known password. Run with --force "
                "if you really mean it."
            )
        self.load(options)

    @transaction.atomic
    def load(self, options):
        # Wagtail's migrations create the root page and collection; a flushed database (as in
        # transactional tests) lacks them.
        if not Collection.get_first_root_node():
            Collection.add_root(name="Root")
        german = Locale.objects.get_or_create(language_code="de")[0]
        english = Locale.objects.get_or_create(language_code="en")[0]

        home = self.ensure_home(german)
        self.ensure_translation(home, english, texts.HOME_EN)

        legal = {}
        for key, german_fields, english_fields in texts.STANDARD_PAGES:
            model = AccessibilityStatementPage if key == "accessibility" else StandardPage
            page = self.ensure_child(home, model, german_fields)
            self.ensure_translation(page, english, english_fields)
            legal[key] = page

        self.ensure_taxonomy(german, english)
        self.ensure_people(german, english)
        self.ensure_site_settings(home, legal)
        podcast = ensure_demo_podcast(home)
        self.stdout.write(
            f"Demo podcast: {podcast.title} ({podcast.get_episodes().count()} episodes)"
        )
        videos = ensure_demo_videos(home)
        self.stdout.write(f"Demo videos: {videos.title} ({videos.get_videos().count()} videos)")
        learning = ensure_demo_learning(home)
        self.stdout.write(f"Demo learning: {learning.title} ({learning.get_units().count()})")
        check = ensure_demo_digitalcheck(home)
        self.stdout.write(f"Demo Digital-Check: {check.title} ({check.versions.count()} version)")
        if ensure_demo_reach(
            list(podcast.get_episodes()),
            list(videos.get_videos()),
            list(learning.get_units()),
        ):
            self.stdout.write("Demo reach: 90 days of synthetic downloads and plays, folded")
        created = self.ensure_admin(options["admin_password"])

        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
        if created:
            self.stdout.write(
                f"Admin login: {DEMO_ADMIN_USERNAME} / {options['admin_password']} (at /admin/)"
            )

    # --- pages ---------------------------------------------------------------------------
    def ensure_home(self, locale):
        site = Site.objects.filter(is_default_site=True).first()
        home = HomePage.objects.filter(locale=locale).first()
        if home is None:
            root = Page.get_first_root_node() or Page.add_root(
                instance=Page(title="Root", slug="root", locale=locale)
            )
            home = root.add_child(instance=HomePage(locale=locale, **texts.HOME_DE))
            home.save_revision().publish()
        if site is None:
            site = Site(is_default_site=True)
        base_url = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        site.hostname = base_url.hostname or "localhost"
        site.port = base_url.port or (443 if base_url.scheme == "https" else 80)
        if site.root_page_id != home.pk:
            previous = site.root_page_id
            site.root_page = home
            site.site_name = "Lernfunk"
            site.save()
            # The placeholder page Wagtail's first migration creates is of no further use.
            Page.objects.filter(
                pk=previous,
                depth=2,
                content_type__model="page",
                content_type__app_label="wagtailcore",
            ).delete()
        site.save()
        return home

    def ensure_child(self, parent, model, fields):
        existing = parent.get_children().filter(slug=fields["slug"]).first()
        if existing:
            return existing.specific
        page = parent.add_child(instance=model(locale=parent.locale, **fields))
        page.save_revision().publish()
        return page

    def ensure_translation(self, page, locale, fields):
        existing = page.get_translations().filter(locale=locale).first()
        if existing:
            return existing.specific
        translated = page.copy_for_translation(locale)
        for name, value in fields.items():
            setattr(translated, name, value)
        translated.save_revision().publish()
        return translated

    # --- snippets ------------------------------------------------------------------------
    def ensure_snippet(self, model, locale, lookup, fields, translations, other_locale):
        instance = model.objects.filter(locale=locale, **lookup).first()
        if instance is None:
            instance = model.objects.create(locale=locale, **lookup, **fields)
        if not model.objects.filter(
            translation_key=instance.translation_key, locale=other_locale
        ).exists():
            copy = instance.copy_for_translation(other_locale)
            for name, value in translations.items():
                setattr(copy, name, value)
            copy.save()
        return instance

    def ensure_taxonomy(self, german, english):
        for slug, name_de, name_en, description_de, description_en in texts.TOPICS:
            self.ensure_snippet(
                Topic,
                german,
                {"slug": slug},
                {"name": name_de, "description": description_de},
                {"name": name_en, "description": description_en},
                english,
            )
        for order, (slug, name_de, name_en, description_de, description_en) in enumerate(
            texts.MATURITY_LEVELS
        ):
            self.ensure_snippet(
                MaturityLevel,
                german,
                {"slug": slug},
                {"name": name_de, "description": description_de, "sort_order": order},
                {"name": name_en, "description": description_en, "sort_order": order},
                english,
            )

    def ensure_people(self, german, english):
        for person in texts.PEOPLE:
            self.ensure_snippet(
                Person,
                german,
                {"name": person["name"]},
                person["de"],
                person["en"],
                english,
            )

    # --- settings and users --------------------------------------------------------------
    def ensure_site_settings(self, home, legal):
        site = Site.objects.get(root_page=home)
        site_settings = SiteSettings.for_site(site)
        if site_settings.funder_name:
            return
        for name, value in texts.SITE_SETTINGS.items():
            setattr(site_settings, name, value)
        site_settings.funder_logo = self.ensure_funder_logo()
        site_settings.imprint_page = legal["imprint"]
        site_settings.privacy_page = legal["privacy"]
        site_settings.accessibility_page = legal["accessibility"]
        site_settings.save()

    def ensure_funder_logo(self):
        title = "Logo Fördermittelgeber (Demo)"
        existing = CustomImage.objects.filter(title=title).first()
        if existing:
            return existing
        from PIL import Image, ImageDraw

        canvas = Image.new("RGB", (480, 240), "white")
        draw = ImageDraw.Draw(canvas)
        draw.rectangle((0, 0, 24, 240), fill=(0, 0, 0))
        draw.rectangle((24, 0, 48, 240), fill=(221, 0, 0))
        draw.rectangle((48, 0, 72, 240), fill=(255, 206, 0))
        # The name the footer prints beside the logo, so logo and text agree.
        name = wrap(texts.SITE_SETTINGS["funder_name"], 30, 360)
        draw_text(draw, (96, 40), f"{name}\n(Demo)", 30, fill=(0, 0, 0), spacing=8)
        buffer = png_bytes(canvas)
        image = CustomImage(title=title, credit="Demo")
        image.file = ImageFile(buffer, name="funder-logo.png")
        image.save()
        return image

    def ensure_admin(self, password):
        user_model = get_user_model()
        if user_model.objects.filter(username=DEMO_ADMIN_USERNAME).exists():
            return False
        user_model.objects.create_superuser(
            username=DEMO_ADMIN_USERNAME, email="admin@example.org", password=password
        )
        return True
