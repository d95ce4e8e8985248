"""The validation rules every record obeys: credit codes, positions, park outlines."""

import pytest
from django.core.exceptions import ValidationError

from nansha.datasets.synthetic import synthetic_credit_code
from nansha.records.validators import clean_outline, validate_credit_code, validate_latitude, validate_longitude

# Published unified social credit codes of real companies (their check characters are right).
REAL_CODES = ["91440300708461136T", "914403001922038216", "91110000802100433B"]

SQUARE = [[113.50, 22.80], [113.51, 22.80], [113.51, 22.81], [113.50, 22.81], [113.50, 22.80]]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_credit_codes_pass(code):
    validate_credit_code(code)


def test_lowercase_and_spaces_are_tolerated():
    validate_credit_code(f"  {REAL_CODES[0].lower()} ")


def test_a_mistyped_character_is_caught_by_the_check_character():
    code = REAL_CODES[0]
    mistyped = code[:5] + ("1" if code[5] != "1" else "2") + code[6:]
    with pytest.raises(ValidationError) as error:
        validate_credit_code(mistyped)
    assert error.value.code == "check"
    assert "T" in str(error.value.messages) or "check character" in str(error.value.messages)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("9144030070846113", "length"),
        ("91440300708461136TX", "length"),
        ("91440300708461I36T", "alphabet"),  # I is not in the alphabet
        ("914403O0708461136T", "alphabet"),
        ("9144AB00708461136T", "area"),
    ],
)
def test_malformed_credit_codes_say_why(code, reason):
    with pytest.raises(ValidationError) as error:
        validate_credit_code(code)
    assert error.value.code == reason


def test_synthetic_credit_codes_are_well_formed_and_unique():
    codes = [synthetic_credit_code(i) for i in range(1, 2000)]
    for code in codes[:50]:
        validate_credit_code(code)
    assert len(set(codes)) == len(codes)
    assert all(code[2:8] == "000000" for code in codes)


@pytest.mark.parametrize(("lat", "lng"), [(22.80, 113.53), (22.28, 114.16), (22.19, 113.54), (20.05, 110.3)])
def test_points_in_guangdong_and_the_bay_area_pass(lat, lng):
    validate_latitude(lat)
    validate_longitude(lng)


@pytest.mark.parametrize("lat", [39.9, 0.0, -22.8, 91.0, float("nan"), float("inf")])
def test_latitudes_outside_the_region_are_refused(lat):
    with pytest.raises(ValidationError):
        validate_latitude(lat)


@pytest.mark.parametrize("lng", [121.5, 0.0, 181.0, float("-inf")])
def test_longitudes_outside_the_region_are_refused(lng):
    with pytest.raises(ValidationError):
        validate_longitude(lng)


def test_swapped_coordinates_get_a_hint():
    with pytest.raises(ValidationError) as error:
        validate_longitude(22.8)
    assert "swapped" in error.value.messages[0]


def test_a_polygon_outline_is_kept_and_stripped_to_type_and_coordinates():
    outline = {"type": "Polygon", "coordinates": [SQUARE], "name": "x"}
    assert clean_outline(outline) == {"type": "Polygon", "coordinates": [SQUARE]}


def test_a_feature_from_a_drawing_tool_is_unwrapped():
    feature = {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [SQUARE]}}
    assert clean_outline(feature)["type"] == "Polygon"


def test_a_multipolygon_outline_passes():
    other = [[lng + 0.05, lat] for lng, lat in SQUARE]
    assert clean_outline({"type": "MultiPolygon", "coordinates": [[SQUARE], [other]]})["type"] == "MultiPolygon"


def test_an_empty_outline_is_none():
    assert clean_outline(None) is None
    assert clean_outline("") is None


@pytest.mark.parametrize(
    ("outline", "says"),
    [
        ({"type": "Point", "coordinates": [113.5, 22.8]}, "Polygon or MultiPolygon"),
        ([1, 2, 3], "Polygon or MultiPolygon"),
        ({"type": "Polygon", "coordinates": []}, "no coordinates"),
        ({"type": "Polygon", "coordinates": [SQUARE[:-1]]}, "not closed"),
        ({"type": "Polygon", "coordinates": [SQUARE[:3]]}, "at least four"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}, "outside Guangdong"),
        ({"type": "Polygon", "coordinates": [[["a", "b"], [1, 0], [1, 1], ["a", "b"]]]}, "must be numbers"),
        (
            {"type": "Polygon", "coordinates": [[[113.5, 22.8], [113.5], [113.6, 22.9], [113.5, 22.8]]]},
            "[longitude, latitude]",
        ),
        (
            # a bow tie: the ring crosses itself
            {
                "type": "Polygon",
                "coordinates": [[[113.5, 22.8], [113.6, 22.9], [113.6, 22.8], [113.5, 22.9], [113.5, 22.8]]],
            },
            "crosses itself near 22.850000° N, 113.550000° E",
        ),
    ],
)
def test_bad_outlines_say_what_is_wrong(outline, says):
    with pytest.raises(ValidationError) as error:
        clean_outline(outline)
    assert says in " ".join(error.value.messages)
