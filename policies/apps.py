from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    """Support policies and their eligibility conditions."""

    name = "policies"
    verbose_name = _("Policies")
