"""``--set MODULE.NAME=VALUE``: change a constant of the planning engine for one run.

The benchmarks compare an engine setting on and off side by side in one session without
editing the code; each of them offers the same option, read here.
"""

from __future__ import annotations

import argparse
import ast
import importlib


def add_set_option(parser: argparse.ArgumentParser) -> None:
    """The ``--set`` option, repeatable."""
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="MODULE.NAME=VALUE",
        help="change a constant of scheduler.planning.<module> for the run",
    )


def apply_settings(items: list[str]) -> None:
    """Set each ``module.NAME=value`` (a Python literal) on ``scheduler.planning.<module>``."""
    for item in items:
        name, value = item.split("=", 1)
        module, attr = name.rsplit(".", 1)
        target = importlib.import_module(f"scheduler.planning.{module}")
        setattr(target, attr, ast.literal_eval(value))
