"""Claimed publication times of real pages (tests/fixtures/extract): the page's own stamp, its time and offset kept."""
from __future__ import annotations

from pathlib import Path

import pytest

from newstrace.extract import extract_document
from newstrace.ingest import iter_inputs

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "extract" / "pages"


def _extract(name: str):
    [raw] = list(iter_inputs([str(PAGES / name)]))
    return extract_document(raw)


@pytest.mark.parametrize("key,published,source,precision", [
    # HR Journal: JSON-LD, article:published_time and <time itemprop> agree on 2022-12-30 07:00:40+01:00; a
    # "29. Dezember 2022" printed near the headline does not override them (annotators' day: 2022-12-30)
    ("d082", "2022-12-30T07:00:40+01:00", "json-ld", "minute"),
    # Twin Cities: the stamp is 2023-11-09T05:30:59Z and the page prints "November 8, 2023 at 11:30 p.m.":
    # the same instant in the page's local offset, so the day is the local day (annotators' day: 2023-11-08)
    ("d028", "2023-11-08T23:30:59-06:00", "json-ld", "minute"),
    # California Globe: datePublished 21:30:04+00:00 beside "August 14, 2020 2:30 pm": the printed local time is
    # the same day, so the stamp keeps the offset the metadata gives (it was turned into 14:30:04-07:00)
    ("d011", "2020-08-14T21:30:04+00:00", "json-ld", "minute"),
    # peppermynta.de: JSON-LD and article:published_time say 13:25:34+00:00, the <time itemprop> element the same
    # instant as 14:25:34+01:00 on the same day: the metadata's stamp as written (the element's offset was taken)
    ("d128", "2023-11-06T13:25:34+00:00", "json-ld", "minute"),
    # focus.de: JSON-LD datePublished 08:29:46+00:00, a generic <meta name="date"> the same instant as
    # 10:29:46+02:00 on the same day: the JSON-LD stamp as written (the generic tag's offset was taken)
    ("d162", "2018-07-06T08:29:46+00:00", "json-ld", "minute"),
    # swim.de: JSON-LD datePublished is the day alone, "2022-02-03"; article:published_time gives that day with
    # its time, 2022-02-03T14:54:56+00:00: the same claim, told to the minute
    ("d183", "2022-02-03T14:54:56+00:00", "meta", "minute"),
    # fem.com: the NewsArticle sits inside the WebPage object as its "mainEntity", with datePublished
    # 2019-01-17T15:15:00+01:00 (it was not read: the day came from the printed "DONNERSTAG, 17.01.2019" alone)
    ("d164", "2019-01-17T15:15:00+01:00", "json-ld", "minute"),
])
def test_publication_stamp_with_time_and_offset(key, published, source, precision):
    a = _extract(f"{key}.html.gz")
    assert a.published.isoformat() == published
    assert (a.published_source, a.published_precision) == (source, precision)
    assert a.to_json()["published"] == published and a.to_json()["published_precision"] == precision


@pytest.mark.parametrize("key,published,source", [
    # National Geographic UK: datePublished 2020-01-03T09:48:24Z; the page prints "Monday, 6 January 2020" by the
    # headline, its dateModified day
    ("d274", "2020-01-03T09:48:24+00:00", "json-ld"),
    # macwelt.de: article:published_time 2021-12-14T15:41:07+01:00 (and <time itemprop>); the page prints
    # "04.02.2022 | 15:33 Uhr", its dateModified
    ("d118", "2021-12-14T15:41:07+01:00", "meta"),
    # AD Magazin: datePublished 2021-11-22T18:42:22.455+01:00; printed "1. Januar 2023", the dateModified day
    ("d141", "2021-11-22T18:42:22.455000+01:00", "json-ld"),
    # CNN: pubdate 2021-03-08T11:15:28Z (and the URL's /2021/03/08/); printed "Updated 2010 GMT (0410 HKT) March 14, 2021"
    ("d161", "2021-03-08T11:15:28+00:00", "meta"),
])
def test_a_revised_page_keeps_its_publication_stamp(key, published, source):
    # the date printed by the headline is the page's modification day, later than its publication stamp (a
    # republished or reworked article presenting itself with its new date). The annotators cite the printed day;
    # newstrace keeps the first publication, with its time: "who reported first" and "recycled" stand on it, and
    # issue 23 counts a modification date chosen over the publication date as a defect
    a = _extract(f"{key}.html.gz")
    assert a.published.isoformat() == published
    assert (a.published_source, a.published_precision) == (source, "minute")


