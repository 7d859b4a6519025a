"""Claimed publication dates: parse a date string, or find date expressions in short lines of page text.

All results are timezone-aware datetimes: UTC, or the offset a timestamp states. Finding dates in lines looks words up in a table of
month names taken from dateparser's locale data (many languages) and checks the numbers beside
them, so it is fast enough to run on many lines of every page; `parse_date_hint` falls back to
dateparser for free-form strings.
"""
from __future__ import annotations

import importlib
import re
from datetime import datetime, timezone
from functools import lru_cache

# a stated zone is kept (no TIMEZONE / TO_TIMEZONE): the page's local day is its publication day; a string
# without a zone keeps its wall-clock time and is read as UTC by parse_timestamp
_SETTINGS = {"RETURN_AS_TIMEZONE_AWARE": True, "PREFER_DAY_OF_MONTH": "first", "STRICT_PARSING": False}

# Languages whose month names we recognise in free text (dateparser locale codes).
_LANGS = ("en", "de", "fr", "es", "it", "pt", "nl", "ru", "uk", "pl", "cs", "sk", "sv", "da", "nb", "fi", "hu",
          "ro", "tr", "el", "bg", "hr", "sr", "sl", "ca", "id", "lt", "lv", "et", "vi", "eu", "gl")
_MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december")
MIN_YEAR, MAX_YEAR = 1990, 2039


@lru_cache(maxsize=1)
def _month_table() -> dict[str, int]:
    """Lower-cased month name or abbreviation → month number, over all known languages."""
    table: dict[str, int] = {}
    for lang in _LANGS:
        try:
            info = importlib.import_module(f"dateparser.data.date_translation_data.{lang}").info
        except (ImportError, AttributeError):
            continue
        for month, key in enumerate(_MONTH_KEYS, 1):
            for name in info.get(key, []):
                name = name.lower().rstrip(".")
                # two-letter abbreviations collide with ordinary words in many languages
                if len(name) >= 3 and not name.isdigit():
                    table.setdefault(name, month)
    return table


@lru_cache(maxsize=1)
def calendar_words() -> frozenset[str]:
    """Month and weekday names and abbreviations (three letters or more, lower-cased) in every known language."""
    words = set(_month_table())
    for lang in _LANGS:
        try:
            info = importlib.import_module(f"dateparser.data.date_translation_data.{lang}").info
        except (ImportError, AttributeError):
            continue
        for key in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"):
            words.update(w.lower().rstrip(".") for w in info.get(key, []) if len(w.rstrip(".")) >= 3)
    return frozenset(words)


_YEAR = re.compile(r"(?:19|20)\d\d")
_ISO = re.compile(r"(?<!\d)((?:19|20)\d\d)[-/.年]\s?([01]?\d)[-/.月]\s?([0-3]?\d)(?:日)?(?![\d])")
# day month year in digits: 12.11.2021, 12/11/2021, 12-11-2021, and with spaced separators "18. 05. 2014", "26 | 01 | 2022",
# "05 / 02 / 2013" (tokenised corpus text)
# (a year may run straight into a second date: "17/11/201917/11/2019", two inline dates copied without a space)
_NUM_DMY = re.compile(r"(?<![\d.:/])([0-3]?\d)(?:[./-]|\. | ?\| ?| / )([01]?\d)(?:[./-]|\. | ?\| ?| / )((?:19|20)\d\d)"
                      r"(?:(?![\d])|(?=[0-3]?\d[./-][01]?\d[./-](?:19|20)\d\d))")
# day month year with a two-digit year and one separator throughout: 04.05.20, 26/10/13 (not 1.2.3.4, not 10.5.2)
_NUM_DMY2 = re.compile(r"(?<![\d.:/,])([0-3]?\d)([./])([01]?\d)\2(\d\d)(?![\d]|[./]\d)")
_URL_DATE = re.compile(r"/((?:19|20)\d\d)/([01]?\d)/([0-3]?\d)(?:/|$)|/((?:19|20)\d\d)-([01]\d)-([0-3]\d)[/-]|[/_-]((?:19|20)\d\d)([01]\d)([0-3]\d)[/_.-]")


def _make(y: int, m: int, d: int) -> datetime | None:
    if not (MIN_YEAR <= y <= MAX_YEAR):
        return None
    try:
        return datetime(y, m, d, tzinfo=timezone.utc)
    except ValueError:
        return None


_TOKEN = re.compile(r"\d+|[^\W\d_]+", re.U)
_GLUE = re.compile(r"^[\s.,/-]{0,4}$")
_FILLERS = {"de", "of", "st", "nd", "rd", "th", "er", "e", "º", "°", "del"}


