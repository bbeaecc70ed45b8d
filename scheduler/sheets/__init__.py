"""Route sheets: each volunteer's day, to print or download as PDF.

Built from the same days as the maps (:mod:`scheduler.maps.days`): a stored plan
for the dispatcher, the appointments for a volunteer. No Flask, no Babel.
"""

from .pdf import html_to_pdf
from .sheet import Sheet
from .sheet import SheetStop
from .sheet import sheets_for

__all__ = ["Sheet", "SheetStop", "html_to_pdf", "sheets_for"]
