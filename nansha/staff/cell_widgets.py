"""How one spreadsheet cell is read and written: related records by code or name, choices, yes/no, aliases,
dates as Chinese-locale spreadsheets write them, and numbers in text columns (see nansha/staff/spreadsheets.py
for the columns of a sheet, and the resource that reads a whole row)."""

import datetime
import re
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist, MultipleObjectsReturned, ObjectDoesNotExist
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import widgets

from nansha.records.fields import split_aliases

SEPARATOR = ";"
YES = {"1", "true", "yes", "y", "是", "有", "√", "✓"}
NO = {"0", "false", "no", "n", "否", "无", "×"}
UNKNOWN = {"", "unknown", "未知", "none", "null"}
CREDIT_CODE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}")  # GB 32100-2015


def lookup_key(model):
    """The column value that names a related record: its code where it has one, else its Chinese name."""
    for name in ("code", "name_zh", "title_zh"):
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        return name
    return "pk"


class RecordForeignKeyWidget(widgets.ForeignKeyWidget):
    """A related record named by its key; an unknown or ambiguous name is an error naming the value.

    Within one import each name is looked up once (`forget` starts afresh): a sheet of 10,000
    enterprises in a few parks costs a query per park, not per row.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.found = {}

    def forget(self):
        self.found = {}

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        value = str(number_as_text(value)).strip()  # an enterprise's credit code in a number cell too
        key = self.field
        if CREDIT_CODE.fullmatch(value.upper()) and any(f.name == "credit_code" for f in self.model._meta.fields):
            key, value = "credit_code", value.upper()  # an enterprise by its credit code as well as by its name
        if (key, value) not in self.found:
            self.found[key, value] = self.lookup(key, value, row, **kwargs)
        record = self.found[key, value]
        return record.pk if self.key_is_id else record

    def lookup(self, key, value, row, **kwargs):
        try:
            return self.get_queryset(value, row, **kwargs).get(**{key: value})
        except ObjectDoesNotExist:
            raise ValueError(
                _("no %(model)s “%(value)s”") % {"model": self.model._meta.verbose_name, "value": value}
            ) from None
        except MultipleObjectsReturned:
            raise ValueError(
                _("several records of kind %(model)s are named “%(value)s”; rename one in the admin first")
                % {"model": self.model._meta.verbose_name, "value": value}
            ) from None

    @staticmethod
    def is_empty(value):
        return value is None or str(value).strip() == ""


class RecordManyToManyWidget(widgets.ManyToManyWidget):
    """Several related records by key, separated by ";"; any unknown key is an error listing them.

    A key is the record's code (its export column), else its Chinese name, else its English name in
    any case, tried in that order; a name two records share is an error naming it (and their codes).
    Within one import a cell's records are looked up once, in one query: thousands of rows naming
    the same few chain segments cost a query per distinct cell, not per row (`forget` starts afresh).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.found = {}
        names = [field.name for field in self.model._meta.fields]
        # The model's spellings, the key field first: (field, whether it is compared case-insensitively).
        self.spellings = [(self.field, False)] + [
            (name, name == "name_en")
            for name in ("code", "name_zh", "name_en")
            if name in names and name != self.field
        ]

    def forget(self):
        self.found = {}

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return []
        value = number_as_text(value)
        keys = tuple(
            dict.fromkeys(k.strip() for k in str(value).replace("；", SEPARATOR).split(SEPARATOR) if k.strip())
        )
        if keys not in self.found:
            self.found[keys] = self.lookup(keys)
        found, problem = self.found[keys]
        if problem:
            raise ValueError(problem)
        return found

    def lookup(self, keys):
        """(records in the order of `keys`, "" or the problem: unknown or ambiguous keys), in one query."""
        folded = [key.lower() for key in keys]
        condition = Q()
        for name, any_case in self.spellings:
            condition |= Q(**{f"_spelled_{name}__in": folded}) if any_case else Q(**{f"{name}__in": keys})
        queryset = self.model.objects.all()
        for name, any_case in self.spellings:
            if any_case:
                queryset = queryset.annotate(**{f"_spelled_{name}": Lower(name)})
        candidates = list(queryset.filter(condition))
        records, unknown, ambiguous = {}, [], []
        for key in keys:
            matches = []
            for name, any_case in self.spellings:
                spelled = key.lower() if any_case else key
                matches = [
                    obj
                    for obj in candidates
                    if (str(getattr(obj, name) or "").lower() if any_case else str(getattr(obj, name))) == spelled
                ]
                if matches:
                    break
            if not matches:
                unknown.append(key)
            elif len(matches) > 1:
                codes = ", ".join(str(getattr(obj, self.field)) for obj in matches)
                ambiguous.append(f"{key} ({codes})")
            else:
                records.setdefault(matches[0].pk, matches[0])
        problems = []
        model = self.model._meta.verbose_name
        if unknown:
            problems.append(_("unknown %(model)s: %(values)s") % {"model": model, "values": ", ".join(unknown)})
        if ambiguous:
            problems.append(
                _("several records of kind %(model)s have the name %(values)s; write the code instead")
                % {"model": model, "values": "; ".join(ambiguous)}
            )
        return list(records.values()), "; ".join(problems)


