"""The podcast specs name their loudness target and mono bitrate now
(``mp3|bitrate-128k|mono-64k|loudnorm-16``). The outputs are the same as those of the old
defaults (−16 LUFS, mono −19 at half the bitrate), so existing rows take the new names instead
of being made again."""

from django.db import migrations

RENAMED = {
    "mp3|bitrate-128k|loudnorm": "mp3|bitrate-128k|mono-64k|loudnorm-16",
    "aac|bitrate-96k|loudnorm": "aac|bitrate-96k|mono-48k|loudnorm-16",
}


def rename_specs(apps, schema_editor):
    from media_pipeline.specs import recipe

    MediaRendition = apps.get_model("media_pipeline", "MediaRendition")
    for old, new in RENAMED.items():
        taken = MediaRendition.objects.filter(spec=new).values_list("media_file_id", flat=True)
        MediaRendition.objects.filter(spec=old).exclude(media_file_id__in=list(taken)).update(
            spec=new
        )
    for rendition in MediaRendition.objects.all().only("pk", "spec"):
        MediaRendition.objects.filter(pk=rendition.pk).update(recipe=recipe(rendition.spec))


def restore_specs(apps, schema_editor):
    MediaRendition = apps.get_model("media_pipeline", "MediaRendition")
    for old, new in RENAMED.items():
        MediaRendition.objects.filter(spec=new).update(spec=old)


class Migration(migrations.Migration):
    dependencies = [("media_pipeline", "0003_batch_attempt")]

    operations = [migrations.RunPython(rename_specs, restore_specs)]
