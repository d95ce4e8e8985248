"""Import and export of records as CSV or Excel (django-import-export), the way staff keep hundreds of rows right.

One column per model field, headed by the field's name (``name_zh``, ``park``, ``segments``...):
- related records by a key staff can read: chain segments, honours, stages and support kinds by
  their code, their Chinese name or their English name (any case), other records (parks,
  enterprises, hospitals) by their Chinese name; several values in one cell are separated by ";";
- dates as spreadsheet programs write them in Chinese locales: 2019-03-05, 2019/3/5, 2019.3.5,
  2019年3月5日, or an Excel date cell; a time of day other than 00:00 is refused (the column holds
  a date); the check says which of these forms it read;
- a text column (credit code, phone, other codes) whose cell is a number: a whole number is read
  as its digits ("1.0" never appears); one of more than 15 digits is refused, as Excel kept only
  its first 15 digits (format the column as Text);
- choices by their code or by their Chinese or English label;
- other names (aliases, synonyms) separated by ";";
- yes/no cells as 是/否, yes/no, true/false or 1/0; an empty cell is "unknown" where the field allows it;
- an ``id`` column updates that record; an empty ``id`` creates one.

Every row is read and validated as the admin form would (the model's full_clean), every
problem is reported with its row and column, and an import applies all rows or none.
"""

import re
from decimal import InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import NOT_PROVIDED
from django.utils.translation import gettext as _
from import_export import resources, widgets

from nansha.records.fields import AliasListField, ChoiceListField
from nansha.records.models import record_deferred_history
from nansha.records.spreadsheet_cells import quote_formula, unquote_formula
from nansha.staff.cell_widgets import (
    READING_PROBLEMS,
    SEPARATOR,
    AliasListWidget,
    CellProblem,
    ChoiceListWidget,
    ChoiceWidget,
    LocalDateWidget,
    RecordForeignKeyWidget,
    RecordManyToManyWidget,
    TextWidget,
    YesNoWidget,
    lookup_key,
)
from nansha.staff.history import CreatedRecordsHistory
from nansha.staff.versioning import last_change

__all__ = [
    "IMPORTABLE",
    "error_text",
    "resource_for",
    "row_problems",
]

# What staff keep in spreadsheets: the name used by `manage.py import_records`, and the model.
IMPORTABLE = {
    "enterprises": "industry.Enterprise",
    "spaces": "parks.Space",
    "policies": "policies.Policy",
    "institutions": "industry.ResearchInstitution",
    "hospitals": "industry.Hospital",
    "facts": "industry.EnterpriseFact",  # the figures policies ask about, one row per figure and date
    "parks": "parks.Park",
    "platforms": "industry.ServicePlatform",
    "funds": "industry.Fund",
    "signed-projects": "industry.SignedProject",
    "clinical-projects": "industry.ClinicalProject",
    "figures": "industry.StatedFigure",  # headline figures as sources state them
}
EXCLUDED = ("created_at", "updated_at", "name_pinyin", "search_names", "search_text")
VERSION = "version"


class NoDiff(resources.Diff):
    """No field-by-field diff of each row: the check reports counts and problems, not an HTML diff.

    import-export's Diff exports every field of every row twice (a query per many-to-many column);
    nothing here shows it.
    """

    def __init__(self, resource, instance, new):
        pass

    def compare_with(self, resource, instance):
        pass

    def as_html(self):
        return []


def constraint_problem(model, error):
    """The ValidationError of the model constraint a database IntegrityError names, else of the database's text.

    PostgreSQL names the constraint ('violates check constraint "space_area_positive"'); SQLite names a
    CHECK constraint too but a UNIQUE one by its columns ('UNIQUE constraint failed:
    industry_enterprise.credit_code'). The message is the constraint's violation_error_message (the one
    the admin form shows), on the column of a one-field constraint.
    """
    text = str(error)
    table = model._meta.db_table
    for constraint in model._meta.constraints:
        fields = getattr(constraint, "fields", ())
        columns = ", ".join(f"{table}.{model._meta.get_field(name).column}" for name in fields)
        if re.search(rf"\b{re.escape(constraint.name)}\b", text) or (columns and text.endswith(columns)):
            message = str(constraint.get_violation_error_message())
            return ValidationError({fields[0]: [message]} if len(fields) == 1 else message)
    return ValidationError(_("the database refused the row: %(error)s") % {"error": text})


