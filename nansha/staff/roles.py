"""Staff roles, kept as groups with the right permissions after every migrate.

- editors (编辑): add, change, delete and publish every record and vocabulary entry, import and
  export spreadsheets, revert history;
- viewers (查看): read every record, its history and the freshness page in the admin, export;
  change nothing;
- investment promotion (招商): work the leads (leads/), with the investors' personal data, and turn signed
  ones into signed-project records; read every record; no other change. Editors and viewers get no permission
  on leads: they never see them;
- superusers: everything, including users, roles, API keys and login lockouts.

A staff user gets a role by being put in its group (admin → Users → Groups). The API applies the
same permissions to writes as the admin.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions

EDITORS = "editors"
VIEWERS = "viewers"
INVESTMENT_PROMOTION = "investment-promotion"
RECORD_APPS = ("industry", "parks", "policies")


def record_permissions():
    """The permissions on the record apps' models, history tables left out (history is read through the record)."""
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label__in=RECORD_APPS).exclude(
        content_type__model__startswith="historical"
    )


def sync_roles(using="default", **kwargs):
    """Create the role groups, or set their permissions back to the definition above."""
    from django.contrib.auth.models import Group

    for label in (*RECORD_APPS, "leads"):  # permissions are made per app after migrate; make sure ours exist now
        create_permissions(apps.get_app_config(label), verbosity=0, using=using)
    permissions = record_permissions().using(using)
    editors, _created = Group.objects.using(using).get_or_create(name=EDITORS)
    editors.permissions.set(permissions)
    viewers, _created = Group.objects.using(using).get_or_create(name=VIEWERS)
    viewers.permissions.set(permissions.filter(codename__startswith="view_"))
    promotion, _created = Group.objects.using(using).get_or_create(name=INVESTMENT_PROMOTION)
    promotion.permissions.set(investment_promotion_permissions().using(using))


def investment_promotion_permissions():
    """Leads (add, change, view; never delete), their personal data, signed projects (add, change), view of all."""
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    leads = Q(content_type__app_label="leads") & ~Q(content_type__model__startswith="historical")
    return Permission.objects.filter(
        (leads & ~Q(codename__startswith="delete_"))
        | Q(content_type__app_label="industry", codename__in=["add_signedproject", "change_signedproject"])
        | Q(pk__in=record_permissions().filter(codename__startswith="view_").values("pk"))
    )
