"""The series proposal pages: ask where and when a programme's next series should be held,
review the answer (who each series takes, why everyone else is left out), publish it.

Blueprint ``proposals`` under /dispatch/workshops/programmes/<id>/proposal; staff only.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("proposals", __name__, url_prefix="/dispatch/workshops/programmes")

from routes.proposals import pages  # noqa: E402,F401
