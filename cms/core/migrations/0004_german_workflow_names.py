"""Wagtail's default moderation workflow and its task are created as "Moderators approval"
(the group's name plus " approval"), which the German admin shows as "In Moderators approval
einreichen". The centres' editors work in German: name both in German unless an operator has
renamed them already. Data, not a translation: a workflow has one name in every admin
language."""

from django.db import migrations

DEFAULT = "Moderators approval"
WORKFLOW = "Redaktionsfreigabe"
TASK = "Freigabe durch die Redaktion"


def rename(apps, workflow_name, task_name, old_workflow, old_task):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=old_workflow).update(
        name=workflow_name
    )
    apps.get_model("wagtailcore", "Task").objects.filter(name=old_task).update(name=task_name)


def forwards(apps, schema_editor):
    rename(apps, WORKFLOW, TASK, DEFAULT, DEFAULT)


def backwards(apps, schema_editor):
    rename(apps, DEFAULT, DEFAULT, WORKFLOW, TASK)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_cache_generation"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
