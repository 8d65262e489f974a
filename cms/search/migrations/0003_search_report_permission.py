"""Wagtail's "Editors" and "Moderators" see the "Suchanfragen" report: it is the editors'
signal of what visitors look for. The permission of 0001 exists only after ``post_migrate``,
so it is created here for the same ``migrate``."""

from django.db import migrations

from cms.core.migration_operations import grant_to_editors

CODENAME = "view_searchquerycount"


class Migration(migrations.Migration):
    dependencies = [
        ("site_search", "0002_postgres_full_text"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [grant_to_editors("site_search", (CODENAME,))]
