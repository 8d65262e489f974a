"""The group "Auswertung" for the needs dashboard and the learning reports.

The permissions of migrations 0002 exist only after ``post_migrate``; they are created
here so the group can hold them in the same ``migrate`` run. Wagtail's "Editors" and
"Moderators" keep the learning reports they had (aggregate numbers per unit); the needs
dashboard is for "Auswertung" and superusers only.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Auswertung"
DASHBOARD = ("digitalcheck", "view_needs_dashboard")
REPORTS = ("learning", "view_learning_report")
ADMIN = ("wagtailadmin", "access_admin")


def ensure_statistics_group(apps, schema_editor):
    for label in ("digitalcheck", "learning"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permission(app_label, codename):
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)

    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(permission(*ADMIN), permission(*DASHBOARD), permission(*REPORTS))
    for name in ("Editors", "Moderators"):
        for existing in Group.objects.filter(name=name):
            existing.permissions.add(permission(*REPORTS))


def remove_statistics_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("digitalcheck", "0002_alter_submission_options"),
        ("learning", "0002_alter_unitprogress_options"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0002_initial_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(ensure_statistics_group, remove_statistics_group)]
