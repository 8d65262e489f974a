from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("Level 2")), ("h3", _("Level 3")), ("h4", _("Level 4"))],
        default="h2",
        help_text=_("Keep levels in order for screen-reader users: no jump from 2 to 4."),
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        preview_value = {"text": "Digitalisierung im Mittelstand", "level": "h2"}


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=300)

    class Meta:
        icon = "image"
        template = "blocks/captioned_image_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        preview_value = {
            "text": "Wir haben klein angefangen und sofort Zeit gespart.",
            "attribution": "Inhaberin einer Tischlerei",
        }


class BaseStreamBlock(blocks.StreamBlock):
    """The body blocks every content page shares; content apps extend it."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("paragraph"),
        icon="pilcrow",
        features=["bold", "italic", "link", "ol", "ul", "document-link"],
        template="blocks/paragraph_block.html",
    )
    image = CaptionedImageBlock(label=_("image"))
    quote = QuoteBlock(label=_("quote"))
