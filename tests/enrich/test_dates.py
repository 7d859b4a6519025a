"""Dates written in an article, resolved against its claimed date, and told apart: the report's own events vs background."""
from __future__ import annotations

from datetime import date, datetime, timezone

from newstrace.enrich.dates import article_dates, is_explicit, resolve
from newstrace.records import Article, Enrichment


def _article(text: str, claimed: str | None = "2025-11-13", captions: list[str] | None = None,
             boilerplate: list[str] | None = None, title: str | None = None) -> Article:
    when = datetime.fromisoformat(claimed).replace(tzinfo=timezone.utc) if claimed else None
    return Article(id="a", origin="t", title=title, text=text, published=when, captions=captions or [],
                   boilerplate=boilerplate or [])


def _find(dates, text):
    hits = [d for d in dates if d.text == text]
    assert hits, f"{text!r} not found in {[d.text for d in dates]}"
    return hits[0]


def test_weekdays_resolve_to_the_last_such_day_before_the_claimed_date():
    # 2025-11-13 is a Thursday: "On Friday" is 2025-11-07, "on Thursday" the same day, "Wednesday" the day before.
    ds = article_dates(_article("On Friday, troops held drills. The ministry said on Thursday it would respond. "
                                "Bombers flew on Wednesday."))
    assert _find(ds, "On Friday").start == date(2025, 11, 7)
    assert _find(ds, "on Thursday").start == date(2025, 11, 13)
    assert _find(ds, "on Wednesday").start == date(2025, 11, 12)
    assert all(d.about for d in ds)


def test_weekday_in_a_sentence_about_the_future_points_ahead():
    ds = article_dates(_article("The summit will open next Monday. Leaders will meet on Saturday."))
    assert _find(ds, "next Monday").start == date(2025, 11, 17)
    assert _find(ds, "on Saturday").start == date(2025, 11, 15)


def test_relative_periods_resolve_against_the_claimed_date():
    ds = article_dates(_article("Talks collapsed last week. Prices rose earlier this year. He resigned yesterday. "
                                "Sales fell last month."))
    lw = _find(ds, "last week")
    assert (lw.start, lw.end) == (date(2025, 11, 3), date(2025, 11, 9))
    ey = _find(ds, "earlier this year")
    assert (ey.start, ey.end) == (date(2025, 1, 1), date(2025, 11, 13))
    assert _find(ds, "yesterday").start == date(2025, 11, 12)
    lm = _find(ds, "last month")
    assert (lm.start, lm.end) == (date(2025, 10, 1), date(2025, 10, 31))


def test_explicit_dates_in_many_formats():
    ds = article_dates(_article("Migrants walk along the border on November 12, 2021. The deal was signed on 3 March 2019. "
                                "Records from 2020-06-30 show it. Talks resumed in Nov. 2018."))
    assert _find(ds, "November 12, 2021").start == date(2021, 11, 12)
    assert _find(ds, "3 March 2019").start == date(2019, 3, 3)
    assert _find(ds, "2020-06-30").start == date(2020, 6, 30)
    my = _find(ds, "Nov. 2018")
    assert (my.start, my.end) == (date(2018, 11, 1), date(2018, 11, 30))
    assert all(is_explicit(d) for d in ds)


def test_month_and_day_without_a_year_take_the_nearest_past_occurrence():
    ds = article_dates(_article("The vote on November 2 was close. The fire on December 20 destroyed homes.", claimed="2026-01-05"))
    assert _find(ds, "November 2").start == date(2025, 11, 2)
    assert _find(ds, "December 20").start == date(2025, 12, 20)
    assert not any(is_explicit(d) for d in ds)


def test_background_dates_are_not_the_reports_own_events():
    ds = article_dates(_article(
        "Blinken said Russia may be attempting to rehash its 2014 invasion of Ukraine. "
        "Europe accuses Lukashenko over his disputed 2020 election victory. "
        "The museum marked the anniversary of the attack on September 11, 2001. "
        "He has lived in the city since March 2015. The company was founded in the 1990s. "
        "The plant closed two years ago. A jury convicted him of murdering a deputy in June 2005."))
    for text in ("2014", "2020", "September 11, 2001", "March 2015", "the 1990s", "two years ago", "June 2005"):
        assert not _find(ds, text).about, text


def test_quantities_that_look_like_years_are_not_dates():
    ds = article_dates(_article("Some 2000 troops and about 1950 police were deployed; 2015 people signed."))
    assert not [d for d in ds if d.text in ("2000", "1950", "2015")]


def test_captions_and_caption_like_removed_lines_are_read_and_marked():
    a = _article("On Friday, drills were held near the border.",
                 captions=["Migrants gather at a camp on the border on November 12, 2021."],
                 boilerplate=["A group of migrants walk along the border in the Grodno region on November 12, 2021.",
                              "Related Articles", "Thursday, Nov 13, 2025"])
    ds = article_dates(a)
    wheres = {(d.where, d.start) for d in ds if is_explicit(d)}
    assert ("caption", date(2021, 11, 12)) in wheres
    assert ("boilerplate", date(2021, 11, 12)) in wheres
    # The page's own date line restates the claimed date: it is not evidence of anything.
    assert not [d for d in ds if d.start == date(2025, 11, 13) and d.where == "boilerplate"]


def test_offsets_point_into_the_article_text():
    text = "Leaders met in Brussels.\n\nOn 12 May 2024 the treaty was signed."
    ds = article_dates(_article(text))
    d = _find(ds, "12 May 2024")
    assert text[d.char:d.char + len(d.text)] == d.text


def test_without_a_claimed_date_only_explicit_dates_are_resolved():
    ds = article_dates(_article("On Friday the vote was held, three days after the March 3, 2020 primary.", claimed=None))
    assert [d.text for d in ds] == ["March 3, 2020"]


def test_resolve_fills_each_enrichment():
    arts = [_article("It happened on Friday."), _article("Nothing dated here.")]
    out = [Enrichment(article_id="a"), Enrichment(article_id="b")]
    resolve(arts, out)
    assert [len(e.dates) for e in out] == [1, 0]
