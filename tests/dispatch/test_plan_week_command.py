"""`escouade plan-week` plans a week from the database and prints what it did."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from scheduler.core.extensions import db
from scheduler.core.settings import ConfigurationError
from scheduler.dispatch import PlanningSettings
from scheduler.models import Organisation
from scheduler.models import Plan
from scheduler.models import PlanStatus

from ..builders import make_request


@pytest.fixture
def app(make_app):
    return make_app(PLANNING={"solution_limit": 50})


def test_plan_week_saves_a_draft_and_prints_the_summary(app, runner, world):
    with app.app_context():
        org = db.session.get(Organisation, world.org_id)
        make_request(db.session, org, languages=["sw"])
        db.session.commit()
    result = runner.invoke(args=["plan-week", "--week", "2030-W10", "--time-limit", "5"])
    assert result.exit_code == 0, result.output
    assert "Requests served: 0 / 1" in result.output
    assert "Drop-in seats staffed:" in result.output
    assert "km" in result.output and "On the road:" in result.output
    assert "no free volunteer speaks the language (no_language_match)" in result.output
    with app.app_context():
        plan = db.session.scalar(sa.select(Plan))
        assert plan.status is PlanStatus.DRAFT
        assert plan.time_limit_s == 5.0


@pytest.mark.parametrize("week", ["2026-W54", "next week", "49"])
def test_plan_week_refuses_a_malformed_week_with_a_message(runner, world, week):
    result = runner.invoke(args=["plan-week", "--week", week])
    assert result.exit_code == 2
    assert "write it like 2026-W49" in result.output


@pytest.mark.parametrize("week", ["9999-W52", "0001-W01"])
def test_plan_week_refuses_a_week_at_the_ends_of_the_calendar_with_a_message(runner, world, week):
    result = runner.invoke(args=["plan-week", "--week", week])
    assert result.exit_code == 2
    assert "between 2000 and 2100" in result.output
    assert "Traceback" not in result.output


def test_planning_settings_refuse_unknown_keys_and_wrong_kinds():
    with pytest.raises(ConfigurationError, match="unknown keys: weight_kms"):
        PlanningSettings.from_config({"weight_kms": 1.0})
    with pytest.raises(ConfigurationError, match="time_limit_s"):
        PlanningSettings.from_config({"time_limit_s": "ten"})
    with pytest.raises(ConfigurationError, match="model"):
        PlanningSettings.from_config({}, {"model": "teleport"})


def test_committed_config_tables_are_all_read(app):
    settings = PlanningSettings.from_config(app.config["PLANNING"], app.config["TRAVEL"])
    assert settings.options.time_limit_s == 10.0
    assert settings.options.solution_limit == 50
    assert settings.travel.detour_factor == 1.3


def test_plan_week_takes_a_mode_for_a_published_week(app, runner, world):
    result = runner.invoke(args=["plan-week", "--week", "2030-W10", "--mode", "wild"])
    assert result.exit_code != 0
    assert "keep" in result.output
    result = runner.invoke(
        args=["plan-week", "--week", "2030-W10", "--mode", "free", "--time-limit", "2"]
    )
    assert result.exit_code == 0, result.output
