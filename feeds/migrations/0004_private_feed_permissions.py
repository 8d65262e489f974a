"""Wagtail's "Editors" and "Moderators" manage the private feeds of their shows (create, revoke,
see the counts); deleting a token stays with superusers, since a revoked token is the record
that a feed once existed. The permissions of 0003 exist only after ``post_migrate``, so they
are created here for the same ``migrate`` run."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ("add_privatefeedtoken", "change_privatefeedtoken", "view_privatefeedtoken")


def grant(apps, schema_editor):
    app_config = apps.get_app_config("feeds")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="feeds", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=("Editors", "Moderators")):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="feeds", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=("Editors", "Moderators")):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("feeds", "0003_private_feeds"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
