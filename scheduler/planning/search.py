"""The parameters of the OR-Tools routing search over a planning week's model
(:mod:`scheduler.planning.solver`): how the first solution is built, the metaheuristic that
improves it, and when it stops. Kept apart so a benchmark can set them and a test read them
without building a model."""

from __future__ import annotations

from ortools.constraint_solver import pywrapcp
from ortools.constraint_solver import routing_enums_pb2

from scheduler.planning.problem import Options

GLS_LAMBDA: float | None = None
"""The guided local search's ``lambda_coefficient`` (how hard it penalises the features of a
local optimum); ``None`` keeps OR-Tools' own (0.1). ``bench.solomon --set
search.GLS_LAMBDA=0.5`` measures another."""


def search_parameters(
    options: Options, seats: int, seconds: float
) -> routing_enums_pb2.RoutingSearchParameters:
    """The routing search's parameters: cheapest insertion first (local on a large model),
    then guided local search, stopped at the solution limit or after ``seconds``."""
    params = pywrapcp.DefaultRoutingSearchParameters()
    fs = routing_enums_pb2.FirstSolutionStrategy
    params.first_solution_strategy = (
        fs.LOCAL_CHEAPEST_INSERTION if seats > 600 else fs.PARALLEL_CHEAPEST_INSERTION
    )
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    if GLS_LAMBDA is not None:
        params.guided_local_search_lambda_coefficient = GLS_LAMBDA
    if options.solution_limit is not None:
        params.solution_limit = options.solution_limit
    # Also with a solution limit: a search stuck where no move is acceptable never
    # reaches its count, and stops here at the local optimum it holds.
    params.time_limit.FromMilliseconds(max(1, round(seconds * 1000)))
    return params
