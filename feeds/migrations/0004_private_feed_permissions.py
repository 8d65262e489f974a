"""Wagtail's "Editors" and "Moderators" manage the private feeds of their shows (create, revoke,
see the counts); deleting a token stays with superusers, since a revoked token is the record
that a feed once existed. The permissions of 0003 exist only after ``post_migrate``, so they
are created here for the same ``migrate`` run."""

from django.db import migrations

from cms.core.migration_operations import grant_to_editors

CODENAMES = ("add_privatefeedtoken", "change_privatefeedtoken", "view_privatefeedtoken")


class Migration(migrations.Migration):
    dependencies = [
        ("feeds", "0003_private_feeds"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [grant_to_editors("feeds", CODENAMES)]
