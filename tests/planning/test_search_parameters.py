"""The OR-Tools routing search's parameters: guided local search, its lambda when one is set,
and the solution limit of repeatable runs."""

from __future__ import annotations

from pytest import MonkeyPatch

from scheduler.planning import Options
from scheduler.planning import search
from scheduler.planning.search import search_parameters


def test_the_guided_local_search_keeps_its_own_lambda_unless_one_is_set(
    monkeypatch: MonkeyPatch,
) -> None:
    default = search_parameters(Options(), 100, 1.0)
    assert default.guided_local_search_lambda_coefficient == 0.1
    monkeypatch.setattr(search, "GLS_LAMBDA", 0.5)
    assert search_parameters(Options(), 100, 1.0).guided_local_search_lambda_coefficient == 0.5


def test_a_repeatable_run_stops_at_its_solution_count_and_the_time_still_guards() -> None:
    params = search_parameters(Options(solution_limit=40), 100, 2.5)
    assert params.solution_limit == 40
    assert params.time_limit.ToMilliseconds() == 2500
