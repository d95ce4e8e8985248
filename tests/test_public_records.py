"""`load_demo` loads the public reports (public_reports.json) through the staff import: with their pages, drafts
where facts conflict or every source is weak, idempotent, never over staff edits, and all or nothing."""

import json

import pytest
from django.core.management import CommandError, call_command

from industry.models import Enterprise, Fund, Hospital, ServicePlatform, StatedFigure
from nansha.datasets.data_file import DATA
from nansha.datasets.demo import load_demo
from nansha.records.presentation import record_models
from parks.models import Park

pytestmark = pytest.mark.django_db

REPORTS = json.loads(DATA.read_text(encoding="utf-8"))


def state():
    """Every record's version and every history entry, of every kind of record."""
    return {
        model: (sorted(model.objects.values_list("pk", "version")), model.history.count())
        for model in record_models()
        if hasattr(model, "history")
    }


def test_every_kind_of_the_reports_is_loaded(demo):
    names = {
        name
        for model in (Park, Hospital, ServicePlatform, Enterprise, Fund)
        for name in model.objects.values_list("name_zh", flat=True)
    }
    aliases = {a for model in (Park, Hospital) for record in model.objects.all() for a in record.aliases}
    for kind in ("parks", "hospitals", "platforms", "enterprises"):
        for row in REPORTS[kind]:
            assert row["name_zh"] in names | aliases, row["name_zh"]
    assert {row["name"] for row in REPORTS["funds"]} <= names
    assert StatedFigure.objects.count() == len(REPORTS["figures"])


def test_a_second_load_changes_nothing_no_version_no_history(demo):
    before = state()
    assert load_demo() and state() == before  # counts are 0 for every kind
    assert all(count == 0 for label, count in load_demo().items())


def test_a_staff_edit_since_the_load_is_left_alone(demo):
    park = Park.objects.get(name_zh="南沙生命健康价值园")
    park.description_zh, park.operator_zh = "", "staff wrote this"
    park._change_reason = "admin"
    park.save()
    load_demo()
    park.refresh_from_db()
    assert (park.description_zh, park.operator_zh) == ("", "staff wrote this")


def test_records_with_only_weak_sources_or_conflicts_are_drafts_saying_why(demo):
    weak = Hospital.objects.get(name_zh="广州市南沙区第三人民医院")
    assert weak.status == "draft" and "low reliability" in weak.verification_note
    conflicting = Enterprise.objects.get(name_zh="广东医谷")  # "2014 or 2016 (sources differ)"
    assert conflicting.status == "draft" and "Conflicting" in conflicting.verification_note
    same_park = Park.objects.get(name_zh="生命健康产业园")
    assert same_park.status == "draft" and "南沙生命健康价值园" in same_park.verification_note
    fine = Park.objects.get(name_zh="南沙复旦国际科创园")
    assert (fine.status, fine.verified_on) == ("published", None)


def test_the_articles_record_gets_the_reports_facts_in_its_empty_fields_and_their_pages(demo):
    park = Park.objects.get(name_zh="横沥生物医药产业园")  # the article's record: same name
    assert park.total_floor_area_m2 == 150000  # 约15万平方米, from the reports
    assert "科创中心横沥生物医药产业园" in park.aliases
    assert "https://www.kczg.org.cn/rules/detail?id=6297850" in park.source and park.verified_on is None
    hospital = Hospital.objects.get(name_zh="中山大学附属第一(南沙)医院")  # a short name of the reports' record
    assert "中山大学附属第一医院南沙院区" in hospital.aliases and "Conflicting" in hospital.verification_note
    assert not Hospital.objects.filter(name_zh="中山大学附属第一医院南沙院区").exists()


def test_positions_only_from_a_source_or_the_parks_flagged_approximate(demo):
    assert not Park.objects.filter(name_zh="南沙复旦国际科创园", lat__isnull=False).exists()
    hengli = Park.objects.get(name_zh="横沥生物医药产业园")
    platform = ServicePlatform.objects.get(name_zh="广东省干(体)细胞全生命周期数据管理平台")
    assert (platform.park, platform.lat, platform.lng) == (hengli, hengli.lat, hengli.lng)
    assert platform.position_is_approximate and "park's (approximate)" in platform.description_en
    assert Enterprise.objects.get(name_zh="科诺克").lat is None  # no park, no source: position not known


