"""The dashboard's charts, with their words: each one's figures are also in a table."""

from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _

from scheduler.observatory import Dashboard
from scheduler.observatory import charts
from scheduler.observatory.figures import OUTCOMES

from . import words


def dashboard_charts(dash: Dashboard, names: dict[int, str]) -> dict[str, str]:
    """Chart name → ``data:`` URI of its SVG; a chart without figures is left out."""
    out: dict[str, str] = {}
    towns = dash.by_municipality[:15]
    if towns:
        out["municipality"] = charts.stacked_bars(
            [t.key for t in towns],
            [
                charts.Series(str(words.OUTCOME[name]), [t[name] or None for t in towns])
                for name in OUTCOMES
            ],
        )
    if dash.reasons:
        top = dash.reasons[:8]
        out["reasons"] = charts.bars(
            [_short(words.reason_text(r)) for r in top], [r.requests for r in top]
        )
    if any(w.requests for w in dash.waiting_weeks):
        out["waiting"] = charts.lines(
            [format_date(w.monday, "d MMM") for w in dash.waiting_weeks if w.monday],
            [
                charts.Series(_("Median (days)"), [w.median_days for w in dash.waiting_weeks]),
                charts.Series(
                    _("90th percentile (days)"), [w.p90_days for w in dash.waiting_weeks]
                ),
            ],
        )
    if dash.hours:
        top_hours = dash.hours[:15]
        out["hours"] = charts.stacked_bars(
            [names.get(h.volunteer_id, "?") for h in top_hours],
            [
                charts.Series(_("Hours helping"), [round(h.help_min / 60, 1) for h in top_hours]),
                charts.Series(
                    _("Hours on the road"), [round(h.travel_min / 60, 1) for h in top_hours]
                ),
            ],
        )
    if dash.demand:
        out["map"] = charts.territory_map(
            [
                charts.MapPoint(d.place.name, d.place.lat, d.place.lon, d.per_thousand, d.unmet)
                for d in dash.demand
            ],
            legend=_("Requests not met per 1,000 inhabitants"),
            unknown=_("Municipalities"),
        )
    return out


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