@pytest.mark.parametrize("key,day", [
    # Betty Crocker: no publication stamp (htmldate reads a placeholder "PublishDate":"01/01/2004" in a script);
    # "Updated June 13, 2019", the dateModified day, is printed 25 lines under the headline, after the photo
    # counts, the standfirst and the byline
    ("d185", "2019-06-13"),
])
def test_a_dateline_further_down_that_a_stamp_states(key, day):
    a = _extract(f"{key}.html.gz")
    assert a.published.date().isoformat() == day
    assert (a.published_source, a.published_precision) == ("page-text", "day")


def test_headline_of_a_title_whose_site_name_is_longer_and_its_two_digit_year_dateline():
    # parcoabruzzo.it: <title> and og:title "ORSO MARSICANO: 2019 UN ANNO DA RECORD | Parco Nazionale d'Abruzzo,
    # Lazio e Molise" (the site's name the longer piece) and the <h1> the first piece; the dateline under it is
    # "( Pescasseroli, 14 Gennaio 20 )" (no stamp; htmldate guessed 2020-03-01; annotators' day 2020-01-14)
    a = _extract("d022.html.gz")
    assert a.title == "ORSO MARSICANO: 2019 UN ANNO DA RECORD"
    assert a.published.date().isoformat() == "2020-01-14" and a.published_source == "page-text"
    # fischerei.ch: "Bielersee-Winterhechte | Dein Schweizer Fischereimagazin", the <h1> "Bielersee-Winterhechte"
    assert _extract("d087.html.gz").title == "Bielersee-Winterhechte"


def test_generic_date_meta_without_offset_yields_to_the_printed_date():
    # tagesschau.de: only <meta name="date" content="2020-04-29T11:52:23"> (no offset, no article stamp); the
    # page prints "Stand: 28.04.2020 18:00 Uhr" under the headline (annotators' day: 2020-04-28)
    a = _extract("d150.html.gz")
    assert a.published.date().isoformat() == "2020-04-28"
    assert (a.published_source, a.published_precision) == ("page-text", "day")


def test_an_earlier_date_in_the_url_beats_a_later_cms_stamp():
    # befifty.de/home/2017/7/12/…: every stamp says 2019-06-17 (a later save); the URL was minted on publication
    a = _extract("d043.html.gz")
    assert a.published.date().isoformat() == "2017-07-12"
    assert (a.published_source, a.published_precision) == ("url", "day")


def test_a_url_naming_the_month_keeps_the_stamp_over_another_posts_printed_date():
    # herrpfleger.de/2019/10/new-balance-…: article:published_time 2019-10-01 (the annotators' day); the page prints no
    # date of its own, and the first printed by the headline is a related post's "18. Januar 2019", which took over
    a = _extract("d169.html.gz")
    assert a.published.date().isoformat() == "2019-10-01"
    assert (a.published_source, a.published_precision) == ("meta", "day")


def test_headline_repeated_in_a_dated_list_does_not_date_the_page():
    # modabot.de (Wayback copy): the headline "Paris Haute Couture SS14: Serkan Cura" comes again in the
    # "recent posts" list, each entry with its own date ("27. Januar 2014", title, "24. Januar 2014", next
    # title, …); the next entry's "24. Januar 2014" overrode the post's <time> stamp (annotators' day: 2014-01-27)
    a = _extract("d135.html.gz")
    assert a.published.isoformat() == "2014-01-27T19:02:50+00:00"
    assert (a.published_source, a.published_precision) == ("time", "minute")


def test_a_numeric_stamp_in_the_order_the_page_prints_it():
    # El Universal (Caracas): article:published_time "10/05/2022 05:22 pm", printed "10/05/2022 05:22 pm" by the
    # headline; the stamp is read day first, as the page prints it (10 May, not 5 October), and keeps its time
    a = _extract("d299.html.gz")
    assert a.published.isoformat() == "2022-05-10T17:22:00+00:00"
    assert a.published_source == "meta"


def test_an_undated_page_takes_the_dateline_its_lead_opens_with():
    # ekiba.de, a church's press release: no publication stamp, no date printed by the headline; its lead opens
    # "Karlsruhe, (12.11.2021). Traditionell gedenken …". htmldate read 2021-11-13 out of the events calendar beside
    # the article. (The annotators' day, 2021-12-12, is printed nowhere on the page: the page is not counted right.)
    a = _extract("d053.html.gz")
    assert a.published.isoformat() == "2021-11-12T00:00:00+00:00"
    assert (a.published_source, a.published_precision) == ("lead-dateline", "day")


