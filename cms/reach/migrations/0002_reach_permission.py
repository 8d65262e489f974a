"""Wagtail's "Editors" and "Moderators" see the reach figures ("Reichweite"). The permission
of 0001 exists only after ``post_migrate``, so it is created here for the same ``migrate``."""

from django.db import migrations

from cms.core.migration_operations import grant_to_editors


class Migration(migrations.Migration):
    dependencies = [
        ("reach", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [grant_to_editors("reach", ("view_reach",))]
