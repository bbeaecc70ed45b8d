"""Reading the dashboard's filters: every period kind, and each refusal named."""

from __future__ import annotations

from datetime import date

import pytest

from scheduler.core.validation import InputRefused
from scheduler.observatory.scope import read_scope

TODAY = date(2026, 3, 18)


def read(**fields):
    fields.setdefault("kind", "month")
    return read_scope(
        site_ids=frozenset({4}), municipality_ids=frozenset({7}), today=TODAY, **fields
    )


@pytest.mark.parametrize(
    ("kind", "value", "first", "last"),
    [
        ("week", "2026-W09", date(2026, 2, 23), date(2026, 3, 1)),
        ("month", "2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("month", "2024-12", date(2024, 12, 1), date(2024, 12, 31)),
        ("quarter", "2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("year", "2025", date(2025, 1, 1), date(2025, 12, 31)),
        ("week", "", date(2026, 3, 16), date(2026, 3, 22)),
        ("quarter", "", date(2026, 1, 1), date(2026, 3, 31)),
    ],
)
def test_each_period_kind_gives_its_first_and_last_day(kind, value, first, last):
    scope = read(kind=kind, value=value)
    assert (scope.first, scope.last) == (first, last)


def test_dates_period_and_the_narrowing_filters():
    scope = read(kind="dates", first="2026-01-15", last="2026-02-14", site="4", municipality="7")
    assert (scope.first, scope.last, scope.site_id, scope.municipality_id) == (
        date(2026, 1, 15),
        date(2026, 2, 14),
        4,
        7,
    )
    assert scope.describe() == "2026-01-15..2026-02-14 site=4 municipality=7"


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"kind": "decade"}, "period", "choice"),
        ({"kind": "month", "value": "2026-13"}, "value", "period_format"),
        ({"kind": "week", "value": "2026-W60"}, "value", "period_format"),
        ({"kind": "quarter", "value": "2026-Q5"}, "value", "period_format"),
        ({"kind": "year", "value": "<script>"}, "value", "period_format"),
        ({"kind": "dates", "first": "", "last": "2026-01-01"}, "first", "required"),
        ({"kind": "dates", "first": "2026-01-01", "last": "31/01/2026"}, "last", "date_format"),
        ({"kind": "dates", "first": "2026-02-01", "last": "2026-01-01"}, "last", "before_first"),
        ({"kind": "dates", "first": "2000-01-01", "last": "2026-01-01"}, "last", "too_long"),
        ({"kind": "year", "value": "9999"}, "value", "out_of_range"),
        ({"kind": "week", "value": "9999-W52"}, "value", "out_of_range"),
        ({"kind": "month", "value": "0001-01"}, "value", "out_of_range"),
        ({"kind": "quarter", "value": "1999-Q4"}, "value", "out_of_range"),
        ({"kind": "dates", "first": "9999-12-31", "last": "9999-12-31"}, "first", "out_of_range"),
        ({"kind": "dates", "first": "2026-01-01", "last": "2101-01-01"}, "last", "out_of_range"),
        ({"site": "5"}, "site", "choice"),
        ({"municipality": "7; drop table"}, "municipality", "choice"),
    ],
)
def test_bad_filters_are_refused_on_their_field(fields, field, code):
    with pytest.raises(InputRefused) as refused:
        read(**fields)
    assert (refused.value.field, refused.value.code) == (field, code)
