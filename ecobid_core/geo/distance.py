"""Great-circle distances on a spherical Earth.

A sphere is off by at most ~0.5 % against the ellipsoid, which is far below what a
"within 5 km" search can notice, and it keeps the maths closed-form and dependency-free.
"""

from __future__ import annotations

import math

from ecobid_core.geo.geohash import Box

# IUGG mean radius: the sphere that best matches the ellipsoid on average.
EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees.

    Haversine rather than the spherical law of cosines because it stays accurate for
    the metre-scale distances that separate neighbouring listings.
    """
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi = phi2 - phi1
    d_lambda = math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    # Rounding can push ``a`` a hair above 1 for antipodal points, outside asin's domain.
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _wrapped_delta(lon_from: float, lon_to: float) -> float:
    """Signed longitude difference folded into [-180, 180)."""
    return (lon_to - lon_from + 180.0) % 360.0 - 180.0


def distance_to_box_km(lat: float, lon: float, box: Box) -> float:
    """Exact great-circle distance in km from (lat, lon) to the nearest point of ``box``.

    The cover uses this to drop cells no search result can lie in, so it must never
    overestimate. The reasoning that makes it exact:

    * If the point's meridian crosses the box, the nearest point is on that meridian
      and the distance is just the latitude gap.
    * Otherwise, at any fixed latitude the distance grows with the longitude gap, so the
      nearest point lies on the box edge whose meridian is closer in longitude.
    * Along a meridian, cos(distance) = C * cos(phi - phi_star), which peaks at phi_star
      and falls off on either side, so the nearest point of the edge is phi_star if the
      edge reaches it and otherwise one of the edge's two ends.
    """
    if box.lon_min <= lon <= box.lon_max:
        nearest_lat = min(max(lat, box.lat_min), box.lat_max)
        return EARTH_RADIUS_KM * math.radians(abs(lat - nearest_lat))
    to_min = _wrapped_delta(lon, box.lon_min)
    to_max = _wrapped_delta(lon, box.lon_max)
    edge, d_lon = (box.lon_min, to_min) if abs(to_min) <= abs(to_max) else (box.lon_max, to_max)
    phi = math.radians(lat)
    cos_gap = math.cos(math.radians(d_lon))
    phi_star = math.degrees(math.atan2(math.sin(phi), math.cos(phi) * cos_gap))
    candidates = [box.lat_min, box.lat_max]
    if box.lat_min <= phi_star <= box.lat_max:
        candidates.append(phi_star)
    return min(haversine_km(lat, lon, candidate, edge) for candidate in candidates)