def _named_month_dates(line: str) -> list[tuple[int, datetime]]:
    """Dates written with a month name in any known language: 12 November 2021, Nov. 13, 2025, 2021. november 12."""
    table = _month_table()
    toks = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(line)]
    out: list[tuple[int, datetime]] = []

    def glued(a: int, b: int) -> bool:  # tokens a and b are neighbours separated by at most a little punctuation
        return _GLUE.match(line[toks[a][2]:toks[b][1]]) is not None

    def num(j: int, lo: int, hi: int) -> int | None:
        if 0 <= j < len(toks) and toks[j][0].isdigit():
            tok = toks[j][0]
            # a year run into the next number ("6. November 20236. November 2023": two inline dates copied
            # out of a page without a space between them) still gives its year
            if len(tok) in (5, 6) and lo >= MIN_YEAR and tok[:2] in ("19", "20"):
                tok = tok[:4]
            if len(tok) <= 4 and lo <= int(tok) <= hi:
                return int(tok)
        return None

    for j, (tok, start, _) in enumerate(toks):
        month = table.get(tok.lower())
        if month is None:
            continue
        # skip a filler ("de", "of", ordinal suffixes) between the parts
        prev = j - 1 if j - 1 >= 0 and toks[j - 1][0].lower() not in _FILLERS else j - 2
        nxt = j + 1 if j + 1 < len(toks) and toks[j + 1][0].lower() not in _FILLERS else j + 2
        # day month year
        d, y = num(prev, 1, 31), num(nxt, MIN_YEAR, MAX_YEAR)
        if d is not None and y is not None and len(toks[prev][0]) <= 2 and glued(prev, j) or (d is not None and y is not None and prev == j - 2):
            if (dt := _make(y, month, d)) is not None:
                out.append((toks[prev][1], dt))
                continue
        # month day, year
        d = num(nxt, 1, 31)
        if d is not None and len(toks[nxt][0]) <= 2:
            after = nxt + 1 if nxt + 1 < len(toks) and toks[nxt + 1][0].lower() not in _FILLERS else nxt + 2
            y = num(after, MIN_YEAR, MAX_YEAR)
            if y is not None and after - nxt <= 2 and (dt := _make(y, month, d)) is not None:
                out.append((start, dt))
                continue
        # year month day
        y, d = num(prev, MIN_YEAR, MAX_YEAR), num(nxt, 1, 31)
        if y is not None and d is not None and len(toks[nxt][0]) <= 2 and (dt := _make(y, month, d)) is not None:
            out.append((toks[prev][1], dt))
    return out


def day_months(text: str) -> set[tuple[int, int]]:
    """(month, day) of every day written with a month name, with or without a year, in any known language.

    "20 серпня", "12 listopada", "November 12", "12. November 2021": what a report says its events' days were,
    whatever year it claims. Days written in digits alone are left out (12.11 is as often a score or a price)."""
    table = _month_table()
    toks = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    out: set[tuple[int, int]] = set()
    for j, (tok, _, _) in enumerate(toks):
        month = table.get(tok.lower())
        if month is None or tok.islower() and len(tok) <= 3:   # "may", "mar", "jan" as ordinary words
            continue
        for k in (j - 1, j + 1):
            if 0 <= k < len(toks) and toks[k][0].isdigit() and len(toks[k][0]) <= 2 and 1 <= int(toks[k][0]) <= 31:
                a, b = (k, j) if k < j else (j, k)
                if _GLUE.match(text[toks[a][2]:toks[b][1]]) is not None and _make(2000, month, int(toks[k][0])):
                    out.add((month, int(toks[k][0])))
                    break
    return out


def find_dates(line: str, us_order: bool = False) -> list[tuple[int, datetime]]:
    """Every complete calendar date (day, month, year) in a line, as (offset, UTC datetime) in text order."""
    if not _YEAR.search(line):  # cheap gate: every pattern needs a four-digit year
        return []
    return list(_find_dates(line, us_order))


@lru_cache(maxsize=4096)
def _find_dates(line: str, us_order: bool) -> tuple[tuple[int, datetime], ...]:
    """find_dates, remembered: one page's extraction asks about the same dated lines several times
    (headline candidates, date candidates, captions)."""
    found: list[tuple[int, datetime]] = []
    found.extend(_named_month_dates(line))
    for m in _ISO.finditer(line):
        dt = _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if dt:
            found.append((m.start(), dt))
    for m in _NUM_DMY.finditer(line):
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        # day-first is the norm outside the US; month-first only when the page says so or day-first is impossible
        if (us_order and a <= 12) or b > 12:
            a, b = b, a
        dt = _make(y, b, a)
        if dt:
            found.append((m.start(), dt))
    found.sort(key=lambda t: t[0])
    # overlapping matches of different patterns at one place: keep the first
    out: list[tuple[int, datetime]] = []
    for off, dt in found:
        if not out or off - out[-1][0] > 3:
            out.append((off, dt))
    return tuple(out)


