from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DigitalCheckConfig(AppConfig):
    name = "cms.digitalcheck"
    label = "digitalcheck"
    verbose_name = _("Digital-Check")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
