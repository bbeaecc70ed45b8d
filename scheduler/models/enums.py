"""The domain's closed vocabularies, stored by value.

Values are the stable codes written in the database and in URLs; the words people
read come from the interface's translations, never from here.
"""

from __future__ import annotations

import enum


class Role(enum.StrEnum):
    ADMIN = "admin"
    DISPATCHER = "dispatcher"
    VOLUNTEER = "volunteer"
    #: Staff of a partner organisation: refers people and follows its own referrals only.
    PARTNER = "partner"


class Mode(enum.StrEnum):
    """How help is given: someone comes, someone calls, or the person comes to a site."""

    HOME = "home"
    PHONE = "phone"
    DROPIN = "dropin"


class Need(enum.StrEnum):
    EMAIL = "email"
    PUBLIC_SERVICES = "public_services"
    VIDEO_CALLS = "video_calls"
    SCHOOL_PORTAL = "school_portal"
    SMARTPHONE = "smartphone"
    KEYBOARD_MOUSE = "keyboard_mouse"
    JOB_SEARCH = "job_search"
    OTHER = "other"


class Period(enum.StrEnum):
    """Parts of a day a beneficiary can say they are free; hours come from config."""

    MORNING = "am"
    AFTERNOON = "pm"
    EVENING = "eve"


class Weekday(enum.IntEnum):
    MON = 0
    TUE = 1
    WED = 2
    THU = 3
    FRI = 4
    SAT = 5
    SUN = 6

    @property
    def code(self) -> str:
        return self.name.lower()


class Priority(enum.IntEnum):
    LOW = 0
    NORMAL = 1
    HIGH = 2
    URGENT = 3


class RequestStatus(enum.StrEnum):
    """Life of a help request: new → triaged → planned → confirmed → done / cancelled / no-show."""

    NEW = "new"
    TRIAGED = "triaged"
    PLANNED = "planned"
    CONFIRMED = "confirmed"
    DONE = "done"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATUSES


OPEN_STATUSES = frozenset(
    {RequestStatus.NEW, RequestStatus.TRIAGED, RequestStatus.PLANNED, RequestStatus.CONFIRMED}
)


class Source(enum.StrEnum):
    """Who filled in the request: the person, a partner for them, a dispatcher on the phone,
    or the organisation's own software through the REST API with a staff token."""

    ONLINE = "online"
    PARTNER = "partner"
    PHONE = "phone"
    API = "api"


class Referral(enum.StrEnum):
    """How the person heard of the service (the observatory of needs counts these)."""

    WORD_OF_MOUTH = "word_of_mouth"
    SOCIAL_WORKER = "social_worker"
    SCHOOL = "school"
    HOUSING = "housing"
    FOOD_BANK = "food_bank"
    LIBRARY = "library"
    MUNICIPALITY = "municipality"
    OTHER = "other"


class AppointmentStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    DONE = "done"
    NO_SHOW = "no_show"


class PlanStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"
    DISCARDED = "discarded"


class FeedKind(enum.StrEnum):
    VOLUNTEER = "volunteer"
    TEAM = "team"
    SITE = "site"


class PartnerKind(enum.StrEnum):
    """What kind of organisation refers people (the observatory groups referrals by it)."""

    SOCIAL_SERVICES = "social_services"
    SCHOOL = "school"
    SOCIAL_LANDLORD = "social_landlord"
    FOOD_BANK = "food_bank"
    LIBRARY = "library"
    MUNICIPALITY = "municipality"
    OTHER = "other"


class SeriesStatus(enum.StrEnum):
    """Life of a workshop series: drafted by hand or proposed by the planner, then published
    (seen by the public and in the feeds) or cancelled."""

    DRAFT = "draft"
    PROPOSED = "proposed"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class EnrolmentStatus(enum.StrEnum):
    """A person's place in a workshop series.

    enrolled → completed, or withdrawn; waiting → offered (a freed seat, until the offer
    expires) → enrolled, or back to the next person.
    """

    ENROLLED = "enrolled"
    WAITING = "waiting"
    OFFERED = "offered"
    WITHDRAWN = "withdrawn"
    COMPLETED = "completed"
