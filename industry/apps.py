from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndustryConfig(AppConfig):
    """The industry chain, its enterprises and the institutions around them."""

    name = "industry"
    verbose_name = _("Industry")
