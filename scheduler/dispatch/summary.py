"""A stored plan's figures as plain lines, for the ``plan-week`` command (in English, like
the other commands' output)."""

from __future__ import annotations

from ..models import Plan as PlanRow

REASON_WORDS = {
    "no_availability": "no volunteer is free at the times the person gave",
    "series_volunteer_unavailable": "the cycle's volunteer is not free",
    "no_language_match": "no free volunteer speaks the language",
    "missing_skill": "no free volunteer has the skill",
    "needs_car": "too far to walk, and no free volunteer has a car",
    "beyond_km_limit": "beyond every free volunteer's km limit",
    "beyond_road_time_limit": "beyond every free volunteer's time on the road",
    "travel_does_not_fit": "the drive does not fit in anyone's free time",
    "pin_conflict": "a confirmed time can no longer be kept",
    "capacity": "volunteers' week is full",
    "capacity_locked": "the volunteer-days that could take it are locked",
    "after_deadline": "nothing fits before its deadline (deadlines are strict)",
    "no_time_this_week": "none of the person's free times is left this week",
    "volunteer_absent": "the confirmed volunteer is away that day",
    "dropin_no_opening": "no drop-in session falls in the person's free times",
    "dropin_unstaffed": "no volunteer could be planned at the drop-in session",
    "dropin_full": "the drop-in sessions that fit are full",
}


def summary_lines(plan: PlanRow) -> list[str]:
    """Served / total, drop-in seats, km, hours on the road, left out by reason."""
    stats = plan.stats or {}
    lines = [
        f"Draft plan #{plan.id} saved ({stats.get('solver', '?')}, "
        f"{plan.solve_seconds or 0:.1f} s).",
        f"Requests served: {stats.get('requests_served', 0)} / {stats.get('requests_total', 0)}",
        f"Drop-in seats staffed: {stats.get('dropin_seats_filled', 0)} / "
        f"{stats.get('dropin_seats_total', 0)}",
        f"Visitors booked at drop-ins: {stats.get('visitors_booked', 0)}",
        f"Volunteers with work: {stats.get('volunteers', 0)}",
        f"Distance: {stats.get('km', 0):.1f} km",
        f"On the road: {stats.get('road_min', 0) / 60:.1f} h",
    ]
    late = stats.get("late") or []
    if late:
        lines.append(f"Placed after their deadline: {len(late)}")
    reasons = stats.get("left_out_by_reason") or {}
    if reasons:
        lines.append("Left out:")
        for code, count in sorted(reasons.items(), key=lambda item: (-item[1], item[0])):
            lines.append(f"  {count:>3}  {REASON_WORDS.get(code, code)} ({code})")
    else:
        lines.append("Left out: none")
    return lines
