"""A country's time zone, for a source's page times that carry none.

A ministry's page that says "2024-07-12 15:30" means its own capital's clock, not UTC. A source
may name its zone (``sources[].timezone``); otherwise it is guessed from its ``country``: the
country's only zone in the tz database's ``zone.tab``, or, for the few countries that span
several, the zone of the capital, where governments publish (a fact per country, not a fit to
any data). Anything else: UTC.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

__all__ = ["country_zone"]

# countries spanning several zones: the capital's (Washington DC keeps New York's clock)
_CAPITALS = {
    "AR": "America/Argentina/Buenos_Aires", "AU": "Australia/Sydney", "BR": "America/Sao_Paulo",
    "CA": "America/Toronto", "CD": "Africa/Kinshasa", "CL": "America/Santiago",
    "CN": "Asia/Shanghai", "CY": "Asia/Nicosia", "DE": "Europe/Berlin", "EC": "America/Guayaquil",
    "ES": "Europe/Madrid", "FM": "Pacific/Pohnpei", "GL": "America/Nuuk", "ID": "Asia/Jakarta",
    "KI": "Pacific/Tarawa", "KZ": "Asia/Almaty", "MH": "Pacific/Majuro", "MN": "Asia/Ulaanbaatar",
    "MX": "America/Mexico_City", "MY": "Asia/Kuala_Lumpur", "NZ": "Pacific/Auckland",
    "PF": "Pacific/Tahiti", "PG": "Pacific/Port_Moresby", "PS": "Asia/Hebron", "PT": "Europe/Lisbon",
    "RU": "Europe/Moscow", "UA": "Europe/Kyiv", "UM": "Pacific/Midway", "US": "America/New_York",
    "UZ": "Asia/Tashkent",
}


@cache
def _zone_table() -> dict[str, list[str]]:
    """Country code -> its zones, from the tz database's zone.tab (the tzdata package's, else
    the system's)."""
    try:
        text = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        path = Path("/usr/share/zoneinfo/zone.tab")
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    table: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) >= 3:
            table.setdefault(fields[0].upper(), []).append(fields[2])
    return table


def country_zone(country: str | None) -> str | None:
    """The zone a country's government keeps, or None when unknown."""
    if not country:
        return None
    code = country.strip().upper()
    if code in _CAPITALS:
        return _CAPITALS[code]
    zones = _zone_table().get(code, [])
    return zones[0] if len(zones) == 1 else None
