"""Loading the article's entities (nansha.datasets.demo_data) into the database, idempotently."""

from django.db import transaction

from industry.models import (
    ChainSegment,
    ClinicalProject,
    Enterprise,
    Hospital,
    ResearchInstitution,
    ServicePlatform,
    SignedProject,
)
from nansha.datasets import data_file, demo_data
from nansha.datasets.public_records import LOADED_BY, load_public_records
from nansha.datasets.public_reports import load_public_reports
from nansha.datasets.reference_data import load_reference_data
from nansha.records.models import PublicationStatus, record_deferred_history
from parks.models import Park
from policies.models import Policy, SupportKind

# Keys that name related records rather than fields: (key, model, field the value is looked up by).
RELATIONS = {
    "segments": (ChainSegment, "code"),
    "focus_segments": (ChainSegment, "code"),
    "target_segments": (ChainSegment, "code"),
    "support_kinds": (SupportKind, "code"),
}
FOREIGN_KEYS = {
    "parent": (Park, "name_zh"),
    "park": (Park, "name_zh"),
    "hospital": (Hospital, "name_zh"),
    "enterprise": (Enterprise, "name_zh"),
}


def _create(model, row, key="name_zh"):
    """Create the record `row` describes unless one with its key exists. Returns 1 if created."""
    fields = dict(row)
    many = {name: fields.pop(name) for name in list(fields) if name in RELATIONS}
    for name in [n for n in fields if n in FOREIGN_KEYS]:
        related_model, lookup = FOREIGN_KEYS[name]
        fields[name] = related_model.objects.get(**{lookup: fields[name]})
    if "position" in fields:
        fields["lat"], fields["lng"] = fields.pop("position")
        fields["position_is_approximate"] = True
    source = demo_data.ARTICLE + (demo_data.ALIASES_SOURCE if fields.get("aliases") else "")
    existing = model.objects.filter(**{key: fields[key]}).first()
    if existing is not None:  # already there: staff edits since the first load are kept
        if fields.get("aliases") and not existing.aliases:  # loaded before records had short names
            existing.aliases, existing.source = fields["aliases"], source
            existing._change_reason = LOADED_BY
            existing.save(update_fields=["aliases", "source"])
        return 0
    record = model(**fields, source=source, verified_on=demo_data.VERIFIED_ON, status=PublicationStatus.PUBLISHED)
    record.full_clean()
    record._change_reason, record.defer_history = LOADED_BY, True  # one history entry, with the links
    record.save()
    for name, values in many.items():
        related_model, lookup = RELATIONS[name]
        getattr(record, name).set(related_model.objects.filter(**{f"{lookup}__in": values}))
    record_deferred_history(record)
    return 1


@transaction.atomic
def load_demo(path=data_file.DATA):
    """Load the reference vocabularies, the article's entities and the public reports (`path`, a JSON file).

    The public reports' parks, hospitals, institutions, platforms, enterprises, funds and headline figures
    go through the staff import (nansha.datasets.public_records); their policies and clauses through
    nansha.datasets.public_reports. Returns {label: records created (or completed)}. Raises
    data_file.DataFileError, naming the record and the field, for a damaged or partial file: nothing is loaded.
    """
    data = data_file.read(path)  # checked before anything is written
    created = {"reference vocabularies": load_reference_data()}
    steps = [
        ("parks", Park, demo_data.PARKS, "name_zh"),
        ("hospitals", Hospital, demo_data.HOSPITALS, "name_zh"),
        ("universities and institutes", ResearchInstitution, demo_data.RESEARCH_INSTITUTIONS, "name_zh"),
        ("platforms", ServicePlatform, demo_data.PLATFORMS, "name_zh"),
        ("enterprises", Enterprise, demo_data.ENTERPRISES, "name_zh"),
        ("policies", Policy, demo_data.POLICIES, "title_zh"),
        ("clinical projects", ClinicalProject, demo_data.CLINICAL_PROJECTS, "name_zh"),
        ("signed projects", SignedProject, demo_data.SIGNED_PROJECTS, "name_zh"),
    ]
    for label, model, rows, key in steps:
        created[label] = sum(_create(model, row, key) for row in rows)
    for label, count in load_public_records(data).items():
        created[f"{label} (public reports)"] = count
    reports = load_public_reports(data["policies"])
    created["policies (public reports)"] = reports["policies"]
    created["policy clauses (public reports)"] = reports["clauses"]
    return created
