"""Claimed dates: parsed into timezone-aware datetimes keeping the stated offset, found in lines in many languages."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from newstrace.extract.dates import date_from_url, date_line, find_dates, parse_date_hint, parse_timestamp


def test_parse_date_hint_keeps_the_stated_offset():
    d = parse_date_hint("2021-11-12T10:30:00+02:00")
    assert d == datetime(2021, 11, 12, 8, 30, tzinfo=timezone.utc)
    assert d.utcoffset() == timedelta(hours=2) and d.date().isoformat() == "2021-11-12"
    for text in ("Thursday, Nov 13, 2025", "2025-11-13", "13 November 2025"):
        d = parse_date_hint(text)
        assert d is not None and d.tzinfo is not None and d.utcoffset().total_seconds() == 0, text
        assert d.date().isoformat() == "2025-11-13", text
    d = parse_date_hint("Nov 13, 2025 2:15 PM EST")
    assert d == datetime(2025, 11, 13, 19, 15, tzinfo=timezone.utc) and d.utcoffset() == timedelta(hours=-5)
    assert parse_date_hint("") is None
    assert parse_date_hint("no date here") is None


@pytest.mark.parametrize("text,iso,precision", [
    ("2020-09-30T15:26:54+02:00", "2020-09-30T15:26:54+02:00", "minute"),
    ("2023-11-09T05:30:59Z", "2023-11-09T05:30:59+00:00", "minute"),
    ("Tue, 10 Jun 2003 04:00:00 +0200", "2003-06-10T04:00:00+02:00", "minute"),   # RSS/HTTP dates
    ("2020-05-04 14:50:00", "2020-05-04T14:50:00+00:00", "day"),   # a time without an offset: only the day is sure
    ("2020-02-19T00:00:00-05:00", "2020-02-19T00:00:00-05:00", "day"),   # midnight: how sites write a bare date
    ("2022-01-17", "2022-01-17T00:00:00+00:00", "day"),
    # a zone name after the offset, as Java's ZonedDateTime writes it (it was not read at all)
    ("2019-11-19T23:30:00+01:00[Europe/Berlin]", "2019-11-19T23:30:00+01:00", "minute"),
    ("2019-11-19T23:30Z[UTC]", "2019-11-19T23:30:00+00:00", "minute"),
    # a dotted date is day first with a time as without one (a time sent it to dateparser, month first: 11 May)
    ("05.11.2019 23:30 +01:00", "2019-11-05T23:30:00+01:00", "minute"),
    ("05.11.2019, 23:30 Uhr", "2019-11-05T23:30:00+00:00", "day"),
])
def test_parse_timestamp_keeps_time_offset_and_says_how_precise(text, iso, precision):
    when, prec = parse_timestamp(text)
    assert when.isoformat() == iso and prec == precision


@pytest.mark.parametrize("line,day", [
    ("Thursday, Nov 13, 2025", "2025-11-13"),
    ("Veröffentlicht am 26. Oktober 2023", "2023-10-26"),
    ("Publié le 30 septembre 2018", "2018-09-30"),
    ("12 de noviembre de 2021", "2021-11-12"),
    ("Pubblicato il: 30 Settembre 2020", "2020-09-30"),
    ("12 ноября 2021 г.", "2021-11-12"),
    ("2021. november 12.", "2021-11-12"),
    ("18.10.2021, 11:41 Uhr", "2021-10-18"),
    ("2021年11月12日", "2021-11-12"),
    ("Updated May 06, 2019", "2019-05-06"),
])
def test_datelines_in_many_languages(line, day):
    hits = find_dates(line)
    assert hits and hits[0][1].date().isoformat() == day
    assert date_line(line).date().isoformat() == day


def test_date_inside_a_sentence_is_not_a_dateline():
    line = "The committee that met on 10 October 2019 decided to postpone the vote again"
    assert find_dates(line)[0][1].date().isoformat() == "2019-10-10"
    assert date_line(line) is None
    assert find_dates("In 2020 there were 12 cases") == []


def test_numeric_order_and_url_dates():
    assert find_dates("03/04/2024")[0][1].date().isoformat() == "2024-04-03"          # day first by default
    assert find_dates("03/04/2024", us_order=True)[0][1].date().isoformat() == "2024-03-04"
    assert find_dates("25/12/2024", us_order=True)[0][1].date().isoformat() == "2024-12-25"  # only one reading is possible
    assert date_from_url("https://www.themoscowtimes.com/2021/11/12/paratroopers-a75548").date().isoformat() == "2021-11-12"
    assert date_from_url("https://example.org/news/2020-03-31-some-story/").date().isoformat() == "2020-03-31"
    assert date_from_url("https://example.org/about/") is None


@pytest.mark.parametrize("line,day", [
    ("18. 05. 2014", "2014-05-18"),           # day-first digits with spaced separators
    ("26 | 01 | 2022", "2022-01-26"),          # digits set apart by bars
    ("6. November 20236. November 2023", "2023-11-06"),   # two inline dates copied out without a space
])
def test_dates_as_page_dumps_write_them(line, day):
    hits = find_dates(line)
    assert hits and hits[0][1].date().isoformat() == day


def test_ordinal_day_at_line_start_is_a_date_not_a_list_item():
    from newstrace.extract.markup import split_lines
    lines = split_lines("1. Februar 2022\n2. Punkt der Tagesordnung\n24. April 2020, 10:15 Uhr\n")
    assert [(l.text, l.list_item) for l in lines] == [
        ("1. Februar 2022", False), ("2. Punkt der Tagesordnung", True), ("24. April 2020, 10:15 Uhr", False)]
    assert find_dates(lines[0].text)[0][1].date().isoformat() == "2022-02-01"


def test_numeric_year_run_into_a_second_date():
    assert find_dates("17/11/201917/11/2019 ~ Author")[0][1].date().isoformat() == "2019-11-17"


@pytest.mark.parametrize("line,day", [("04.05.20 14:50", "2020-05-04"), ("von lupa am 26/10/13, 03:48 pm", "2013-10-26"),
                                      ("28.01.22 / 0 Kommentare", "2022-01-28"), ("3.5.99", "1999-05-03")])
def test_two_digit_years(line, day):
    from newstrace.extract.dates import find_short_year_dates
    assert find_short_year_dates(line)[0][1].date().isoformat() == day


def test_two_digit_year_pattern_leaves_versions_and_addresses_alone():
    from newstrace.extract.dates import find_short_year_dates
    for line in ("v1.2.3.4", "10.5.2", "12.10.45", "192.168.1.20"):
        assert find_short_year_dates(line) == [], line


@pytest.mark.parametrize("line,day", [
    ("( Pescasseroli, 14 Gennaio 20 )", "2020-01-14"),   # parcoabruzzo.it's dateline under the headline
    ("04.05.20", "2020-05-04"),
    ("Mo, 26/10/13", "2013-10-26"),
    ("3. März 99", "1999-03-03"),
])
def test_a_dateline_with_a_two_digit_year(line, day):
    from newstrace.extract.dates import short_year_date_line
    assert short_year_date_line(line).date().isoformat() == day


@pytest.mark.parametrize("line", ["14 Gennaio 20:30", "3 Mai 20 Uhr", "3 May 20 pm", "Seite 1 von 20", "12 Tage 20",
                                  "14 Gennaio 2020", "Am 14 Gennaio 20 Menschen in der Stadt und auf dem Land gesehen"])
def test_what_is_no_two_digit_year_dateline(line):
    from newstrace.extract.dates import short_year_date_line
    assert short_year_date_line(line) is None


def test_days_named_with_a_month_in_any_language_with_or_without_a_year():
    from newstrace.extract.dates import day_months
    assert day_months("Про це повідомляє Sputnik Білорусь у четвер, 20 серпня.") == {(8, 20)}
    assert day_months("У п'ятницю, 12 листопада, поблизу кордону") == {(11, 12)}
    assert day_months("Am 12. November begann die Übung; on November 14, 2021 it ended") == {(11, 12), (11, 14)}
    assert day_months("12 listopada 2021 r. i 3 grudnia") == {(11, 12), (12, 3)}
    # ordinary words that spell a month, and days written in digits alone, are not read
    assert day_months("we may 5 times go; the score was 12.11") == set()
    assert day_months("31 февраля") == set()


@pytest.mark.parametrize("url,month", [
    ("https://herrpfleger.de/2019/10/new-balance-fuelcell-echo-bringt-speed/", (2019, 10)),
    ("https://example.org/2019/1/a-post?x=1", (2019, 1)),
    ("https://example.org/2019/10/1st-place/", (2019, 10)),
    ("https://example.org/2019/10/12/slug", None),     # a whole date: date_from_url's
    ("https://example.org/2019/10/", None),            # an archive of the month, not a post
    ("https://example.org/2019/13/slug", None),
    ("https://example.org/1850/10/slug", None),
])
def test_month_from_url(url, month):
    from newstrace.extract.dates import month_from_url
    assert month_from_url(url) == month
