"""Operations shared by migrations."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_GROUPS = ("Editors", "Moderators")


def grant_to_editors(app_label: str, codenames: tuple[str, ...]) -> migrations.RunPython:
    """Give Wagtail's Editors and Moderators these permissions of ``app_label`` (reversible).

    A new model's permissions exist only after ``post_migrate``; they are created here so the
    grant works within the same ``migrate`` run."""

    def permissions(apps):
        Permission = apps.get_model("auth", "Permission")
        return Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)

    def grant(apps, schema_editor):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
        for group in apps.get_model("auth", "Group").objects.filter(name__in=EDITOR_GROUPS):
            group.permissions.add(*permissions(apps))

    def revoke(apps, schema_editor):
        for group in apps.get_model("auth", "Group").objects.filter(name__in=EDITOR_GROUPS):
            group.permissions.remove(*permissions(apps))

    return migrations.RunPython(grant, revoke)
