"""Route sheets as PDF, laid out by WeasyPrint from the same HTML as the printed page.

The HTML must carry its own styles (a ``<style>`` element): nothing is fetched while
the PDF is made, so a sheet prints the same with or without network.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def _no_fetch(url: str, timeout: int = 10, ssl_context: object = None) -> dict[str, object]:
    """Refuse every outside resource: the sheet is self-contained."""
    raise ValueError(f"route sheets fetch nothing ({url[:40]})")


def html_to_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML page."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    log.info("route sheet PDF made (%d bytes)", len(pdf))
    return pdf
