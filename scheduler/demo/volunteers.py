"""The demo's twelve volunteers: hours, cars, languages, skills and limits."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class VolunteerSpec:
    first: str
    last: str
    town: str
    languages: tuple[str, ...]
    skills: tuple[str, ...]
    car: bool
    windows: tuple[tuple[int, str, str], ...]
    max_km: int | None = None
    max_road_min: int | None = None
    max_day: int | None = None
    max_week: int | None = None
    max_week_hours: int | None = None
    login: bool = False


ALL_SKILLS = (
    "email",
    "public_services",
    "video_calls",
    "school_portal",
    "smartphone",
    "keyboard_mouse",
    "job_search",
)

VOLUNTEERS = (
    VolunteerSpec(
        "Sylvie",
        "Tremblay",
        "Drummondville",
        ("fr", "en"),
        ("email", "public_services", "smartphone", "video_calls"),
        True,
        (
            (0, "09:00", "12:00"),
            (0, "13:00", "16:00"),
            (2, "09:00", "12:00"),
            (2, "13:00", "16:00"),
        ),
        60,
        120,
        4,
        10,
        16,
        login=True,
    ),
    VolunteerSpec(
        "Marc",
        "Gagnon",
        "Saint-Cyrille-de-Wendover",
        ("fr",),
        ("email", "keyboard_mouse", "smartphone"),
        True,
        ((1, "09:00", "16:00"), (3, "09:00", "16:00")),
        80,
        150,
        4,
        8,
    ),
    VolunteerSpec(
        "Fatima",
        "Benali",
        "Drummondville",
        ("fr", "ar"),
        ("email", "public_services", "school_portal", "smartphone"),
        False,
        ((1, "09:00", "12:00"), (3, "13:00", "17:00")),
        None,
        None,
        5,
        10,
        8,
        login=True,
    ),
    VolunteerSpec(
        "Lucía",
        "Hernández",
        "Drummondville",
        ("es", "fr", "en"),
        ("email", "public_services", "job_search", "video_calls"),
        True,
        ((2, "13:00", "17:00"), (4, "13:00", "17:00")),
        50,
        90,
        3,
        6,
    ),
    VolunteerSpec(
        "Jean-Guy",
        "Lemieux",
        "Wickham",
        ("fr",),
        ("keyboard_mouse", "email", "smartphone"),
        True,
        (
            (0, "09:00", "12:00"),
            (1, "09:00", "12:00"),
            (3, "09:00", "12:00"),
            (4, "09:00", "12:00"),
        ),
        50,
        90,
        2,
        6,
    ),
    VolunteerSpec(
        "Nathalie",
        "Roy",
        "L'Avenir",
        ("fr",),
        ("email", "public_services", "video_calls", "smartphone"),
        True,
        ((1, "13:00", "17:00"), (3, "13:00", "17:00")),
        70,
        120,
        3,
        6,
    ),
    VolunteerSpec(
        "Karine",
        "Bergeron",
        "Saint-Félix-de-Kingsey",
        ("fr", "en"),
        ("school_portal", "email", "keyboard_mouse"),
        True,
        ((0, "13:00", "16:00"), (2, "13:00", "16:00")),
        60,
        100,
        3,
        5,
    ),
    VolunteerSpec(
        "Omar",
        "Haddad",
        "Drummondville",
        ("ar", "fr", "en"),
        ("smartphone", "video_calls", "job_search", "email"),
        False,
        ((2, "17:00", "20:00"), (5, "09:00", "12:00")),
        None,
        None,
        3,
        5,
        6,
    ),
    VolunteerSpec(
        "Émilie",
        "Côté",
        "Saint-Majorique-de-Grantham",
        ("fr",),
        ("public_services", "email", "school_portal"),
        True,
        ((4, "09:00", "16:00"),),
        60,
        120,
        4,
        4,
    ),
    VolunteerSpec(
        "David",
        "Morrison",
        "Kingsey Falls",
        ("en", "fr"),
        ("keyboard_mouse", "email", "video_calls"),
        True,
        ((0, "09:00", "15:00"), (3, "09:00", "15:00")),
        90,
        150,
        4,
        8,
    ),
    VolunteerSpec(
        "Ana Sofia",
        "Pereira",
        "Drummondville",
        ("es", "pt", "fr"),
        ("smartphone", "email", "job_search"),
        False,
        ((1, "09:00", "12:00"), (3, "17:00", "20:00")),
        None,
        None,
        3,
        5,
        6,
    ),
    VolunteerSpec(
        "Gilles",
        "Pelletier",
        "Saint-Germain-de-Grantham",
        ("fr",),
        ("keyboard_mouse", "smartphone"),
        True,
        ((0, "10:00", "12:00"), (2, "10:00", "12:00"), (4, "10:00", "12:00")),
        45,
        60,
        3,
        6,
        6,
    ),
)
