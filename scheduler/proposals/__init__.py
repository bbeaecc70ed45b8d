"""Series proposals: where and when a programme's next series should be held.

The seam between the workshops' waiting lists and the planning engine
(:mod:`scheduler.planning.workshops`): build the problem from the database (who waits,
where they live and when they are free; the territory's halls and sites; the volunteers'
weeks; the laptops free on each session's day), run it on the task queue, keep the answer
as series in the ``proposed`` state with the reasons of everyone left out, and publish it
once the dispatcher agrees, reserving the laptops the leaders carry. May import ``core``,
``models``, ``planning``, ``devices``, ``workshops`` and ``tasks``.
"""

from __future__ import annotations

from scheduler.proposals.build import ProposalInput
from scheduler.proposals.build import build_problem
from scheduler.proposals.publish import ProposalRefused
from scheduler.proposals.publish import publish_proposal
from scheduler.proposals.publish import reserve_laptops
from scheduler.proposals.run import latest_result
from scheduler.proposals.run import propose_series
from scheduler.proposals.run import proposed_series

__all__ = [
    "ProposalInput",
    "ProposalRefused",
    "build_problem",
    "latest_result",
    "propose_series",
    "proposed_series",
    "publish_proposal",
    "reserve_laptops",
]
