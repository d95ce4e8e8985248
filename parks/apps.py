from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParksConfig(AppConfig):
    """Parks, incubators and science parks, and the space they have for rent."""

    name = "parks"
    verbose_name = _("Parks and space")
