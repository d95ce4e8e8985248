"""The index each database searches the normalised text with: SQLite FTS5 (trigram), PostgreSQL pg_trgm.

A search asks whether a column *contains* the query anywhere (Chinese has no spaces to cut words at).

- SQLite: `<table>_fts`, an FTS5 table with the `trigram` tokenizer (SQLite ≥ 3.34) holding a copy of
  the record's `search_text` (and `name_pinyin`, for places), each with a line end after it; triggers on the
  base table keep it current on every INSERT, UPDATE and DELETE, whatever writes them (save(),
  bulk_create, update(), raw SQL). A query of three characters or more is one quoted FTS5 phrase; one
  of two characters is looked up as the trigrams it begins (read from `<table>_fts_vocab`, hence the line
  end: a text's last two characters begin one too).
- PostgreSQL: trigram GIN indexes (pg_trgm; nansha.records.trigram_indexes for `search_names` and
  `search_text`, here for `name_pinyin`) serve LIKE '%…%' from three characters; a GIN index on the
  set of two-character substrings (`search_bigrams()`) serves two-character queries.

A one-character query reads the column whole. `ensure_text_indexes` runs after every `migrate`
(SQLite rebuilds a table to alter it, which drops its triggers: they are put back and the index
refilled); `manage.py rebuild_search_index` refills it.
"""

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

TRIGRAM = 3  # characters: the shortest text the trigram indexes look up
BIGRAM = 2
PINYIN = "name_pinyin"
TEXT_COLUMNS = ("search_text", PINYIN)
LAST_CHARACTER = "\U0010ffff"  # the largest code point: '<q>' <= term <= '<q>\U0010ffff' are the terms beginning <q>

BIGRAMS_FUNCTION = """
CREATE OR REPLACE FUNCTION search_bigrams(t text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
  SELECT coalesce(array_agg(DISTINCT substr(t, i, 2)), '{}') FROM generate_series(1, length(t) - 1) AS i
$$"""


def fts_table(table):
    return f"{table}_fts"


def _columns(table, cursor):
    present = {column.name for column in connection.introspection.get_table_description(cursor, table)}
    return [column for column in TEXT_COLUMNS if column in present]


def _sqlite_statements(table, columns):
    fts = fts_table(table)
    names = ", ".join(columns)
    values = ", ".join(f"new.{c} || char(10)" for c in columns)
    insert = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {values});"
    delete = f"DELETE FROM {fts} WHERE rowid = old.id;"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({names}, tokenize='trigram')",
        f"CREATE VIRTUAL TABLE {fts}_vocab USING fts5vocab({fts}, 'row')",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {names} ON {table} BEGIN {delete} {insert} END",
    ]


def _sqlite_refill(cursor, table, columns):
    fts = fts_table(table)
    names = ", ".join(columns)
    values = ", ".join(f"{c} || char(10)" for c in columns)
    cursor.execute(f"DELETE FROM {fts}")
    cursor.execute(f"INSERT INTO {fts}(rowid, {names}) SELECT id, {values} FROM {table}")  # noqa: S608


def _triggers_in_place(cursor, table):
    cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
    return cursor.fetchone()[0] == 3


