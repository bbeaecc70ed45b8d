"""Prepare this installation's private folder: ``python -m scheduler.instance``.

Runs before the application exists, because the application refuses to start
without a real secret.
"""

from __future__ import annotations

from scheduler.core.settings import default_instance_path
from scheduler.core.settings import write_instance_secret


def main() -> None:
    path = default_instance_path()
    if write_instance_secret(path):
        print(f"Wrote a new random SECRET_KEY to {path / 'config.toml'}")


if __name__ == "__main__":
    main()
