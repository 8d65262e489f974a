from wagtail.admin.panels import InlinePanel


class TextTrackInlinePanel(InlinePanel):
    """An InlinePanel whose rows use ``TextTrackForm`` (it adds the file upload field)."""

    def get_form_options(self):
        from .forms import TextTrackForm

        options = super().get_form_options()
        options["formsets"][self.relation_name]["form"] = TextTrackForm
        return options
