"""Reading an uploaded sheet within limits: its size, its rows, and what its zip container claims.

- Upload size: IMPORT_MAX_UPLOAD_MB (default 20), checked on the upload before it is read.
- Rows: IMPORT_MAX_ROWS (default 100,000) under the header; a file with more is refused as soon as
  the row past the limit is reached, without reading the rest.
- .xlsx is read by its real rows (openpyxl read-only, its parser: only rows in the file): a sheet whose
  formatting or dimension reaches row 1,048,576 is read as the rows that hold values; blank rows at
  the end are ignored (blank rows between rows are kept, and reported as rows).
- .xlsx is a zip: before openpyxl opens it, the sizes its directory declares are added up, and a file
  that would unpack to more than IMPORT_MAX_UNPACKED_MB (default 200), or more than 100 times its own
  size, is refused (a zip bomb); a file that is not a zip, or a truncated one, is refused too.

Every refusal is an UnreadableFile whose message says what to do, for staff.
"""

import csv
import io
import math
import zipfile

import charset_normalizer
import tablib
from django.conf import settings
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV, XLSX

MAX_RATIO = 100  # unpacked / packed size of an .xlsx; real sheets are around 5 to 20


class UnreadableFile(ValueError):
    """A file that cannot be read as a sheet; its message says why, for staff (shown as it is in the admin)."""


def max_upload_bytes():
    return settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024


def check_upload_size(size):
    """UnreadableFile if an upload of `size` bytes is over IMPORT_MAX_UPLOAD_MB.

    MB here are of 1,048,576 bytes, as Windows Explorer counts them; the size shown is rounded up, so
    a file just over the limit never reads as equal to it ("20.1 MB", not "20.0 MB", over 20 MB).
    """
    if size is not None and size > max_upload_bytes():
        raise UnreadableFile(
            _(
                "The file is %(size).1f MB; the most an import takes is %(limit)s MB. Split it into smaller files "
                "(or save it as CSV, which is smaller) and import them one after another."
            )
            % {"size": math.ceil(size * 10 / 1024 / 1024) / 10, "limit": settings.IMPORT_MAX_UPLOAD_MB}
        )


def too_many_rows(limit):
    return UnreadableFile(
        _(
            "The file has more than %(limit)s rows under its header; the most one import takes is %(limit)s. "
            "Split it into smaller files. Nothing was imported."
        )
        % {"limit": f"{limit:,}"}
    )


def check_csv_rows(text, limit=None):
    """UnreadableFile if a CSV text has more than `limit` (default IMPORT_MAX_ROWS) rows under its header."""
    limit = settings.IMPORT_MAX_ROWS if limit is None else limit
    if text.count("\n") <= limit:  # every row ends with a line feed but perhaps the last: surely within
        return
    for number, _row in enumerate(csv.reader(io.StringIO(text))):
        if number > limit:
            raise too_many_rows(limit)


def check_zip(content):
    """UnreadableFile unless `content` (bytes) is a whole zip whose declared unpacked size is reasonable."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise UnreadableFile(
            _(
                "This is not a readable Excel (.xlsx) file: it is not an .xlsx at all, or it was cut short "
                "(an interrupted download or copy). Save it again from Excel and upload it."
            )
        ) from None
    with archive:
        unpacked = sum(info.file_size for info in archive.infolist())
        limit = settings.IMPORT_MAX_UNPACKED_MB * 1024 * 1024
        if unpacked > limit or unpacked > MAX_RATIO * max(len(content), 1):
            raise UnreadableFile(
                _(
                    "This .xlsx would unpack to %(size)s MB, far more than a sheet of its size holds (the most "
                    "taken is %(limit)s MB): it is refused as unsafe. Save the sheet as CSV and upload that."
                )
                % {"size": f"{unpacked / 1024 / 1024:,.0f}", "limit": settings.IMPORT_MAX_UNPACKED_MB}
            )
        if archive.testzip() is not None:
            raise UnreadableFile(_("This .xlsx is damaged (a part of it does not unpack). Save it again from Excel."))


def _blank(values):
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def _rows_with_values(book, sheet):
    """(row number, values) of the rows of a read-only sheet that hold a value, in order.

    openpyxl's own iteration yields an empty row for every row number it skips up to the declared
    dimension (a million for a sheet formatted to its last row); its parser gives only the rows in
    the file, and rows without a value are skipped here, so trailing formatted rows cost nothing.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for number, cells in parser.parse():
            if not cells:
                continue
            values = sheet._get_row(cells, 1, None, values_only=True)
            if not _blank(values):
                yield number, values


