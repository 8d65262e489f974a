"""Key terms, related episodes and related units of a video become ordered chooser rows.

The three ``ParentalManyToManyField``s were multi-selects listing every term and page of the
site. Their rows are copied into orderable through models (``VideoKeyTerm``,
``VideoRelatedEpisode``, ``VideoRelatedUnit``), in the order the video page showed them
(terms by name, pages in the order they were added), and the fields come back as plain
many-to-many fields over those rows. Stored revisions are rewritten too, so a draft opened
after the upgrade still has its choices.
"""

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models

# (old field, through model, child relation, field naming the item, old column, ordering)
RELATIONS = (
    ("glossary_terms", "VideoKeyTerm", "key_term_links", "term", "glossaryterm", "glossaryterm__term"),
    ("related_episodes", "VideoRelatedEpisode", "related_episode_links", "episode", "podcastepisodepage", "pk"),
    ("related_units", "VideoRelatedUnit", "related_unit_links", "unit", "learningunitpage", "pk"),
)  # fmt: skip


def copy_relations_to_rows(apps, schema_editor):
    video_model = apps.get_model("videos", "ExplainerVideoPage")
    for old_field, through, _relation, item, column, ordering in RELATIONS:
        old_through = video_model._meta.get_field(old_field).remote_field.through
        new_model = apps.get_model("videos", through)
        rows, positions = [], {}
        for page_id, item_id in old_through.objects.order_by(
            "explainervideopage_id", ordering, "pk"
        ).values_list("explainervideopage_id", f"{column}_id"):
            position = positions.get(page_id, 0)
            positions[page_id] = position + 1
            rows.append(
                new_model(page_id=page_id, sort_order=position, **{f"{item}_id": item_id})
            )
        new_model.objects.bulk_create(rows, batch_size=500)
    _rewrite_revisions(apps, to_rows=True)


def copy_rows_to_relations(apps, schema_editor):
    video_model = apps.get_model("videos", "ExplainerVideoPage")
    for old_field, through, _relation, item, column, _ordering in RELATIONS:
        old_through = video_model._meta.get_field(old_field).remote_field.through
        new_model = apps.get_model("videos", through)
        old_through.objects.bulk_create(
            [
                old_through(explainervideopage_id=page_id, **{f"{column}_id": item_id})
                for page_id, item_id in new_model.objects.order_by(
                    "page_id", "sort_order", "pk"
                ).values_list("page_id", f"{item}_id")
            ],
            batch_size=500,
        )
    _rewrite_revisions(apps, to_rows=False)


def rewrite_revision_content(content: dict, page_id, *, to_rows: bool) -> bool:
    """Turn one revision's lists of ids into child rows (or back); True if it changed."""
    changed = False
    for old_field, _through, relation, item, _column, _ordering in RELATIONS:
        if to_rows and old_field in content and relation not in content:
            content[relation] = [
                {"pk": None, "page": page_id, item: item_id, "sort_order": position}
                for position, item_id in enumerate(content.pop(old_field) or [])
            ]
            changed = True
        elif not to_rows and relation in content and old_field not in content:
            rows = sorted(content.pop(relation) or [], key=lambda r: r.get("sort_order") or 0)
            content[old_field] = [row[item] for row in rows]
            changed = True
    return changed


def _rewrite_revisions(apps, *, to_rows: bool):
    content_type_model = apps.get_model("contenttypes", "ContentType")
    revision_model = apps.get_model("wagtailcore", "Revision")
    content_type = content_type_model.objects.filter(
        app_label="videos", model="explainervideopage"
    ).first()
    if content_type is None:
        return  # a new database: no pages, no revisions
    revisions = revision_model.objects.filter(content_type=content_type).only(
        "pk", "object_id", "content"
    )
    changed = []
    for revision in revisions.iterator(chunk_size=200):
        content = revision.content or {}
        page_id = content.get("pk") or int(revision.object_id)
        if rewrite_revision_content(content, page_id, to_rows=to_rows):
            changed.append(revision)
        if len(changed) >= 200:
            revision_model.objects.bulk_update(changed, ["content"])
            changed = []
    revision_model.objects.bulk_update(changed, ["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("learning", "0002_alter_unitprogress_options"),
        ("podcasts", "0002_episode_guid_verbose_name"),
        ("videos", "0003_related_units"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="VideoKeyTerm",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sort_order", models.IntegerField(blank=True, editable=False, null=True)),
                ("page", modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name="key_term_links", to="videos.explainervideopage")),
                ("term", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="video_links", to="videos.glossaryterm", verbose_name="key term")),
            ],
            options={"verbose_name": "key term of a video", "ordering": ["sort_order"], "abstract": False},
        ),
        migrations.CreateModel(
            name="VideoRelatedEpisode",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sort_order", models.IntegerField(blank=True, editable=False, null=True)),
                ("episode", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="podcasts.podcastepisodepage", verbose_name="podcast episode")),
                ("page", modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name="related_episode_links", to="videos.explainervideopage")),
            ],
            options={"verbose_name": "related podcast episode", "ordering": ["sort_order"], "abstract": False},
        ),
        migrations.CreateModel(
            name="VideoRelatedUnit",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sort_order", models.IntegerField(blank=True, editable=False, null=True)),
                ("page", modelcluster.fields.ParentalKey(on_delete=django.db.models.deletion.CASCADE, related_name="related_unit_links", to="videos.explainervideopage")),
                ("unit", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="learning.learningunitpage", verbose_name="self-learning unit")),
            ],
            options={"verbose_name": "related self-learning unit", "ordering": ["sort_order"], "abstract": False},
        ),
        migrations.AddConstraint(
            model_name="videokeyterm",
            constraint=models.UniqueConstraint(fields=("page", "term"), name="unique_key_term_per_video"),
        ),
        migrations.AddConstraint(
            model_name="videorelatedepisode",
            constraint=models.UniqueConstraint(fields=("page", "episode"), name="unique_related_episode_per_video"),
        ),
        migrations.AddConstraint(
            model_name="videorelatedunit",
            constraint=models.UniqueConstraint(fields=("page", "unit"), name="unique_related_unit_per_video"),
        ),
        migrations.RunPython(copy_relations_to_rows, copy_rows_to_relations),
        migrations.RemoveField(model_name="explainervideopage", name="glossary_terms"),
        migrations.RemoveField(model_name="explainervideopage", name="related_episodes"),
        migrations.RemoveField(model_name="explainervideopage", name="related_units"),
        migrations.AddField(
            model_name="explainervideopage",
            name="glossary_terms",
            field=models.ManyToManyField(blank=True, related_name="videos", through="videos.VideoKeyTerm", to="videos.glossaryterm", verbose_name="key terms"),
        ),
        migrations.AddField(
            model_name="explainervideopage",
            name="related_episodes",
            field=models.ManyToManyField(blank=True, related_name="+", through="videos.VideoRelatedEpisode", to="podcasts.podcastepisodepage", verbose_name="related podcast episodes"),
        ),
        migrations.AddField(
            model_name="explainervideopage",
            name="related_units",
            field=models.ManyToManyField(blank=True, related_name="+", through="videos.VideoRelatedUnit", to="learning.learningunitpage", verbose_name="related self-learning units"),
        ),
    ]  # fmt: skip
