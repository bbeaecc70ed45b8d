"""The ``[PLANNING]`` and ``[TRAVEL]`` tables of ``config.toml``, read once and typed.

The service builds :class:`PlanningSettings` when the plans blueprint is registered (and
the command when it runs), so a typo in ``config.toml`` stops the service at start-up
instead of on the first "Plan this week". Services receive the settings as an argument and
never read the Flask configuration themselves.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from scheduler.core.settings import ConfigurationError

from ..planning import Options
from ..planning.travel import TravelOptions

_ENGINES = ("auto", "general", "ortools")
_TRAVEL_MODELS = ("geodesic", "osrm")


@dataclass(frozen=True, slots=True)
class PlanningSettings:
    """Solver options and travel model for planning runs."""

    options: Options = field(default_factory=Options)
    travel: TravelOptions = field(default_factory=TravelOptions)

    @classmethod
    def from_config(
        cls, planning: Mapping[str, Any] | None, travel: Mapping[str, Any] | None = None
    ) -> PlanningSettings:
        """Read both tables; missing keys keep the engine's defaults.

        :raises ConfigurationError: an unknown key, or a value of the wrong kind or range.
        """
        options = _typed(Options, "PLANNING", planning, skip={"solution_limit"})
        limit = dict(planning or {}).get("solution_limit", 0)
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
            raise ConfigurationError("[PLANNING] solution_limit must be a whole number, 0 or more.")
        options = dataclasses.replace(options, solution_limit=limit or None)
        if options.engine not in _ENGINES:
            raise ConfigurationError(f"[PLANNING] engine must be one of {', '.join(_ENGINES)}.")
        if options.time_limit_s <= 0:
            raise ConfigurationError("[PLANNING] time_limit_s must be more than 0 seconds.")
        if options.deadline_horizon_days < 0:
            raise ConfigurationError("[PLANNING] deadline_horizon_days cannot be negative.")
        weights = ("weight_minutes", "weight_km", "unserved_penalty", "continuity", "fairness")
        for name in (*weights, "change", "priority_factor", "deadline_factor", "waiting_factor"):
            if getattr(options, name) < 0:
                raise ConfigurationError(f"[PLANNING] {name} cannot be negative.")
        travel_options = _typed(TravelOptions, "TRAVEL", travel, skip={"zone_speed_kmh"})
        if travel_options.model not in _TRAVEL_MODELS:
            raise ConfigurationError(f"[TRAVEL] model must be one of {', '.join(_TRAVEL_MODELS)}.")
        for name in ("detour_factor", "speed_kmh", "walking_kmh"):
            if getattr(travel_options, name) <= 0:
                raise ConfigurationError(f"[TRAVEL] {name} must be more than 0.")
        if travel_options.stop_min < 0 or travel_options.osrm_max_table < 2:
            raise ConfigurationError("[TRAVEL] stop_min or osrm_max_table is out of range.")
        return cls(options=options, travel=travel_options)

    def with_limits(
        self, *, time_limit_s: float | None = None, solution_limit: int | None = None
    ) -> PlanningSettings:
        """The same settings with another time limit or solution limit (None keeps it)."""
        changes: dict[str, Any] = {}
        if time_limit_s is not None:
            changes["time_limit_s"] = float(time_limit_s)
        if solution_limit is not None:
            changes["solution_limit"] = solution_limit or None
        return dataclasses.replace(self, options=dataclasses.replace(self.options, **changes))


def _typed(
    kind: type[Any], table_name: str, table: Mapping[str, Any] | None, skip: set[str]
) -> Any:
    """An instance of the dataclass ``kind`` from a config table, each value checked."""
    table = dict(table or {})
    fields = {f.name: f for f in dataclasses.fields(kind) if f.name not in skip}
    unknown = sorted(set(table) - set(fields) - skip)
    if unknown:
        raise ConfigurationError(f"[{table_name}] has unknown keys: {', '.join(unknown)}.")
    defaults = kind()
    values: dict[str, Any] = {}
    for name in fields:
        if name not in table:
            continue
        value = table[name]
        default = getattr(defaults, name)
        if isinstance(default, bool) or isinstance(value, bool):
            ok = isinstance(value, bool) and isinstance(default, bool)
        elif isinstance(default, float):
            ok = isinstance(value, int | float)
            value = float(value) if ok else value
        else:
            ok = isinstance(value, type(default))
        if not ok:
            raise ConfigurationError(
                f"[{table_name}] {name} should be a {type(default).__name__}, not {value!r}."
            )
        values[name] = value
    return kind(**values)
