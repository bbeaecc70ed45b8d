"""Escouade's planning engine: plain data in, a plan out.

The rule of this package: no I/O, no Flask, no SQLAlchemy, no Babel. It takes a
:class:`Problem` (volunteers' shifts, visits, an integer travel matrix, options) and returns
a :class:`Plan` (routes with times, visits left out with a :class:`Reason` and its
parameters, statistics). It is repeatable given its inputs, ``options.seed`` and
``options.solution_limit``; ``options.time_limit_s`` trades that for a wall-clock bound.
Reading the database and saving plans belong to the service, not here; the OSRM travel model
receives its HTTP fetch function from the caller.
"""

from __future__ import annotations

from scheduler.planning.check import Violation
from scheduler.planning.check import check
from scheduler.planning.deadline import Deadline
from scheduler.planning.engine import solve
from scheduler.planning.matrix import TravelMatrix
from scheduler.planning.matrix import scale_matrices
from scheduler.planning.plan import Change
from scheduler.planning.plan import ChangeKind
from scheduler.planning.plan import Late
from scheduler.planning.plan import Plan
from scheduler.planning.plan import PlanDiff
from scheduler.planning.plan import Reason
from scheduler.planning.plan import Route
from scheduler.planning.plan import Stats
from scheduler.planning.plan import Stop
from scheduler.planning.plan import Unassigned
from scheduler.planning.plan import diff_plans
from scheduler.planning.problem import Location
from scheduler.planning.problem import Options
from scheduler.planning.problem import Pin
from scheduler.planning.problem import Problem
from scheduler.planning.problem import Shift
from scheduler.planning.problem import Visit
from scheduler.planning.problem import VisitKind
from scheduler.planning.problem import Window
from scheduler.planning.problem import Worker
from scheduler.planning.progress import OnBetter
from scheduler.planning.progress import Progress
from scheduler.planning.replan import Changes
from scheduler.planning.replan import Replan
from scheduler.planning.replan import ReplanMode
from scheduler.planning.replan import replan
from scheduler.planning.workshop_check import check_proposal
from scheduler.planning.workshops import LeftOut
from scheduler.planning.workshops import Person
from scheduler.planning.workshops import Place
from scheduler.planning.workshops import ProposedSeries
from scheduler.planning.workshops import Slot
from scheduler.planning.workshops import WorkshopProblem
from scheduler.planning.workshops import WorkshopProposal
from scheduler.planning.workshops import propose

__all__ = [
    "Change",
    "ChangeKind",
    "Changes",
    "Deadline",
    "Late",
    "LeftOut",
    "Location",
    "Options",
    "Pin",
    "Plan",
    "PlanDiff",
    "Person",
    "Place",
    "Problem",
    "ProposedSeries",
    "Progress",
    "OnBetter",
    "Reason",
    "Replan",
    "ReplanMode",
    "Route",
    "Shift",
    "Slot",
    "Stats",
    "Stop",
    "TravelMatrix",
    "Unassigned",
    "Violation",
    "Visit",
    "VisitKind",
    "Window",
    "Worker",
    "WorkshopProblem",
    "WorkshopProposal",
    "check",
    "check_proposal",
    "diff_plans",
    "propose",
    "replan",
    "scale_matrices",
    "solve",
]
