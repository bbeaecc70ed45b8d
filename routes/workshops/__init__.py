"""Group workshops: the dispatchers' pages (programmes, series, enrolment, waiting list)
and the leader's attendance page. Blueprint ``workshops``; the public pages join
``booking`` (see :mod:`routes.booking.workshops`)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("workshops", __name__)

from . import attendance  # noqa: E402,F401  (views register on bp)
from . import enrolling  # noqa: E402,F401
from . import staff  # noqa: E402,F401