class ChoiceWidget(widgets.CharWidget):
    """A choice by its code or by its Chinese or English label; anything else lists what is allowed."""

    def __init__(self, choices, **kwargs):
        self.choices = [(str(code), label) for code, label in choices]
        self._codes = None
        super().__init__(**kwargs)

    def codes(self):
        """Every spelling staff may use, case-folded, mapped to its code (made on first use: labels are lazy)."""
        if self._codes is None:
            self._codes = {}
            for code, label in self.choices:
                for spelling in (code, *_labels(label)):
                    self._codes.setdefault(spelling.casefold(), code)
        return self._codes

    def to_code(self, value):
        text = str(number_as_text(value)).strip()
        if text == "":
            return ""
        if text.casefold() in self.codes():
            return self.codes()[text.casefold()]
        raise ValueError(_("“%(value)s” is not one of: %(allowed)s") % {"value": text, "allowed": self.allowed()})

    def allowed(self):
        return ", ".join(code for code, _label in self.choices)

    def clean(self, value, row=None, **kwargs):
        return self.to_code("" if value is None else value)


def _labels(label):
    """A lazy label in Chinese and in English, case-folded."""
    with translation.override("zh-hans"):
        zh = str(label).casefold()
    with translation.override("en"):
        en = str(label).casefold()
    return zh, en


class ChoiceListWidget(ChoiceWidget):
    """Several choices in one cell, separated by ";"."""

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return []
        parts = str(number_as_text(value)).replace("；", SEPARATOR).split(SEPARATOR)
        return list(dict.fromkeys(self.to_code(p) for p in parts if p.strip()))

    def render(self, value, obj=None, **kwargs):
        return SEPARATOR.join(value or [])


class AliasListWidget(widgets.Widget):
    """Several names in one cell, separated by ";" (or "；" or line breaks)."""

    def clean(self, value, row=None, **kwargs):
        return split_aliases("" if value is None else str(number_as_text(value)))

    def render(self, value, obj=None, **kwargs):
        return SEPARATOR.join(value or [])