def _record(rec: dict):
    import json
    from datetime import datetime, timezone

    from newstrace.records import RawDocument, content_id
    data = json.dumps(rec).encode()
    return extract_document(RawDocument(id=content_id(data), origin="ecb.jsonl#line=1", data=data,
                                        media_type="application/x-article+json",
                                        first_seen=datetime(2026, 1, 1, tzinfo=timezone.utc)))


def test_undated_record_takes_the_dateline_its_text_opens_with():
    # an ECB+ record (real URL and opening) without `published`: the dateline opening its text is the claim
    a = _record({"id": "1_1ecbplus", "url": "http://www.accesshollywood.com/lindsay-lohan-leaves-betty-ford-checks-into-malibu-rehab_article_80744",
                 "title": "Lindsay Lohan Leaves Betty Ford, Checks Into Malibu Rehab",
                 "text": "First Published: June 13, 2013 4: 59 PM EDT\n\nLindsay Lohan has left the Betty Ford Center and is "
                         "moving to a rehab facility in Malibu, Calif., Access Hollywood has confirmed.\n\nA spokesperson for "
                         "The Los Angeles Superior Court confirmed to Access that a judge signed an order yesterday allowing "
                         "the transfer to Cliffside, where she will continue with her 90 - day court - mandated rehab."})
    assert a.published.date().isoformat() == "2013-06-13"
    assert (a.published_source, a.published_precision) == ("text-dateline", "day")


def test_record_without_a_dateline_stays_undated_and_keeps_its_first_seen_time():
    a = _record({"id": "x", "url": "https://www.bbc.co.uk/news/world-1", "title": "Warship foils pirate attack",
                 "text": "An Indian warship on Thursday intercepted pirates who tried to board a merchant vessel."})
    assert a.published is None and a.published_source is None
    assert a.first_seen.isoformat() == "2026-01-01T00:00:00+00:00" and a.outlet == "BBC"


def test_a_record_whose_title_is_its_dateline():
    # examples/ecbplus-sample.jsonl, 19_2ecbplus: the corpus gives the page's date line as the title
    a = _record({"id": "19_2ecbplus", "url": "http://www.essence.com/2013/03/17/riots-erupt-following-death-brooklyn-teen-killed-police/",
                 "title": "Sunday, March 17, 2013 | 5: 00 PM", "published": None,
                 "text": "Riots Erupt Following Death of Brooklyn Teen Killed By Police\n\nIn the week following the fatal "
                         "shooting of 16 - year - old Kimani Gray, several protests and riots have erupted in the teen's "
                         "Brooklyn neighborhood."})
    assert a.title == "Riots Erupt Following Death of Brooklyn Teen Killed By Police"
    assert a.text.startswith("In the week following")
    assert a.published.date().isoformat() == "2013-03-17" and a.published_source == "text-dateline"


def test_comments_do_not_date_a_page_without_stamps():
    # zulang.wordpress.com, a blog post as a copy without its head's meta stamps (article:published_time
    # 2015-12-12T05:00:37+00:00 taken out; the URL is /2015/12/12/): the theme prints the post's day as "Dez · 12"
    # with no year. Its comments were dating it: the first <time pubdate datetime="2015-12-13T01:10:03+01:00"> is a
    # comment's, and the comments' heading "6 Kommentare zu “3 Jahre legalisierte Genitalverstümmelung”" quotes the
    # headline with that comment's "13 Dezember, 2015 um 01:10" under it. Neither is the post's date any more (the
    # day comes from the headline's entry "12 Dezember, 2015" in the blog's list of recent posts).
    a = _extract("d219-nostamps.html.gz")
    assert a.published.date().isoformat() == "2015-12-12"
    assert a.published_source != "time"


def test_the_lines_outside_comments_keep_the_articles_own_dateline():
    # neunzehn72.de, a blog post without stamps: "April 19, 2019" under the headline, and the first comment's date
    # reads "April 19, 2019" too. The comment's copy is the later one: the post's dateline stays, and dates it.
    from trafilatura.utils import load_html

    from newstrace.extract.html import read_signals
    [raw] = list(iter_inputs([str(PAGES / "d057.html.gz")]))
    sig = read_signals(load_html(raw.data.decode("utf-8")))
    lines = sig.byline_lines
    head = lines.index("iMac 5K Lightroom Performance gelöst – Danke an die Community")
    assert "April 19, 2019" in lines[head + 1:head + 5]
    a = extract_document(raw)
    assert a.published.date().isoformat() == "2019-04-19"
    assert a.published_source == "page-text"
