"""Visit reports: a volunteer says what happened at each visit, and the year adds up.

See :mod:`.visits`. No Flask, no Babel: refusals are codes, words live in the pages.
"""

from .visits import EDIT_DAYS
from .visits import Reportable
from .visits import YearTotals
from .visits import find_own_appointment
from .visits import read_report
from .visits import report_closed
from .visits import report_of
from .visits import report_visit
from .visits import reportable_visits
from .visits import year_totals

__all__ = [
    "EDIT_DAYS",
    "Reportable",
    "YearTotals",
    "find_own_appointment",
    "read_report",
    "report_closed",
    "report_of",
    "report_visit",
    "reportable_visits",
    "year_totals",
]
