"""The organisation's devices: the inventory, loans to leaders and families, gifts with a
receipt, and the loans that are overdue.

Owns :mod:`scheduler.models.devices`. Services take the session, the organisation, the
acting user and ``today``/``now``; they refuse with :class:`InputRefused` or
:class:`DeviceRefused` codes, which the pages turn into words. May import ``core`` and
``models``.
"""

from __future__ import annotations

from scheduler.devices.handover import gift_for
from scheduler.devices.handover import hand_over
from scheduler.devices.handover import may_receive
from scheduler.devices.inventory import add_device
from scheduler.devices.inventory import change_state
from scheduler.devices.inventory import devices
from scheduler.devices.inventory import find_device
from scheduler.devices.inventory import free_devices
from scheduler.devices.loans import DeviceRefused
from scheduler.devices.loans import cancel_reservation
from scheduler.devices.loans import find_loan
from scheduler.devices.loans import give
from scheduler.devices.loans import lend
from scheduler.devices.loans import open_loans
from scheduler.devices.loans import overdue_loans
from scheduler.devices.loans import return_device

__all__ = [
    "cancel_reservation",
    "DeviceRefused",
    "add_device",
    "change_state",
    "devices",
    "find_device",
    "find_loan",
    "free_devices",
    "gift_for",
    "give",
    "hand_over",
    "lend",
    "may_receive",
    "open_loans",
    "overdue_loans",
    "return_device",
]
