from django.utils import timezone
from wagtail.admin.panels import Panel

from .models import REACH_PERMISSION, FoldState
from .report import MIN_GROUP, item_figures


class ReachFiguresPanel(Panel):
    """An episode's or video's own reach on its edit page, for holders of view_reach."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "reach/admin/item_figures_panel.html"

        def is_shown(self):
            return (
                self.instance is not None
                and self.instance.pk is not None
                and self.request is not None
                and self.request.user.has_perm(REACH_PERMISSION)
            )

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            state = FoldState.objects.first()
            context.update(
                figures=item_figures(self.instance, timezone.localdate()),
                min_group=MIN_GROUP,
                folded_at=state.folded_at if state else None,
            )
            return context
