"""What the workshop services refuse, as codes a page turns into words."""

from __future__ import annotations


class WorkshopError(ValueError):
    """A refused change; ``code`` names why, for the page to say in the user's language."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
