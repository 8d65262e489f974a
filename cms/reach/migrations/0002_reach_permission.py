"""Wagtail's "Editors" and "Moderators" see the reach figures ("Reichweite"). The permission
of 0001 exists only after ``post_migrate``, so it is created here for the same ``migrate``."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("reach")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="reach", codename="view_reach"
    )
    for group in Group.objects.filter(name__in=("Editors", "Moderators")):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="reach", codename="view_reach"
    )
    for group in Group.objects.filter(name__in=("Editors", "Moderators")):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("reach", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
