"""Blocks of the questionnaire an editor builds on a ``DigitalCheckPage``.

Every dimension, question and topic pair is a StreamField or ListBlock child with a UUID;
answers refer to these UUIDs through the frozen ``QuestionnaireVersion`` snapshot.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock


class QuestionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("statement"), max_length=300)
    hint = blocks.CharBlock(label=_("hint"), max_length=300, required=False)

    class Meta:
        icon = "help"
        label = _("question")


class DimensionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120)
    intro = blocks.TextBlock(label=_("introduction"), required=False)
    questions = blocks.ListBlock(QuestionBlock(), label=_("questions"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("dimension")


class TopicPairBlock(blocks.StructBlock):
    """ "Das setzen wir um" / "Das ist für uns wichtig" for one topic."""

    topic = SnippetChooserBlock("taxonomy.Topic", label=_("topic"))
    implementation = blocks.CharBlock(
        label=_("implementation statement"),
        max_length=300,
        help_text=_("For example: “We use social media purposefully.”"),
    )
    relevance = blocks.CharBlock(
        label=_("relevance statement"),
        max_length=300,
        help_text=_("For example: “Social media is important for us.”"),
    )

    class Meta:
        icon = "tag"
        label = _("topic")


class DimensionsBlock(blocks.StreamBlock):
    dimension = DimensionBlock()


class TopicPairsBlock(blocks.StreamBlock):
    topic = TopicPairBlock()