class RecordResource(resources.ModelResource):
    """Rows of a record model, read with the admin's validation; see the module docstring for the columns.

    The model's constraints (unique credit code, both coordinates or none...) are checked by the
    database as each row is saved, in the check as in the apply (both run in a transaction), and a
    refusal is reported with the constraint's own message: the same rules as the admin form, without
    the query per constraint and row that full_clean's constraint validation costs.
    """

    def __init__(self, progress=None, **kwargs):
        super().__init__(**kwargs)
        self.progress = progress  # called with (rows done, rows in all) while importing
        self.rows_done = self.rows_total = 0
        self.row_number, self.row_of, self.created = None, {}, CreatedRecordsHistory()

    class Meta:
        exclude = EXCLUDED
        import_id_fields = ["id"]  # optional: rows without an id create records
        clean_model_instances = True  # full_clean: the same rules as the admin form
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        skip_html_diff = True

    def get_diff_class(self):
        return NoDiff

    def get_instance(self, instance_loader, row):
        """The record the row's id names (check_id has made it an int), none for an empty id: no query."""
        if row.get("id") is None:
            return None
        return super().get_instance(instance_loader, row)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """full_clean as the admin form runs it, except what the database checks as the row is saved.

        Constraints (see the class), and whether a linked record exists: the sheet's cell was just
        looked up (or the link is the stored one), and the foreign key refuses a record deleted since.
        """
        errors = dict(import_validation_errors or {})
        linked = [
            field.name
            for field in instance._meta.concrete_fields
            if field.many_to_one and getattr(instance, field.attname) is not None
        ]
        try:
            instance.full_clean(exclude=[*errors, *linked], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        """Save in a savepoint, so a constraint the row breaks is reported and the other rows go on being read.

        A unique value that clashes names the record that holds it: an earlier row of this file (its
        number) or a stored record (its name and id).
        """
        try:
            with transaction.atomic():
                super().do_instance_save(instance, is_create)
        except IntegrityError as error:
            problem = constraint_problem(self._meta.model, error)
            holder = self.holder_of_unique_value(instance, problem)
            if holder is not None:
                problem = ValidationError(
                    {field: [f"{message} ({holder})" for message in messages] for field, messages in problem}
                )
            raise problem from error
        self.row_of[instance.pk] = self.row_number

    def holder_of_unique_value(self, instance, problem):
        """'甲生物, row 1 of this file' or '甲生物, id 12': who holds the value of the row's one-field unique clash."""
        fields = [name for name, _messages in problem] if hasattr(problem, "error_dict") else []
        if len(fields) != 1:
            return None
        other = (
            self._meta.model._default_manager.filter(**{fields[0]: getattr(instance, fields[0], None)})
            .exclude(pk=instance.pk)
            .first()
        )
        if other is None:
            return None
        if other.pk in self.row_of:
            return _("%(record)s, row %(row)s of this file") % {"record": other, "row": self.row_of[other.pk]}
        return _("%(record)s, id %(id)s") % {"record": other, "id": other.pk}

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if f.many_to_many:
            return lambda **kw: RecordManyToManyWidget(
                f.related_model, field=lookup_key(f.related_model), separator=SEPARATOR
            )
        if f.many_to_one:
            return lambda **kw: RecordForeignKeyWidget(f.related_model, field=lookup_key(f.related_model), **kw)
        if isinstance(f, AliasListField):
            return lambda **kw: AliasListWidget()
        if isinstance(f, ChoiceListField):
            return lambda **kw: ChoiceListWidget(f.item_choices)
        if f.choices:
            return lambda **kw: ChoiceWidget(f.choices, **kw)
        if f.get_internal_type() == "BooleanField":
            return YesNoWidget
        if f.get_internal_type() in ("CharField", "TextField"):
            return TextWidget
        if f.get_internal_type() == "DateField":
            return LocalDateWidget
        return super().widget_from_django_field(f, default)

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        field = super().field_from_django_field(field_name, django_field, readonly)
        if django_field.many_to_one:  # the column holds the related record's name, not its id
            field.attribute = field_name
            field.widget.key_is_id = False
        if django_field.choices and django_field.blank and not django_field.many_to_one:
            # An empty cell of a choice that may be empty ("not known") is empty, not the field's default:
            # else a park whose status nobody stated would be read back as "operating".
            field.default = NOT_PROVIDED
        return field

    def export(self, queryset=None, **kwargs):
        """The rows with their related records fetched in a constant number of queries."""
        if queryset is not None and hasattr(queryset, "select_related"):
            meta = self._meta.model._meta
            queryset = queryset.select_related(*[f.name for f in meta.concrete_fields if f.many_to_one])
            queryset = queryset.prefetch_related(*[f.name for f in meta.many_to_many])
        return super().export(queryset, **kwargs)

    @classmethod
    def widget_kwargs_for_field(cls, field_name, django_field):
        kwargs = super().widget_kwargs_for_field(field_name, django_field)
        if django_field.get_internal_type() == "TextField" and django_field.blank and not django_field.null:
            kwargs.update(coerce_to_string=True, allow_blank=True)  # an empty cell is an empty text
        return kwargs

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        try:
            return super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)
        except ValueError as error:
            raise ValueError(self.reading_problem(field, row, error)) from error
        except (ArithmeticError, InvalidOperation, TypeError, OverflowError) as error:
            raise ValueError(self.reading_problem(field, row, error)) from error

    def reading_problem(self, field, row, error):
        if isinstance(error, CellProblem):  # its message names the value already
            return str(error)
        value = row.get(field.column_name, "")
        for widget_class, problem in READING_PROBLEMS:
            if isinstance(field.widget, widget_class):
                return f"“{value}” {problem}"
        return str(error)

    def import_instance(self, instance, row, **kwargs):
        """Read every column, many-to-many ones included, so that all of a row's problems are reported at once."""
        errors = {}
        stored_version = getattr(instance, VERSION, None) if instance.pk else None
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row, **kwargs)
                except ValueError as error:
                    errors[field.attribute] = [str(error)]
        if stored_version is not None and VERSION not in errors:
            self.check_version(instance, stored_version, errors)
        elif instance.pk is None and hasattr(instance, VERSION):
            setattr(instance, VERSION, 0)  # a new record starts at version 1 whatever the cell says
        if errors:  # named by column (e.g. "park", not the attribute "park_id")
            columns = {field.attribute: field.column_name for field in self.get_import_fields()}
            raise ValidationError({columns.get(name, name): messages for name, messages in errors.items()})

    def check_version(self, instance, stored_version, errors):
        """A row read from a sheet exported before someone else's save would undo that save: refused."""
        sheet_version = getattr(instance, VERSION)
        if sheet_version in (None, 0) or sheet_version == stored_version:
            setattr(instance, VERSION, stored_version)  # no version given: the row applies to the current one
            return
        saved = last_change(instance)
        saved = _(", last saved by %(who)s on %(when)s") % saved if saved else ""
        errors[VERSION] = [
            _(
                "the record was changed after this sheet was made (the sheet has version %(sheet)s, the record is "
                "at %(stored)s%(by)s); export it again and re-apply this row's changes"
            )
            % {
                "sheet": sheet_version,
                "stored": stored_version,
                "by": saved,
            }
        ]

    def export_field(self, field, instance, **kwargs):
        """A text a spreadsheet would run as a formula is written quoted ('=...); the import takes the quote off.

        The rule, and why it reads every stored text back exactly, is in nansha/records/spreadsheet_cells.py.
        """
        return quote_formula(super().export_field(field, instance, **kwargs))

    def before_import_row(self, row, **kwargs):
        """Quoted cells read back as stored (see quote_formula); a NUL character, refused on every database."""
        errors = {}
        for column, value in row.items():
            if isinstance(value, str) and "\x00" in value:
                # PostgreSQL cannot store it and SQLite would keep an invisible character: refused on both.
                errors[column] = [_("contains a NUL character (byte 0x00); remove it from the cell")]
            else:
                row[column] = unquote_formula(value)
        if "id" not in errors:
            try:
                self.check_id(row)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def check_id(self, row):
        """An id names an existing record (the row updates it); anything else is an error on the id column."""
        value = row.get("id")
        if value is None or str(value).strip() == "":
            row["id"] = None
            return
        text = str(value).strip()
        if isinstance(value, float) and value.is_integer():  # Excel gives whole numbers as floats
            text = str(int(value))
        model = self._meta.model
        if not re.fullmatch(r"[0-9]{1,18}", text) or not model._default_manager.filter(pk=int(text)).exists():
            raise ValidationError(
                {
                    "id": _("no %(model)s with id “%(id)s”; leave id empty to create a record")
                    % {"model": model._meta.verbose_name, "id": value}
                }
            )
        row["id"] = int(text)

    def before_import(self, dataset, **kwargs):
        self.rows_total, self.rows_done = len(dataset), 0
        self.created = CreatedRecordsHistory()
        self.row_of = {}  # {record id: row number in the file} of the rows saved so far
        for field in self.fields.values():
            if isinstance(field.widget, RecordManyToManyWidget | RecordForeignKeyWidget | LocalDateWidget):
                field.widget.forget()  # looked up (and date forms counted) afresh for each import
        missing = [name for name in dataset.headers or () if name and name not in self.fields]
        if missing:
            raise ValidationError(
                _("Unknown column(s): %(columns)s. The columns are: %(known)s.")
                % {"columns": ", ".join(map(str, missing)), "known": ", ".join(self.fields)}
            )

    def before_save_instance(self, instance, row, **kwargs):
        instance.defer_history = True  # one history entry for the row, written after its links (save_m2m)
        instance.created_by_import = instance._state.adding
        user = kwargs.get("user")
        if user is not None and user.is_authenticated:
            instance._history_user = user  # the import is in the record's history under the importing user
        if kwargs.get("change_reason"):
            instance._change_reason = kwargs["change_reason"]  # the channel, where no request tells it

    def save_m2m(self, instance, row, **kwargs):
        """The row's links, then the row's one history entry with them (see RecordHistory).

        The check (a dry run, rolled back at the end) writes neither: the links were read and checked
        with the row (import_instance), and can fail no other way. In the apply, a new record's links
        and history entry are written in bulk with the other new rows' at the end (after_import, in
        the same transaction; nansha/staff/history.py); a changed record's at once.
        """
        if self._is_dry_run(kwargs):
            instance.__dict__.pop("_pending_history", None)
            instance.defer_history = False
            return
        link_fields = [
            field
            for field in self.get_import_fields()
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row
        ]
        if instance.created_by_import:
            links = {field.attribute: [record.pk for record in field.clean(row, **kwargs)] for field in link_fields}
            self.created.add(instance, links)
            return
        for field in link_fields:
            getattr(instance, field.attribute).set(field.clean(row, **kwargs))
        record_deferred_history(instance)

    def after_import(self, dataset, result, **kwargs):
        self.created.write()

    def import_row(self, row, instance_loader, **kwargs):
        """A row read, checked and (unless refused) saved; counted in the progress whatever its outcome."""
        self.row_number = kwargs.get("row_number")
        row_result = super().import_row(row, instance_loader, **kwargs)
        self.rows_done += 1  # after_import_row is not called for a refused row: counted here
        if self.progress is not None:
            self.progress(self.rows_done, self.rows_total)
        return row_result


def resource_for(model):
    """The RecordResource of a model."""
    meta = type("Meta", (RecordResource.Meta,), {"model": model})
    return type(f"{model.__name__}Resource", (RecordResource,), {"Meta": meta, "__module__": __name__})


def error_text(error):
    """An exception as a sentence for staff: a ValidationError's messages, not its Python list."""
    if isinstance(error, ValidationError):
        return " ".join(str(message) for message in error.messages)
    return str(error)


def row_problems(result):
    """Every problem of an import result as a line: the row (as numbered in the file) and the column."""
    lines = [error_text(error.error) for error in result.base_errors]
    for row in result.invalid_rows:
        for column, messages in row.error_dict.items():
            for message in messages:
                lines.append(
                    _("Row %(row)s, column %(column)s: %(message)s")
                    % {"row": row.number, "column": column, "message": message}
                )
    for number, errors in result.row_errors():
        for error in errors:
            lines.append(_("Row %(row)s: %(message)s") % {"row": number, "message": error_text(error.error)})
    return lines