class YesNoWidget(widgets.BooleanWidget):
    """Yes/no in Chinese or English; empty is unknown (None)."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().casefold()
        if text in YES:
            return True
        if text in NO:
            return False
        if text in UNKNOWN:
            return None
        raise ValueError(_("“%(value)s” is not yes or no (是/否, yes/no, 1/0)") % {"value": value})


class CellProblem(ValueError):
    """A cell a widget could not read, whose message already names the value and says what to do."""


# The date forms staff's spreadsheet programs write (year first, as in Chinese locales), by separator.
DATE_TEXT = re.compile(
    r"(?P<year>[0-9]{4})\s*(?P<sep>[-/.])\s*(?P<month>[0-9]{1,2})\s*(?P=sep)\s*(?P<day>[0-9]{1,2})"
    r"(?:(?:\s+|T)(?P<time>[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?))?"
)
CHINESE_DATE = re.compile(r"(?P<year>[0-9]{4})\s*年\s*(?P<month>[0-9]{1,2})\s*月\s*(?P<day>[0-9]{1,2})\s*[日号]")
DATE_FORMS = {
    "-": gettext_lazy("year-month-day (2019-03-05)"),
    "/": gettext_lazy("year/month/day (2019/3/5)"),
    ".": gettext_lazy("year.month.day (2019.3.5)"),
    "年": gettext_lazy("year年month月day日 (2019年3月5日)"),
    "cell": gettext_lazy("Excel date cells"),
}


class LocalDateWidget(widgets.DateWidget):
    """A date as written in Chinese locales (see DATE_FORMS) or an Excel date cell; `forms_read` keeps which forms.

    An Excel cell holding a date and a time of day other than 00:00, or such a text, is a CellProblem:
    the column holds a date only. An impossible date (2021-02-30) is a ValueError (reported naming the value).
    Written back as 2019-03-05 (the export's form).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.forms_read = {}  # DATE_FORMS key -> number of cells read in that form

    def forget(self):
        self.forms_read = {}

    def clean(self, value, row=None, **kwargs):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, datetime.datetime):  # an Excel date cell (openpyxl reads every one as a datetime)
            self.check_midnight(value, value.time())
            return self.read("cell", value.date())
        if isinstance(value, datetime.date):
            return self.read("cell", value)
        text = str(value).strip()
        match = DATE_TEXT.fullmatch(text) or CHINESE_DATE.fullmatch(text)
        if match is None:
            raise ValueError(text)
        if match.groupdict().get("time"):
            hours, minutes, *seconds = match["time"].split(":")  # ValueError (not a date) past 23:59:59
            self.check_midnight(
                text, datetime.time(int(hours), int(minutes), int(float(seconds[0])) if seconds else 0)
            )
        date = datetime.date(int(match["year"]), int(match["month"]), int(match["day"]))  # ValueError if impossible
        return self.read(match.groupdict().get("sep") or "年", date)

    def read(self, form, date):
        self.forms_read[form] = self.forms_read.get(form, 0) + 1
        return date

    @staticmethod
    def check_midnight(value, time):
        if time != datetime.time(0, 0):
            raise CellProblem(
                _(
                    "“%(value)s” has a time of day (%(time)s), but this column holds a date only: write the date "
                    "without the time (or format the cell as a date)"
                )
                % {"value": value, "time": time.strftime("%H:%M")}
            )

    def render(self, value, obj=None, **kwargs):
        if isinstance(value, datetime.datetime):
            value = value.date()
        return super().render(value, obj, **kwargs)


def date_forms_read(resource):
    """What the check says of the dates it read: one line per date column form, e.g. "Dates read as year/month/day"."""
    counts = {}
    for field in resource.get_import_fields():
        if isinstance(field.widget, LocalDateWidget):
            for form, count in field.widget.forms_read.items():
                counts[form] = counts.get(form, 0) + count
    if not counts:
        return []
    forms = ", ".join(str(DATE_FORMS[form]) for form in DATE_FORMS if form in counts)
    return [_("Dates read as %(forms)s.") % {"forms": forms}]


EXCEL_DIGITS = 15  # Excel keeps a number to 15 significant digits


def number_as_text(value):
    """A cell's value as text where an .xlsx gave a number: a whole number as its digits (never "1.0").

    A whole float of more than 15 digits is a CellProblem: Excel stores a number to 15 digits, so the
    cell lost the rest, and only a text cell holds such a code. An int (written by a program other than
    Excel, exact) is read as it is. Any other value is returned unchanged.
    """
    if isinstance(value, float) and value.is_integer():
        if abs(value) >= 10**EXCEL_DIGITS:
            raise CellProblem(
                _(
                    "“%(value)s” is a number in the sheet, not text: Excel keeps only the first 15 digits of a "
                    "number, so this cell lost its last digits (it reads %(digits)s). Format the column as Text "
                    "(or type an apostrophe ' before the value) and enter it again"
                )
                % {"value": value, "digits": int(Decimal(f"{value:.15g}"))}
            )
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


class TextWidget(widgets.CharWidget):
    """A text column (credit code, phone, other codes) whose .xlsx cell may be a number: see number_as_text."""

    def clean(self, value, row=None, **kwargs):
        return super().clean(number_as_text(value), row, **kwargs)


READING_PROBLEMS = (
    (
        widgets.DateWidget,
        gettext_lazy("is not a date (write it as 2024-05-31, 2024/5/31, 2024.5.31 or 2024年5月31日)"),
    ),
    (widgets.DateTimeWidget, gettext_lazy("is not a date and time")),
    (widgets.IntegerWidget, gettext_lazy("is not a whole number")),
    (widgets.DecimalWidget, gettext_lazy("is not a number")),
    (widgets.FloatWidget, gettext_lazy("is not a number")),
)