def find_short_year_dates(line: str, us_order: bool = False) -> list[tuple[int, datetime]]:
    """Numeric dates with a two-digit year (04.05.20, 26/10/13) as (offset, UTC datetime): years 90-99 are the
    1990s, 00-39 this century. Used only where a line is already a date candidate, as the pattern is loose."""
    out = []
    for m in _NUM_DMY2.finditer(line):
        a, b, yy = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if (us_order and a <= 12) or b > 12:
            a, b = b, a
        y = 2000 + yy if yy <= MAX_YEAR - 2000 else (1900 + yy if yy >= MIN_YEAR - 1900 else 0)
        dt = _make(y, b, a) if y else None
        if dt:
            out.append((m.start(), dt))
    return out


_URL_MONTH = re.compile(r"/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/(?![0-3]?\d(?:/|$))[^/?#]")


def month_from_url(url: str | None) -> tuple[int, int] | None:
    """(year, month) of a URL path that names a month and no day ("/2019/10/a-post-slug/", as WordPress writes), or None."""
    m = _URL_MONTH.search(url or "")
    return (int(m.group(1)), int(m.group(2))) if m and MIN_YEAR <= int(m.group(1)) <= MAX_YEAR else None


def date_from_url(url: str | None) -> datetime | None:
    """A date written in a URL path (/2021/11/12/, /2021-11-12-, _20211112_), or None."""
    if not url:
        return None
    m = _URL_DATE.search(url)
    if not m:
        return None
    g = [x for x in m.groups() if x is not None]
    return _make(int(g[0]), int(g[1]), int(g[2]))


_HAS_TIME = re.compile(r"\d{1,2}:\d\d")
_HAS_ZONE = re.compile(r"(?:\d{1,2}:\d\d(?::\d\d(?:\.\d+)?)?\s*(?:[ap]\.?m\.?\s*)?(?:Z|[+-]\d\d:?\d\d)\b)|\b(?:UTC|GMT|CET|CEST|BST|EST|EDT|CST|CDT|MST|MDT|PST|PDT)\b", re.I)


_DOTTED_DMY = re.compile(r"^([0-3]?\d)\.([01]?\d)\.((?:19|20)\d\d)(?=[\sT,]|$)")
_ZONE_ID = re.compile(r"(?<=[\dZz])\[[A-Za-z][\w/+-]*\]$")


def parse_timestamp(value: str) -> tuple[datetime, str] | None:
    """(timezone-aware datetime, precision) from a date string in any common format, or None.

    The UTC offset the string states is kept (a page's local day is its publication day). Precision is
    "minute" when the string gives a time of day with its offset; a date alone, or a time without an
    offset (an unknown instant: only its day is sure), is "day" and reads as UTC. A time of exactly
    midnight is "day" too: that is how many sites write a date without a time.
    """
    # a zone name after the offset, as Java's ZonedDateTime writes it: "2019-11-19T23:30+01:00[Europe/Berlin]"
    value = _ZONE_ID.sub("", (value or "").strip())
    if not value:
        return None
    zoned = False
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        zoned = dt.tzinfo is not None and ("T" in value or " " in value.strip())
    except ValueError:
        dt = None
        if _HAS_TIME.search(value) and "," in value[:6]:  # RFC 2822 (feeds, HTTP): "Tue, 10 Jun 2003 04:00:00 GMT"
            from email.utils import parsedate_to_datetime
            try:
                dt = parsedate_to_datetime(value)
                zoned = dt.tzinfo is not None
            except (TypeError, ValueError, IndexError):
                dt = None
        if dt is None:
            hits = find_dates(value)
            if hits and len(value) < 40 and not _HAS_TIME.search(value):
                return hits[0][1], "day"
            # a dotted date is day first wherever it is written ("05.11.2019 23:30" is 5 November, as
            # "05.11.2019" alone reads): put it in ISO order before dateparser, whose default is month first
            value = _DOTTED_DMY.sub(lambda m: f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}", value, count=1)
            import dateparser  # slow to import and to run: only for strings our patterns do not read
            dt = dateparser.parse(value, settings=_SETTINGS)
            if dt is None:
                return None
            zoned = dt.tzinfo is not None and _HAS_ZONE.search(value) is not None
    if dt.tzinfo is None or not zoned:
        dt = dt.replace(tzinfo=timezone.utc)
        zoned = False
    elif not isinstance(dt.tzinfo, timezone):  # dateparser's and email's zone objects as a plain fixed offset
        dt = dt.replace(tzinfo=timezone(dt.utcoffset()))
    if not (MIN_YEAR <= dt.year <= MAX_YEAR):
        return None
    timed = zoned and (dt.hour, dt.minute, dt.second) != (0, 0, 0)
    return dt, ("minute" if timed else "day")


