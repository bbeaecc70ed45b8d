"""The rules of a week of time slots, checked without a database."""

from __future__ import annotations

from datetime import time

import pytest

from routes.weekly import parse_clock
from scheduler.core.weekly import MAX_WINDOWS_PER_DAY
from scheduler.core.weekly import RowProblem
from scheduler.core.weekly import WindowInput
from scheduler.core.weekly import WindowProblem
from scheduler.core.weekly import check_windows


def w(day: int, a: str | None, b: str | None) -> WindowInput:
    def t(text: str | None) -> time | None:
        return None if text is None else time(*map(int, text.split(":")))

    return WindowInput(day, t(a), t(b))


def test_several_slots_a_day_and_touching_slots_are_fine():
    rows = [
        w(0, "9:00", "12:00"),
        w(0, "12:00", "13:00"),
        w(0, "14:00", "16:00"),
        w(1, "9:00", "12:00"),
    ]
    assert check_windows(rows) == []


def test_blank_rows_are_ignored():
    assert check_windows([w(0, None, None), w(6, None, None)]) == []


def test_overlap_blames_the_row_typed_later_and_names_the_earlier_one():
    rows = [w(2, "13:00", "15:00"), w(2, "9:00", "12:00"), w(2, "11:00", "14:00")]
    assert check_windows(rows) == [RowProblem(2, WindowProblem.OVERLAP, 1)]


def test_a_slot_inside_another_is_an_overlap():
    rows = [w(3, "9:00", "17:00"), w(3, "10:00", "11:00"), w(3, "15:00", "16:00")]
    problems = check_windows(rows)
    assert [(p.index, p.code, p.other) for p in problems] == [
        (1, WindowProblem.OVERLAP, 0),
        (2, WindowProblem.OVERLAP, 0),
    ]


def test_same_times_on_different_days_do_not_overlap():
    assert check_windows([w(0, "9:00", "12:00"), w(1, "9:00", "12:00")]) == []


@pytest.mark.parametrize(
    ("row", "code"),
    [
        (w(0, "12:00", "9:00"), WindowProblem.ORDER),
        (w(0, "9:00", "9:00"), WindowProblem.ORDER),
        (w(0, "9:00", None), WindowProblem.INCOMPLETE),
        (w(0, None, "9:00"), WindowProblem.INCOMPLETE),
        (w(7, "9:00", "10:00"), WindowProblem.WEEKDAY),
        (w(-1, None, None), WindowProblem.WEEKDAY),
    ],
)
def test_each_bad_row_gets_its_reason(row, code):
    assert check_windows([w(4, "9:00", "10:00"), row]) == [RowProblem(1, code)]


def test_too_many_slots_in_one_day_are_refused():
    rows = [w(0, f"{h}:00", f"{h}:30") for h in range(8, 8 + MAX_WINDOWS_PER_DAY + 1)]
    assert check_windows(rows) == [RowProblem(MAX_WINDOWS_PER_DAY, WindowProblem.TOO_MANY)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9", time(9)),
        ("9h", time(9)),
        ("9 h 30", time(9, 30)),
        ("09:30", time(9, 30)),
        ("13h05", time(13, 5)),
        ("09:30:00", time(9, 30)),
        ("9.30", time(9, 30)),
        ("24:00", None),
        ("9:75", None),
        ("midi", None),
        ("", None),
    ],
)
def test_times_are_read_the_way_people_type_them(text, expected):
    assert parse_clock(text) == expected
