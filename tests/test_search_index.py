"""The search's text index (nansha.records.text_index): looked up instead of reading every row, current after
every kind of write, put back after a migration, refilled by the rebuild command, and never a way to a
server error through its own query syntax."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from industry.filters import EnterpriseFilterSet
from industry.models import Enterprise
from nansha.management.commands.rebuild_search_index import fill_empty_search_columns
from nansha.map.layers import LAYERS
from nansha.records.search import search_document

from .factories import SOURCE, enterprise

pytestmark = pytest.mark.django_db
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 table and triggers")


def search(q):
    filterset = EnterpriseFilterSet(QueryDict(mutable=True) | {"q": q}, queryset=Enterprise.objects.published())
    assert filterset.is_valid(), filterset.errors
    return filterset.qs


def found(q):
    return list(search(q).values_list("name_zh", flat=True))


@sqlite_only
@pytest.mark.parametrize("q", ["示例公司", "华工", "lnjy", "car-t", "细胞治疗"])
def test_sqlite_looks_the_text_up_in_its_index_instead_of_reading_every_row(db, q):
    sql, params = search(q).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[-1] for row in cursor.fetchall()]
    assert not [step for step in plan if step.startswith("SCAN industry_enterprise ")], plan
    assert any("industry_enterprise_fts" in step for step in plan), plan


def test_two_characters_are_found_anywhere_in_the_text_even_at_its_end(db):
    enterprise("甲公司", description_en="we make vaccines", description_zh="疫苗")  # the text ends with 疫苗
    enterprise("乙公司", description_zh="这里做疫苗研发")
    enterprise("丙公司", name_en="Ab Co")
    assert set(found("疫苗")) == {"甲公司", "乙公司"}
    assert set(found("苗研")) == {"乙公司"}
    assert found("ab") == ["丙公司"]
    assert found("b ") == ["丙公司"]  # a space inside the query is kept
    assert found("疫") != []  # one character reads the column whole


def test_the_index_follows_every_kind_of_write(db):
    firm = enterprise("索引公司")
    assert found("索引公司") == ["索引公司"]
    firm.name_zh = "改名公司"
    firm.save()
    assert found("索引公司") == [] and found("改名公司") == ["改名公司"]
    rows = [Enterprise(name_zh=f"批量写入{n}", source=SOURCE, status="published") for n in range(3)]
    for row in rows:
        row.refresh_search_fields()
    Enterprise.objects.bulk_create(rows)
    assert sorted(found("批量写入")) == ["批量写入0", "批量写入1", "批量写入2"]
    names, text = search_document(["直接更新"], [])
    Enterprise.objects.filter(name_zh="批量写入0").update(search_names=names, search_text=text)
    assert found("直接更新") == ["批量写入0"] and sorted(found("批量写入")) == ["批量写入1", "批量写入2"]
    Enterprise.objects.filter(name_zh="批量写入1").delete()
    assert found("批量写入") == ["批量写入2"]
    firm.delete()
    assert found("改名公司") == []


@sqlite_only
def test_a_table_rebuilt_by_a_migration_gets_its_triggers_and_index_back(db):
    enterprise("迁移之前")
    with connection.cursor() as cursor:  # what SQLite's table rebuild (ALTER) does to the triggers
        for trigger in ("insert", "delete", "update"):
            cursor.execute(f"DROP TRIGGER industry_enterprise_fts_{trigger}")
    enterprise("迁移之间")  # written while the triggers are missing
    fill_empty_search_columns()  # post_migrate
    assert found("迁移之前") == ["迁移之前"] and found("迁移之间") == ["迁移之间"]
    enterprise("迁移之后")
    assert found("迁移之后") == ["迁移之后"]


@sqlite_only
def test_the_rebuild_command_refills_the_index(db):
    enterprise("重建公司")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM industry_enterprise_fts")
    assert found("重建公司") == []
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))
    assert found("重建公司") == ["重建公司"]


# FTS5 query syntax (quotes, stars, NEAR, boolean words, column filters, carets) and LIKE wildcards.
SYNTAX = [
    '"',
    '""',
    '"""',
    "*",
    "**",
    "a*",
    "NEAR(",
    "NEAR(a b, 2)",
    "OR",
    "a OR b",
    "AND NOT",
    "^ab",
    "{search_text}: x",
    "search_text : x",
    "name_pinyin:*",
    "-x",
    "(",
    ")",
    "'",
    "%_",
    "\\",
    "\U0001f9ec",
    "\U0001f9ec\U0001f48a",
    "a\u200bb",
    "\ufffd\ufffd",
]


@pytest.mark.parametrize("q", SYNTAX)
def test_query_syntax_is_taken_literally_everywhere(client, db, q):
    enterprise("普通公司")
    enterprise("字面公司", aliases=[f"甲{q}乙"])
    for url in (
        "/api/v1/enterprises/",
        "/ogc/collections/enterprises/items",
        "/map/data.json",
        "/search/suggest.json",
        "/",
    ):
        response = client.get(url, {"q": q})
        assert response.status_code == 200, (url, q, response.content[:300])
    for text in (f"甲{q}乙", f"{q}乙", f"甲{q}"):
        if text.strip('"'):
            response = client.get("/api/v1/enterprises/", {"q": text})
            assert [row["name_zh"] for row in response.json()["results"]] == ["字面公司"], text


def test_a_search_and_a_suggestion_take_a_fixed_number_of_queries(client, demo):
    for n in range(30):
        enterprise(f"批量公司{n}", segments=["car-t"], aliases=[f"批量{n}"])

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    for q in ("批量公司1", "批量", "CAR-T", "pilianggongsi", "批量公", "lnjy"):
        # the segment vocabulary, the count, the page and its 3 prefetches (segments, honours, products)
        assert count(f"/api/v1/enterprises/?q={q}") == 6, q
    assert count("/api/v1/enterprises/?q=无此名称") == 2  # a count of 0: no page to read
    for q in ("批量公司1", "批量", "CAR-T", "pilianggongsi", "华工", "无此名称"):
        # per layer its page, and the segment vocabulary for the layers filtered by segment (all but parks)
        assert count(f"/search/suggest.json?q={q}") == 2 * len(LAYERS) - 1, q
