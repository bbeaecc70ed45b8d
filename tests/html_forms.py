"""Checks of a page's forms as a browser and a screen reader would read them."""

from __future__ import annotations

from html.parser import HTMLParser


def labels_outside_their_form(html: str) -> list[str]:
    """Labels whose ``for`` names no field of their own form, and ids used twice.

    A browser ties a label to the first element with its id: a second form repeating a
    field id has its label (and its error link) lead to the first form's field.
    """

    class Page(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.form = -1
            self.forms = 0
            self.ids: dict[str, int] = {}
            self.labels: list[tuple[str, int]] = []
            self.twice: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found = dict(attrs)
            if tag == "form":
                self.form = self.forms
                self.forms += 1
            ident = found.get("id")
            if ident:
                if ident in self.ids:
                    self.twice.append(ident)
                self.ids.setdefault(ident, self.form)
            if tag == "label" and found.get("for"):
                self.labels.append((str(found["for"]), self.form))

        def handle_endtag(self, tag: str) -> None:
            if tag == "form":
                self.form = -1

    page = Page()
    page.feed(html)
    wrong = [f"label for {name}" for name, form in page.labels if page.ids.get(name) != form]
    return wrong + [f"id {name} twice" for name in page.twice]


def ids_used_twice(html: str) -> list[str]:
    """Every id that a page holds more than once, as a browser's parser reads it."""

    class Page(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.seen: set[str] = set()
            self.twice: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            ident = dict(attrs).get("id")
            if ident and ident in self.seen:
                self.twice.append(ident)
            elif ident:
                self.seen.add(ident)

    page = Page()
    page.feed(html)
    return page.twice


def attributes_of(html: str, ident: str) -> list[tuple[str, str | None]]:
    """The attributes of the element with id ``ident``, as a browser's parser reads them."""

    class Page(HTMLParser):
        found: list[tuple[str, str | None]] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if ("id", ident) in attrs:
                Page.found = attrs

    page = Page()
    page.feed(html)
    return page.found