def drop_text_index(cursor, table):
    if cursor.db.vendor == "sqlite":
        for trigger in ("insert", "delete", "update"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {fts_table(table)}_{trigger}")
        cursor.execute(f"DROP TABLE IF EXISTS {fts_table(table)}_vocab")
        cursor.execute(f"DROP TABLE IF EXISTS {fts_table(table)}")
    elif cursor.db.vendor == "postgresql":
        cursor.execute(f"DROP INDEX IF EXISTS {table}_{PINYIN}_trgm")
        for column in TEXT_COLUMNS:
            cursor.execute(f"DROP INDEX IF EXISTS {table}_{column}_bigrams")


def create_text_index(cursor, table, *, rebuild=False):
    """Create the text index of `table` (a base table with `search_text`, maybe `name_pinyin`) where missing.

    On SQLite the FTS table and its triggers, refilled from the base table when they were missing or
    `rebuild` is set; on PostgreSQL the trigram index on `name_pinyin` and the two-character indexes
    (the other trigram indexes come from migrations). Idempotent; does nothing on other databases.
    """
    vendor = cursor.db.vendor
    columns = _columns(table, cursor)
    if vendor == "sqlite":
        missing = not _triggers_in_place(cursor, table)
        if missing:
            drop_text_index(cursor, table)  # a table rebuild lost its triggers: start afresh
            for statement in _sqlite_statements(table, columns):
                cursor.execute(statement)
        if missing or rebuild:
            _sqlite_refill(cursor, table, columns)
    elif vendor == "postgresql":
        wanted = {f"{table}_{column}_bigrams": f"gin (search_bigrams({column}))" for column in columns}
        if PINYIN in columns:
            wanted[f"{table}_{PINYIN}_trgm"] = f"gin ({PINYIN} gin_trgm_ops)"
        # Only what is missing: CREATE INDEX, even IF NOT EXISTS, fails in a transaction with pending trigger events.
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [table])
        missing = set(wanted) - {row[0] for row in cursor.fetchall()}
        if missing:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute(BIGRAMS_FUNCTION)
        for name in sorted(missing):
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING {wanted[name]}")


def text_indexes(*tables):
    """A migration operation (RunPython) creating, and on reverse dropping, the text index of each table."""
    from django.db import migrations

    def create(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            for table in tables:
                create_text_index(cursor, table)

    def drop(apps, schema_editor):
        with schema_editor.connection.cursor() as cursor:
            for table in tables:
                drop_text_index(cursor, table)

    return migrations.RunPython(create, drop)


def ensure_text_indexes(models, *, using="default", rebuild=False):
    """Put back any missing text index of `models` (see create_text_index); `rebuild`: refill them all."""
    from django.db import connections

    with connections[using].cursor() as cursor:
        tables = set(connections[using].introspection.table_names(cursor))
        for model in models:
            table = model._meta.db_table
            if table in tables and "search_text" in _columns(table, cursor):
                create_text_index(cursor, table, rebuild=rebuild)


def fts_phrase(text):
    """`text` as one FTS5 phrase: quoted, its own quotes doubled, so that no character is query syntax."""
    return '"' + text.replace('"', '""') + '"'


def contains(model, column, text):
    """A Q for the rows of `model` whose `column` ('search_text' or 'name_pinyin') contains `text` (normalised).

    Looked up in the database's index (see the module's docstring) when `text` has two characters or more;
    a LIKE '%text%' otherwise, and always as the final check on PostgreSQL.
    """
    table = model._meta.db_table
    if connection.vendor == "sqlite" and len(text) >= BIGRAM:
        fts = fts_table(table)
        if len(text) >= TRIGRAM:
            sql = f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s"  # noqa: S608 (names are ours, text a parameter)
            return Q(pk__in=RawSQL(sql, [f"{column} : {fts_phrase(text)}"]))
        # The trigrams that begin with the two characters, as one FTS5 query (a phrase never found if none).
        phrases = "group_concat('\"' || replace(term, '\"', '\"\"') || '\"', ' OR ')"
        nothing = "'\"' || char(1, 1, 1) || '\"'"
        terms = f"SELECT coalesce({phrases}, {nothing}) FROM {fts}_vocab WHERE term >= %s AND term <= %s"
        sql = f"SELECT rowid FROM {fts} WHERE {fts} MATCH ('{column} : (' || ({terms}) || ')')"  # noqa: S608
        return Q(pk__in=RawSQL(sql, [text, text + LAST_CHARACTER]))
    like = Q(**{f"{column}__contains": text})
    if connection.vendor == "postgresql" and len(text) == BIGRAM:
        sql = f"SELECT id FROM {table} WHERE search_bigrams({column}) @> ARRAY[%s]"  # noqa: S608
        return like & Q(pk__in=RawSQL(sql, [text]))
    return like
