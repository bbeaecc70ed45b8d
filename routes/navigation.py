"""The menu: one list of links, each shown to the roles that may follow it.

A link appears only once its endpoint is registered, so features can be
added one blueprint at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from scheduler.models import Role


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object
    roles: frozenset[Role]


STAFF = frozenset({Role.ADMIN, Role.DISPATCHER})

NAV = (
    NavItem("inbox.index", _l("Requests"), STAFF),
    NavItem("intake.new", _l("Phone intake"), STAFF),
    NavItem("plans.week", _l("Planning"), STAFF),
    NavItem("volunteers.index", _l("Volunteers"), STAFF),
    NavItem("messages.calls", _l("Call list"), STAFF),
    NavItem("workshops.index", _l("Workshops"), STAFF),
    NavItem("observatory.dashboard", _l("Observatory"), STAFF),
    NavItem("devices.index", _l("Devices"), STAFF),
    NavItem("volunteers.me", _l("My profile"), frozenset({Role.VOLUNTEER})),
    NavItem("feeds.mine", _l("My calendar"), frozenset({Role.VOLUNTEER})),
    NavItem("workshops.mine", _l("My workshops"), frozenset({Role.VOLUNTEER})),
    NavItem("messages.my_channel", _l("My messages"), frozenset({Role.VOLUNTEER})),
    NavItem("observatory.my_year", _l("My year"), frozenset({Role.VOLUNTEER})),
    NavItem("partners.referrals", _l("Our referrals"), frozenset({Role.PARTNER})),
    NavItem("booking.new", _l("Refer a person"), frozenset({Role.PARTNER})),
    NavItem("admin.index", _l("Administration"), frozenset({Role.ADMIN})),
    NavItem("messages.choices", _l("Messages sent"), frozenset({Role.ADMIN})),
)


def visible_nav() -> list[NavItem]:
    if not current_user.is_authenticated:
        return []
    views = current_app.view_functions
    return [i for i in NAV if i.endpoint in views and current_user.role in i.roles]


def init_navigation(app: Flask) -> None:
    app.context_processor(lambda: {"nav_items": visible_nav})
