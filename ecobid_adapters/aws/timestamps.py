"""Where the time text functions used to live; they are ``ecobid_core.timefmt`` now.

Kept only so the modules that still import them from here keep working: import
``utc_iso`` and ``parse_utc`` from ``ecobid_core.timefmt`` in new code.
"""

from __future__ import annotations

from ecobid_core.timefmt import parse_utc, utc_iso

__all__ = ["parse_utc", "utc_iso"]