class LimitedXLSX(XLSX):
    """.xlsx read by its real rows, within IMPORT_MAX_ROWS, after the zip checks (see the module docstring)."""

    def create_dataset(self, in_stream, max_rows=None):
        import openpyxl

        limit = settings.IMPORT_MAX_ROWS if max_rows is None else max_rows
        check_zip(in_stream)
        try:
            book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise UnreadableFile(
                _("This is not a readable Excel (.xlsx) file: %(error)s") % {"error": error}
            ) from error
        try:
            sheet = book.active
            rows = _rows_with_values(book, sheet)
            header_number, header = next(rows, (None, None))
            if header is None:
                raise UnreadableFile(_("The sheet is empty: its first row must name the columns."))
            while header and header[-1] is None:  # formatted, unnamed columns at the right
                header = header[:-1]
            width = len(header)
            dataset = tablib.Dataset(headers=[str(v).strip() if v is not None else "" for v in header])
            last = header_number
            for number, values in rows:
                if number - header_number > limit:  # blank rows between count: they are rows of the file
                    raise too_many_rows(limit)
                for _blank_row in range(last + 1, number):
                    dataset.append((None,) * width)
                values = tuple(values[:width]) + (None,) * (width - len(values))
                dataset.append(values)
                last = number
            return dataset
        except UnreadableFile:
            raise
        except Exception as error:
            raise UnreadableFile(
                _("This is not a readable Excel (.xlsx) file: %(error)s") % {"error": error}
            ) from error
        finally:
            book.close()


class ChineseCSV(CSV):
    """CSV in UTF-8 (with or without BOM) or in GB18030, as Excel saves it on a Chinese Windows."""

    def is_binary(self):
        return True  # read as bytes: the encoding is found here, not assumed

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = decode_text(in_stream)
        check_csv_rows(in_stream)
        try:
            return super().create_dataset(in_stream, **kwargs)
        except Exception as error:  # tablib raises csv.Error and others for malformed text
            raise UnreadableFile(_("This is not a readable CSV file: %(error)s") % {"error": error}) from error


# Names staff know for the encodings charset-normalizer reports (Python codec names).
ENCODING_NAMES = {
    "cp932": "Shift-JIS",
    "shift_jis": "Shift-JIS",
    "shift_jis_2004": "Shift-JIS",
    "shift_jisx0213": "Shift-JIS",
    "euc_jp": "EUC-JP",
    "euc_jis_2004": "EUC-JP",
    "big5": "Big5",
    "big5hkscs": "Big5",
    "cp949": "EUC-KR",
    "euc_kr": "EUC-KR",
    "utf_16": "UTF-16",
    "utf_16_le": "UTF-16",
    "utf_16_be": "UTF-16",
}
GB_FAMILY = {"gb18030", "gbk", "gb2312", "hz", "cp936"}
# Above this share of the distinct non-ASCII characters outside GB2312 (the 7,445 characters of everyday simplified
# Chinese), a GB18030 reading is suspect: Shift-JIS bytes, for one, read as GB18030 give only such characters.
MISREAD_SHARE = 0.5


def decode_text(content):
    """The text of a CSV file's bytes: UTF-8 (with or without BOM) or GB18030, else UnreadableFile naming the encoding.

    Nearly any bytes are valid GB18030, so a file in another encoding (Shift-JIS, Big5...) would be read
    as wrong Chinese characters without an error: a GB18030 reading made mostly of characters outside
    GB2312 is checked with charset-normalizer, and refused unless that finds a Chinese (GB) encoding too.
    """
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = content.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    guess = None
    if text is not None:
        if not _mostly_outside_gb2312(text):
            return text
        guess = _detected_encoding(content)
        if guess in GB_FAMILY:
            return text
    else:
        guess = _detected_encoding(content)
    if guess:
        raise UnreadableFile(
            _(
                "The file is neither UTF-8 nor GB18030 text: it looks like %(encoding)s. Save it as "
                "“CSV UTF-8” or as .xlsx and upload it again."
            )
            % {"encoding": ENCODING_NAMES.get(guess, guess)}
        )
    raise UnreadableFile(_("The file is neither UTF-8 nor GB18030 text; save it as CSV UTF-8 or as .xlsx."))


def _mostly_outside_gb2312(text):
    """Whether most of the distinct non-ASCII characters of a text are outside GB2312."""
    wide = [char for char in set(text) if char > "\x7f"]
    if not wide:
        return False
    outside = 0
    for char in wide:
        try:
            char.encode("gb2312")
        except UnicodeEncodeError:
            outside += 1
    return outside / len(wide) > MISREAD_SHARE


def _detected_encoding(content):
    """charset-normalizer's best guess (a Python codec name), or None."""
    best = charset_normalizer.from_bytes(content).best()
    return best.encoding if best is not None else None


def read_dataset(content, file_format):
    """A tablib Dataset from a file's bytes, or UnreadableFile (a ValueError) saying why it cannot be read.

    Within the limits of nansha/staff/sheet_reading.py (rows, .xlsx real rows and zip checks).
    """
    if isinstance(file_format, XLSX) and not isinstance(file_format, LimitedXLSX):
        file_format = LimitedXLSX()
    if isinstance(file_format, (ChineseCSV, LimitedXLSX)):
        return file_format.create_dataset(content)
    try:
        return file_format.create_dataset(content)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UnreadableFile(_("This is not a readable Excel (.xlsx) file: %(error)s") % {"error": error}) from error
