"""Places: turning addresses into coordinates.

The chain, first answer wins: the organisation's gazetteer (addresses already
placed, by a dispatcher or an earlier lookup), then an online geocoder when one
is configured (Nominatim, or the Base Adresse Nationale in France), then the
municipality's centre flagged ``approximate``. Travel times live in the planner.
"""

from .geocoding import Candidate
from .geocoding import Geocoder
from .geocoding import OnlineGeocoder
from .geocoding import Place
from .geocoding import address_key
from .geocoding import geocoder_for
from .geocoding import locate
from .geocoding import place_pending
from .geocoding import remember_place
from .settings import GeoSettings

__all__ = [
    "Candidate",
    "GeoSettings",
    "Geocoder",
    "OnlineGeocoder",
    "Place",
    "address_key",
    "geocoder_for",
    "locate",
    "place_pending",
    "remember_place",
]
