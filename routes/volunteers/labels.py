"""Words for the codes volunteers' pages show: skills (need codes)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from scheduler.models import Need
from scheduler.volunteers import SKILLS

SKILL_LABELS = {
    Need.EMAIL.value: _l("E-mail and messages"),
    Need.PUBLIC_SERVICES.value: _l("Online public services"),
    Need.VIDEO_CALLS.value: _l("Video calls"),
    Need.SCHOOL_PORTAL.value: _l("School portal"),
    Need.SMARTPHONE.value: _l("Smartphone and tablet"),
    Need.KEYBOARD_MOUSE.value: _l("Keyboard, mouse and first steps"),
    Need.JOB_SEARCH.value: _l("Job search online"),
    Need.OTHER.value: _l("Other"),
}


def skill_label(code: str) -> str:
    return str(SKILL_LABELS.get(code, code))


def skill_choices() -> list[tuple[str, str]]:
    return [(code, skill_label(code)) for code in SKILLS]
