"""Words for the codes volunteers' pages show: skills, which are need codes.

A skill reads as the need it answers, in the same words as the inbox's triage
panel, so that "required skill" and "volunteer's skill" never look like two things.
"""

from __future__ import annotations

from scheduler.people.volunteers import SKILLS

from ..labels import need_label


def skill_label(code: str) -> str:
    return need_label(code)


def skill_choices() -> list[tuple[str, str]]:
    return [(code, skill_label(code)) for code in SKILLS]