def parse_date_hint(value: str) -> datetime | None:
    """A timezone-aware datetime from a date string in any common format (its stated offset kept), or None."""
    got = parse_timestamp(value)
    return got[0] if got else None


_TIME = re.compile(r"\b\d{1,2}[:.h]\d{2}(?::\d{2})?\s*(?:am|pm|uhr|h)?\b", re.I)
_ALPHA_WORD = re.compile(r"[^\W\d_]{2,}", re.U)


def date_line(line: str, us_order: bool = False, max_other_words: int = 3) -> datetime | None:
    """The date of a line that is mostly a date ("Updated May 6, 2019", "Datum: 18.10.2021"), else None.

    A date inside a sentence ("the meeting of 10 October 2019 decided…") is a mentioned date, not a dateline.
    """
    if len(line) > 140 or not _YEAR.search(line):
        return None
    return _date_line(line, us_order, max_other_words)


@lru_cache(maxsize=4096)
def _date_line(line: str, us_order: bool, max_other_words: int) -> datetime | None:
    hits = _find_dates(line, us_order)
    if not hits:
        return None
    rest = _NUM_DMY.sub(" ", _ISO.sub(" ", line))
    rest = _TIME.sub(" ", rest)
    table = _month_table()
    words = [w for w in _ALPHA_WORD.findall(rest) if w.lower() not in table]
    return hits[0][1] if len(words) <= max_other_words else None


# a two-digit number ending a date, not an hour ("20:30", "20 Uhr", "20h")
_TWO_DIGIT_END = re.compile(r"(?<![\d:.,])\d\d(?![\d:])(?!\s*(?:uhr|h|hrs?|[ap]\.?m)\b)", re.I)


def short_year_date_line(line: str, us_order: bool = False, max_other_words: int = 3) -> datetime | None:
    """The date of a short line that is mostly a date written with a two-digit year ("( Pescasseroli, 14 Gennaio
    20 )", "04.05.20", "Mo, 26/10/13"), else None: for a dateline printed by a headline, where the short form is
    unambiguous enough (years 90-99 are the 1990s, 00-39 this century)."""
    if len(line) > 60 or _YEAR.search(line) or not _TWO_DIGIT_END.search(line):
        return None
    hits = find_short_year_dates(line, us_order)
    if not hits:
        table = _month_table()
        toks = [(m.group(0), m.start()) for m in _TOKEN.finditer(line)]
        for j in range(1, len(toks) - 1):
            (d, _), (mon, _), (yy, at) = toks[j - 1], toks[j], toks[j + 1]
            month = table.get(mon.lower())
            if month and d.isdigit() and len(d) <= 2 and yy.isdigit() and len(yy) == 2 and _TWO_DIGIT_END.match(line, at):
                y = 2000 + int(yy) if int(yy) <= MAX_YEAR - 2000 else (1900 + int(yy) if int(yy) >= MIN_YEAR - 1900 else 0)
                if y and (dt := _make(y, month, int(d))) is not None:
                    hits = [(toks[j - 1][1], dt)]
                    break
    if not hits:
        return None
    rest = _NUM_DMY2.sub(" ", line)
    words = [w for w in _ALPHA_WORD.findall(rest) if w.lower() not in _month_table()]
    return hits[0][1] if len(words) <= max_other_words else None


# an update notice in the 32 languages whose dates dates.py reads, and Icelandic ("Uppfært 12.2.2025 7:25")
UPDATED = re.compile(r"\b(?:updated?|modified|aktualisiert|geändert|mis à jour|mise à jour|actualizad[oa]|actualización|"
                      r"aggiornat[oa]|aggiornamento|bijgewerkt|geüpdatet|uppdatera\w*|opdateret|oppdatert|päivitetty|"
                      r"zaktualizowano|aktualizacja|обновл\w*|оновлено|last edited|atualizad[oa]|atualização|güncellen\w*|"
                      r"güncelleme|aktualizováno|aktualizované|aktualizace|frissítve|actualizat[aă]?|actualitzad?[at]|"
                      r"ενημερώθηκε|ενημέρωση|актуализиран[оа]?|ažuriran[oa]?|ажурирано|posodobljeno|diperbarui|"
                      r"atnaujinta|atjaunināts|atjaunots|uuendatud|cập nhật|eguneratua|uppfært)\b|"
                      r"\b(?:akt|aktual|upd|act|atual|ažur)\.\s*:?|(?:更新|修正|수정)", re.I)