def test_the_card_lists_every_page_as_a_link(demo, client):
    park = Park.objects.get(name_zh="南沙复旦国际科创园")
    html = client.get(f"/parks/{park.pk}/").content.decode()
    row = next(r for r in REPORTS["parks"] if r["name_zh"] == "南沙复旦国际科创园")
    for source in row["sources"]:
        assert f'<a href="{source["url"]}" rel="noopener nofollow">' in html
    assert "not yet verified" in html or "尚未核实" in html or "未核实" in html


def test_short_names_are_searchable(demo, client):
    park = Park.objects.get(name_zh="中大药谷")
    assert "中山大学国际药谷" in park.aliases
    assert Park.objects.filter(search_names__contains="中山大学国际药谷").exists()


def test_the_dashboard_shows_stated_figures_apart_from_counts(demo, client):
    html = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'class="stated-figures"' in html
    section = html.split('class="stated-figures"')[1].split("</section>")[0]
    assert "约400" in section and "2024-04-29" in section and "yanshiren.com" in section


def broken(tmp_path, change):
    data = json.loads(DATA.read_text(encoding="utf-8"))
    text = change(data)
    path = tmp_path / "broken.json"
    path.write_text(text if isinstance(text, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _cut(data):
    return DATA.read_text(encoding="utf-8")[:50_000]


def _drop(kind):
    return lambda data: data.pop(kind) and None


def _set(kind, index, field, value):
    def change(data):
        data[kind][index][field] = value

    return change


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (_cut, "not valid JSON"),
        (_drop("funds"), "funds: missing"),
        (_set("parks", 2, "sources", []), "parks[2] «广东医谷·南沙二园», field sources"),
        (
            _set("enterprises", 4, "sources", [{"url": "not a page"}]),
            "enterprises[4] «博雅辑因», field sources[0].url",
        ),
        (_set("hospitals", 0, "beds", "1500张"), "hospitals[0] «中山大学附属第一医院南沙院区», field beds"),
        (_set("parks", 0, "kind", "zoo"), "parks[0] «横沥生物医药产业园», field kind"),
        (_set("figures", 0, "value", None), "figures[0] «biomedical enterprises in Nansha», field value"),
        (_set("platforms", 1, "name_zh", ""), "platforms[1], field name_zh"),
        # Passes the file's checks; refused by the import as a staff sheet would be (name longer than 200).
        (_set("funds", 0, "name", "基" * 201), "funds «" + "基" * 201 + "», field name_zh"),
    ],
)
def test_a_damaged_file_is_refused_naming_record_and_field_and_nothing_is_loaded(db, tmp_path, change, named):
    path = broken(tmp_path, change)
    with pytest.raises(CommandError) as refused:
        call_command("load_demo", data=path, verbosity=0)
    assert named in str(refused.value) and "nothing loaded" in str(refused.value)
    assert not any(model.objects.exists() for model in record_models())


def test_staff_see_what_to_verify_and_the_figures_in_the_admin(demo, admin_client):
    weak = Hospital.objects.get(name_zh="广州市南沙区第三人民医院")
    page = admin_client.get(f"/admin/industry/hospital/{weak.pk}/change/").content.decode()
    assert "low reliability" in page and 'name="verification_note"' in page
    figure = StatedFigure.objects.get(value="约400")
    assert admin_client.get("/admin/industry/statedfigure/").status_code == 200
    assert "约400" in admin_client.get(f"/admin/industry/statedfigure/{figure.pk}/change/").content.decode()


def test_the_public_never_sees_what_staff_must_verify(demo, client):
    weak = Park.objects.get(name_zh="生命健康产业园")  # a draft: not public at all
    assert client.get(f"/parks/{weak.pk}/").status_code == 404
    shown = Park.objects.get(name_zh="南沙复旦国际科创园")
    assert "Loaded from public reports" not in client.get(f"/parks/{shown.pk}/").content.decode()


def test_the_api_gives_what_to_verify_to_staff_only(demo, client, admin_client):
    shown = Park.objects.get(name_zh="南沙复旦国际科创园")
    public = client.get(f"/api/v1/parks/{shown.pk}/").json()
    assert "verification_note" not in public and public["name_zh"] == "南沙复旦国际科创园"
    assert "Loaded from public reports" in admin_client.get(f"/api/v1/parks/{shown.pk}/").json()["verification_note"]
