from django.db import migrations, models


def fill_required_step_ids(apps, schema_editor):
    from cms.learning.structure import required_step_ids

    units = apps.get_model("learning", "LearningUnitPage")
    for unit in units.objects.all().only("pk", "steps"):
        ids = required_step_ids(unit.steps.raw_data)
        units.objects.filter(pk=unit.pk).update(required_step_ids=ids)


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0002_alter_unitprogress_options"),
    ]

    operations = [
        migrations.AddField(
            model_name="learningunitpage",
            name="required_step_ids",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.RunPython(fill_required_step_ids, migrations.RunPython.noop),
    ]
