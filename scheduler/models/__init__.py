"""SQLAlchemy 2 typed models. Import from here: ``from scheduler.models import HelpRequest``."""

from .appointments import Appointment
from .base import Base
from .base import UTCDateTime
from .base import utcnow
from .enums import OPEN_STATUSES
from .enums import AppointmentStatus
from .enums import FeedKind
from .enums import Mode
from .enums import Need
from .enums import Period
from .enums import PlanStatus
from .enums import Priority
from .enums import Referral
from .enums import RequestStatus
from .enums import Role
from .enums import Source
from .enums import Weekday
from .feeds import FeedToken
from .observatory import ExportRecord
from .organisation import Municipality
from .organisation import Organisation
from .organisation import Site
from .organisation import SiteOpening
from .people import Absence
from .people import AvailabilityWindow
from .people import Beneficiary
from .people import User
from .people import Volunteer
from .places import GeocodedAddress
from .plans import Plan
from .plans import PlannedVisit
from .plans import PlanUnassigned
from .requests import HelpRequest
from .requests import RequestEvent
from .requests import Series

__all__ = [
    "OPEN_STATUSES",
    "Absence",
    "Appointment",
    "AppointmentStatus",
    "AvailabilityWindow",
    "Base",
    "Beneficiary",
    "ExportRecord",
    "FeedKind",
    "FeedToken",
    "GeocodedAddress",
    "HelpRequest",
    "Mode",
    "Municipality",
    "Need",
    "Organisation",
    "Period",
    "Plan",
    "PlanStatus",
    "PlanUnassigned",
    "PlannedVisit",
    "Priority",
    "Referral",
    "RequestEvent",
    "RequestStatus",
    "Role",
    "Series",
    "Site",
    "SiteOpening",
    "Source",
    "UTCDateTime",
    "User",
    "Volunteer",
    "Weekday",
    "utcnow",
]
