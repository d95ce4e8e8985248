from importlib import import_module

from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig, apps
from django.contrib.admin.apps import SimpleAdminConfig
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig
from rest_framework_api_key.apps import RestFrameworkApiKeyConfig

# django-leaflet ships leaflet/admin.py, which imports django.contrib.gis and so needs GDAL.
# The app decided against GDAL (DESIGN.md, decision 1), so admin discovery skips it; the
# project's map widgets (nansha.staff.widgets) use django-leaflet's static files and settings only.
ADMIN_DISCOVERY_SKIPS = {"leaflet"}


class NanshaAdminConfig(SimpleAdminConfig):
    """The stock admin, discovering every app's admin module except those that need GDAL."""

    def ready(self):
        super().ready()
        for app_config in apps.get_app_configs():
            if app_config.name in ADMIN_DISCOVERY_SKIPS:
                continue
            if module_has_submodule(app_config.module, "admin"):
                import_module(f"{app_config.name}.admin")
        self.check_every_admins_input()

    def check_every_admins_input(self):
        """Every registered ModelAdmin, ours and the libraries' (users, API keys, ...), refuses what the
        database cannot take (nansha/staff/admin_input.py)."""
        from .staff.admin_input import CheckedInputAdmin, checked

        for model, model_admin in list(self.module.site._registry.items()):
            if not isinstance(model_admin, CheckedInputAdmin):
                self.module.site.unregister(model)
                self.module.site.register(model, checked(type(model_admin)))


class NanshaConfig(AppConfig):
    """Pages and commands that combine the apps: the map, chain, matching, statistics, API, demo data."""

    default = True  # this module also holds the admin's config
    name = "nansha"
    verbose_name = _("Nansha biomedical industry map")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
        from simple_history.signals import pre_create_historical_record

        from .management.commands.rebuild_search_index import fill_empty_search_columns
        from .ops.cache import bump_data_version
        from .staff.history import note_channel
        from .staff.roles import sync_roles

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(bump_data_version, dispatch_uid=f"nansha-cache-{signal}")
        # Sent per app with models (this one has none): once the last record app is migrated.
        pre_create_historical_record.connect(note_channel, dispatch_uid="nansha-history-channel")
        post_migrate.connect(sync_roles, sender=apps.get_app_config("policies"), dispatch_uid="nansha-roles")
        post_migrate.connect(
            fill_empty_search_columns, sender=apps.get_app_config("policies"), dispatch_uid="nansha-search-columns"
        )


# Third-party apps whose names the admin index shows in English in every language ("API Key Permissions",
# "Axes", "Tasks Database Backend"): the same apps under names in the page's language (INSTALLED_APPS).
class APIKeyConfig(RestFrameworkApiKeyConfig):
    verbose_name = _("Partner API keys")


class SignInLockoutConfig(AxesConfig):
    verbose_name = _("Sign-in lockouts")


class TaskResultsConfig(TasksAppConfig):
    verbose_name = _("Background task records")
