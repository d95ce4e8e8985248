from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    """Investment-promotion leads (招商线索)."""

    name = "leads"
    verbose_name = _("Investment-promotion leads")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_save

        from . import home, signals  # noqa: F401  (home adds "My leads" to the staff home page)

        for sender in ("parks.Space", "parks.Park", "policies.Policy"):
            post_save.connect(signals.supply_changed, sender=sender, dispatch_uid=f"leads-supply-{sender}")
