"""The observatory: what was asked, what was served, what was left out and why.

Owns the figures over requests, plans and appointments (:mod:`.figures`,
:mod:`.activity`), the filters they are computed for (:mod:`.scope`), the SVG charts
(:mod:`.charts`), the exports and their record (:mod:`.exports`) and a volunteer's
yearly statement (:mod:`.statement`). Pure of Flask: pages and commands pass the session,
the organisation and the day. Reads only what the retention purge keeps, so the figures
survive it.
"""

from __future__ import annotations

from .dashboard import Dashboard
from .dashboard import build_dashboard
from .scope import Scope
from .scope import read_scope
from .statement import volunteer_year

__all__ = ["Dashboard", "Scope", "build_dashboard", "read_scope", "volunteer_year"]
