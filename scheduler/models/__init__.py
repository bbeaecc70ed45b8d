"""SQLAlchemy 2 typed models. Import from here: ``from scheduler.models import HelpRequest``."""

from .api_tokens import PARTNER_SCOPES
from .api_tokens import ApiScope
from .api_tokens import ApiToken
from .appointments import Appointment
from .audit import AuditEntry
from .base import Base
from .base import UTCDateTime
from .base import utcnow
from .devices import Device
from .devices import DeviceKind
from .devices import DeviceLoan
from .devices import DeviceState
from .drafts import BookingDraft
from .enums import OPEN_STATUSES
from .enums import AppointmentStatus
from .enums import EnrolmentStatus
from .enums import FeedKind
from .enums import Mode
from .enums import Need
from .enums import PartnerKind
from .enums import Period
from .enums import PlanStatus
from .enums import Priority
from .enums import Referral
from .enums import RequestStatus
from .enums import Role
from .enums import SeriesStatus
from .enums import Source
from .enums import Weekday
from .feeds import FeedToken
from .messages import MessageChannel
from .messages import MessageKind
from .messages import MessageOptOut
from .messages import MessageSetting
from .messages import MessageStatus
from .messages import OutboxMessage
from .messages import RecipientKind
from .messages import TimedRun
from .observatory import ExportRecord
from .organisation import Municipality
from .organisation import Organisation
from .organisation import Site
from .organisation import SiteOpening
from .partners import PartnerOrganisation
from .people import Absence
from .people import AvailabilityWindow
from .people import Beneficiary
from .people import User
from .people import Volunteer
from .places import GeocodedAddress
from .plans import Plan
from .plans import PlannedVisit
from .plans import PlanUnassigned
from .reports import VisitReport
from .requests import HelpRequest
from .requests import RequestEvent
from .requests import Series
from .running import PlanEdit
from .running import PlanLock
from .running import PlanningPolicy
from .submissions import FormSubmission
from .tasks import ACTIVE_TASK_STATUSES
from .tasks import TaskRun
from .tasks import TaskStatus
from .workshops import Attendance
from .workshops import Enrolment
from .workshops import Programme
from .workshops import WorkshopSeries
from .workshops import WorkshopSession
from .workshops import workshop_session_leader

__all__ = [
    "ACTIVE_TASK_STATUSES",
    "OPEN_STATUSES",
    "PARTNER_SCOPES",
    "ApiScope",
    "ApiToken",
    "Absence",
    "Appointment",
    "AuditEntry",
    "Attendance",
    "AppointmentStatus",
    "AvailabilityWindow",
    "Base",
    "Beneficiary",
    "BookingDraft",
    "Device",
    "DeviceKind",
    "DeviceLoan",
    "DeviceState",
    "Enrolment",
    "EnrolmentStatus",
    "ExportRecord",
    "FeedKind",
    "FeedToken",
    "FormSubmission",
    "GeocodedAddress",
    "HelpRequest",
    "MessageChannel",
    "MessageKind",
    "MessageOptOut",
    "MessageSetting",
    "MessageStatus",
    "Mode",
    "Municipality",
    "Need",
    "Organisation",
    "OutboxMessage",
    "PartnerKind",
    "PartnerOrganisation",
    "Period",
    "Plan",
    "PlanStatus",
    "PlanEdit",
    "PlanLock",
    "PlanUnassigned",
    "PlanningPolicy",
    "PlannedVisit",
    "Priority",
    "Programme",
    "RecipientKind",
    "Referral",
    "RequestEvent",
    "RequestStatus",
    "Role",
    "Series",
    "SeriesStatus",
    "VisitReport",
    "Site",
    "SiteOpening",
    "Source",
    "TimedRun",
    "TaskRun",
    "TaskStatus",
    "UTCDateTime",
    "User",
    "Volunteer",
    "Weekday",
    "WorkshopSeries",
    "WorkshopSession",
    "utcnow",
    "workshop_session_leader",
]
