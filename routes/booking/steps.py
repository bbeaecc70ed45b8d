"""The public form, one question per screen: which screens, which answers each holds,
and where the person goes next.

The screens share :class:`~routes.booking.forms.BookingForm` and so every check of the
one-page form: each screen validates the whole form over the answers kept so far plus
what was just posted, and only its own questions' messages are shown. Nothing here
reads the request; the views in :mod:`routes.booking.journey` do.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from scheduler.models import Mode


@dataclass(frozen=True)
class Step:
    name: str
    #: The question, as the screen's title.
    title: object
    #: Names of the form fields this screen asks.
    fields: tuple[str, ...]


STEPS: tuple[Step, ...] = (
    Step("how", _l("How do you want to be helped?"), ("mode",)),
    Step("what", _l("What do you need help with?"), ("needs", "need_details")),
    Step("where", _l("Where do you live?"), ("municipality", "address", "site")),
    Step("when", _l("When are you free?"), ("availability", "any_time", "deadline")),
    Step(
        "contact",
        _l("How can we reach you?"),
        (
            "first_name",
            "phone",
            "email",
            "languages",
            "accessibility_notes",
            "for_someone_else",
            "partner_name",
            "referral",
            "referral_name",
            "consent",
            "website",
        ),
    ),
)
CHECK = "check"
NAMES: tuple[str, ...] = tuple(s.name for s in STEPS)
BY_NAME = {s.name: s for s in STEPS}
#: Screens in all, the check page included ("Question 3 of 6").
TOTAL = len(STEPS) + 1
#: The screen where a field is asked, to send the person back to it.
STEP_OF_FIELD = {name: s.name for s in STEPS for name in s.fields}
#: Screens whose answers depend on another's: a new way of being helped asks "where" again
#: (an address for a home visit, a drop-in site for a drop-in).
DEPENDS_ON = {"how": ("where",)}


def number(step: str) -> int:
    """1 for the first screen … TOTAL for the check page."""
    return NAMES.index(step) + 1 if step in NAMES else TOTAL


def first_missing(done: Iterable[str]) -> str | None:
    """The first screen not yet answered, or None when every one is."""
    answered = set(done)
    for name in NAMES:
        if name not in answered:
            return name
    return None


def reachable(step: str, done: Iterable[str]) -> bool:
    """A screen can be shown once every screen before it is answered."""
    missing = first_missing(done)
    if step == CHECK:
        return missing is None
    return missing is None or NAMES.index(step) <= NAMES.index(missing)


def next_step(step: str, done: Iterable[str], *, changing: bool) -> str:
    """Where to go after a screen is answered.

    Going forward, the next screen (answers kept from before are shown again). When the
    person came from the check page to change one answer, straight back to it, unless
    the change needs another answer first.
    """
    missing = first_missing(done)
    if changing:
        return missing or CHECK
    order = [*NAMES, CHECK]
    following = order[order.index(step) + 1]
    if missing is not None and order.index(missing) < order.index(following):
        return missing
    return following


def previous_step(step: str) -> str | None:
    """The screen before, for the back link; None on the first one."""
    index = number(step) - 1
    return NAMES[index - 1] if index >= 1 else None


def merged_answers(
    kept: Mapping[str, list[str]], posted: MultiDict[str, str], step: str
) -> MultiDict[str, str]:
    """The answers kept so far, with this screen's questions replaced by what was posted.

    A box left unticked is absent from a post: the screen's fields are taken from the
    post alone, so unticking something on a screen really unticks it.
    """
    fields = BY_NAME[step].fields
    merged: MultiDict[str, str] = MultiDict()
    for name, values in kept.items():
        if name not in fields:
            merged.setlist(name, list(values))
    for name in fields:
        merged.setlist(name, posted.getlist(name))
    if "csrf_token" in posted:
        merged.setlist("csrf_token", posted.getlist("csrf_token"))
    return merged


def step_answers(posted: MultiDict[str, str], step: str) -> dict[str, list[str]]:
    """This screen's answers as they are kept (the hidden robot field never is)."""
    return {name: posted.getlist(name) for name in BY_NAME[step].fields if name != "website"}


def with_implied_mode(answers: MultiDict[str, str]) -> MultiDict[str, str]:
    """The answers, with the way of being helped that the "where" screen implies when none
    is kept (the draft saying it was erased while the screen was open): an address is for
    a home visit, a drop-in place for a drop-in. The screen then shows what was typed."""
    if not answers.get("mode"):
        if answers.get("address"):
            answers.setlist("mode", [Mode.HOME.value])
        elif answers.get("site"):
            answers.setlist("mode", [Mode.DROPIN.value])
    return answers


def mode_of(kept: Mapping[str, list[str]]) -> Mode | None:
    values = kept.get("mode") or []
    try:
        return Mode(values[0]) if values else None
    except ValueError:
        return None
