"""Reading pasted "name,region,lat,lon" lines, without a database."""

from __future__ import annotations

import pytest

from scheduler.organisation.territory import MAX_LINES
from scheduler.organisation.territory import LineProblem
from scheduler.organisation.territory import Place
from scheduler.organisation.territory import TooManyLines
from scheduler.organisation.territory import parse_lines


def test_good_lines_become_places_and_a_header_and_blank_lines_are_skipped():
    text = (
        "name,region,lat,lon\n"
        "Wickham,QC,45.75,-72.5\n"
        "\n"
        '"Saint-Lucien, village", QC , 45.86, -72.26\n'
    )
    places, errors = parse_lines(text, taken=set())
    assert errors == []
    assert places == [
        Place("Wickham", "QC", 45.75, -72.5),
        Place("Saint-Lucien, village", "QC", 45.86, -72.26),
    ]


def test_every_bad_line_is_reported_by_its_number():
    text = "\n".join(
        [
            "Wickham,QC,45.75,-72.5",
            "L'Avenir,QC,45.77",
            "Durham-Sud,QC,north,-72.3",
            "Lefebvre,QC,45.7,-200",
            ",QC,45.7,-72.3",
            "Wickham,QC,45.75,-72.5",
            "Drummondville,QC,45.88,-72.48",
        ]
    )
    places, errors = parse_lines(text, taken={"drummondville"})
    assert [(e.line, e.code) for e in errors] == [
        (2, LineProblem.COLUMNS),
        (3, LineProblem.LAT),
        (4, LineProblem.LON),
        (5, LineProblem.NAME),
        (6, LineProblem.DUPLICATE),
        (7, LineProblem.EXISTS),
    ]
    assert errors[1].text == "Durham-Sud,QC,north,-72.3"
    assert [p.name for p in places] == ["Wickham"]


def test_region_may_be_empty():
    places, errors = parse_lines("Wickham,,45.75,-72.5", taken=set())
    assert errors == [] and places == [Place("Wickham", None, 45.75, -72.5)]


def test_a_huge_paste_is_refused_at_once():
    with pytest.raises(TooManyLines):
        parse_lines("A,QC,1,1\n" * (MAX_LINES + 1), taken=set())
