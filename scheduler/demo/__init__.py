"""A realistic demo: a digital-help association around Drummondville (Québec).

Twelve volunteers with varied hours, cars, languages and limits; about sixty
open requests of all three modes across the MRC; a drop-in local; a few
confirmed appointments this week and next so calendars show something at once.
Everything is made up except the municipalities (see ``drummond_municipalities.csv``).
One module per part: ``territory``, ``volunteers``, ``requests``, ``appointments``;
``seed`` puts them together.
"""

from .seed import DEMO_PASSWORD
from .seed import DemoAlreadyLoaded
from .seed import demo_logins
from .seed import seed_demo

__all__ = ["DEMO_PASSWORD", "DemoAlreadyLoaded", "demo_logins", "seed_demo"]
