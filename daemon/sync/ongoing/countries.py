"""Rackbeat addresses carry a country as a code or as a name; Ongoing wants ISO 3166-1 alpha-2."""

from __future__ import annotations

NAMES = {
    "denmark": "DK", "danmark": "DK",
    "sweden": "SE", "sverige": "SE",
    "norway": "NO", "norge": "NO", "noreg": "NO",
    "finland": "FI", "suomi": "FI",
    "iceland": "IS", "ísland": "IS",
    "germany": "DE", "deutschland": "DE", "tyskland": "DE",
    "netherlands": "NL", "the netherlands": "NL", "holland": "NL", "nederland": "NL",
    "belgium": "BE", "france": "FR", "spain": "ES", "italy": "IT", "austria": "AT", "poland": "PL",
    "switzerland": "CH", "ireland": "IE", "portugal": "PT", "estonia": "EE", "latvia": "LV",
    "lithuania": "LT", "czech republic": "CZ", "czechia": "CZ",
    "united kingdom": "GB", "great britain": "GB", "england": "GB", "uk": "GB",
    "united states": "US", "usa": "US", "united states of america": "US",
    "faroe islands": "FO", "færøerne": "FO", "greenland": "GL", "grønland": "GL",
}  # fmt: skip


def country_code(country: str | None) -> str | None:
    """``"DK"``/``"dk"``/``"Denmark"`` → ``"DK"``; None when empty or unknown (Ongoing then uses its default)."""
    text = (country or "").strip()
    if len(text) == 2 and text.isalpha():
        return text.upper()
    return NAMES.get(text.lower())
