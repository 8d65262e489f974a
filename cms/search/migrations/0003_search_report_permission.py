"""Wagtail's "Editors" and "Moderators" see the "Suchanfragen" report: it is the editors'
signal of what visitors look for. The permission of 0001 exists only after ``post_migrate``,
so it is created here for the same ``migrate``."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAME = "view_searchquerycount"


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(content_type__app_label="site_search", codename=CODENAME)


def grant(apps, schema_editor):
    app_config = apps.get_app_config("site_search")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=("Editors", "Moderators")):
        group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=("Editors", "Moderators")):
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("site_search", "0002_postgres_full_text"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
