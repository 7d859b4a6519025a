"""HTML metadata: the visible headline checked against declared titles, the dateline beside it, JSON-LD, captions."""
from __future__ import annotations

import html as htmlmod

from trafilatura.utils import load_html

from newstrace.extract.html import extract_html, read_signals, strip_site
from newstrace.extract.language import detect_language
from newstrace.extract.options import ExtractOptions

PARAS = [
    "The regional water board said on Monday that the reservoir above Kestrel Vale had fallen to its lowest level "
    "since records began, after a summer with less than half of the usual rainfall across the hills.",
    "Farmers downstream have been asked to stop drawing water for irrigation until the end of September, and the "
    "board will decide next week whether households must also limit the use of garden hoses and pools.",
    "Engineers are checking the old dam for leaks that may have been hidden while the water level was high, a "
    "spokeswoman said, adding that there was no risk to the villages below it at present.",
]


def _page(*, title_tag: str, og_title: str, h1: str, dateline: str, ld_date: str, caption: str) -> str:
    body = "".join(f"<p>{htmlmod.escape(p)}</p>" for p in PARAS)
    return f"""<!doctype html><html lang="en"><head><title>{title_tag}</title>
<meta property="og:title" content="{og_title}"><meta property="og:site_name" content="Vale Gazette">
<link rel="canonical" href="https://valegazette.example/news/2023/08/14/reservoir-record-low">
<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "{og_title}", "datePublished": "{ld_date}",
 "author": {{"@type": "Person", "name": "Mara Quist"}}}}</script></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>{h1}</h1><div class="meta"><time>{dateline}</time></div>
<figure><img src="r.jpg"><figcaption>{caption}</figcaption></figure>{body}</article>
<footer>Copyright Vale Gazette</footer></body></html>"""


def test_headline_dateline_outlet_author_and_caption():
    page = _page(title_tag="Reservoir at record low | Vale Gazette", og_title="Reservoir at record low",
                 h1="<span>Drought</span> Reservoir at record low", dateline="14 August 2023",
                 ld_date="2023-08-13T23:30:00Z", caption="The dry bed of the reservoir seen from the dam on Sunday.")
    a = extract_html(page, "p.html", ExtractOptions())
    assert a.title == "Reservoir at record low"          # the kicker around the headline is dropped
    assert a.published.isoformat() == "2023-08-14T00:00:00+00:00"   # the date printed under the headline
    assert a.published_source == "page-text"
    assert a.outlet == "Vale Gazette"
    assert a.url == "https://valegazette.example/news/2023/08/14/reservoir-record-low"
    assert a.author == "Mara Quist"
    assert a.language == "en"
    assert "The dry bed of the reservoir" not in a.text
    assert a.captions == ["The dry bed of the reservoir seen from the dam on Sunday."]
    for p in PARAS:
        assert p in a.text


def test_declared_title_when_no_heading_agrees():
    page = _page(title_tag="Water board warns of restrictions - Vale Gazette", og_title="Water board warns of restrictions - Vale Gazette",
                 h1="Vale Gazette", dateline="", ld_date="2023-08-14T09:00:00+02:00", caption="A caption.")
    a = extract_html(page, "p.html", ExtractOptions())
    assert a.title == "Water board warns of restrictions"
    assert a.published.date().isoformat() == "2023-08-14"


def test_strip_site():
    sites = {"vale gazette", "valegazette.example"}
    assert strip_site("Reservoir at record low | Vale Gazette", sites) == "Reservoir at record low"
    assert strip_site("Vale Gazette – Reservoir at record low", sites) == "Reservoir at record low"
    assert strip_site("Kim: the dictator is back - Trump is happy", sites) == "Kim: the dictator is back - Trump is happy"


def test_a_title_of_ornaments_around_the_site_name_is_never_a_dot():
    # shop.nmb-media.de: every <title> and og:title is ".:: NMB-MEDIA ::. eBay-Templates, …", and trafilatura takes
    # that whole string for the site's name too: every piece of it then read as the site's, and the headline was "."
    sites = {".:: nmb-media ::. ebay-templates, jtl-wawi / eazyauction designvorlagen", "shop.nmb-media.de"}
    title = ".:: NMB-MEDIA ::. eBay-Templates, JTL-Wawi / Eazyauction Designvorlagen"
    assert strip_site(title, sites) == "eBay-Templates, JTL-Wawi / Eazyauction Designvorlagen"
    assert strip_site(".:: Vale Gazette ::. Reservoir at record low", {"vale gazette"}) == "Reservoir at record low"
    from pathlib import Path
    from newstrace.extract import extract_document
    from newstrace.ingest import iter_inputs
    [raw] = list(iter_inputs([str(Path(__file__).resolve().parents[1] / "fixtures" / "extract" / "pages" / "d194.html.gz")]))
    assert extract_document(raw).title == "eBay-Templates, JTL-Wawi / Eazyauction Designvorlagen"


def test_language_detection_is_offline_and_multilingual():
    assert detect_language("Die Gemeinde hat am Dienstag beschlossen, die alte Brücke über den Fluss zu sanieren.") == "de"
    assert detect_language("Le conseil municipal a décidé mardi de rénover le vieux pont de pierre sur la rivière.") == "fr"
    assert detect_language("El ayuntamiento decidió el martes reparar el viejo puente de piedra sobre el río.") == "es"
    assert detect_language("too short") is None


def test_a_list_of_dated_entries_repeating_the_headline_gives_no_printed_date():
    # the shape of modabot.de's "recent posts" box: date, title, date, title… with this post's headline among them
    from newstrace.extract.html import PageSignals, visible_date
    head = "Paris Haute Couture SS14: Serkan Cura"
    box = ["Neueste Beiträge", "27. Januar 2014", head, "24. Januar 2014", "Paris Haute Couture SS14: Yiqing Yin",
           "23. Januar 2014", "Paris Haute Couture SS14: Ulyana Sergeenko – die Eleganz der Russin",
           "21. Januar 2014", "Paris Haute Couture SS14: On Aura Tout Vu", "20. Januar 2014", "Kommentare"]
    assert visible_date(PageSignals(lines=["Home", "Mode"] + box), head, False) is None
    # a headline with its dateline and an update notice keeps its printed date
    page = ["Home", head, "27. Januar 2014", "Aktualisiert: 29. Januar 2014", "Von Anna", "Erster Absatz des Artikels."]
    when, line = visible_date(PageSignals(lines=page), head, False)
    assert (when.date().isoformat(), line) == ("2014-01-27", "27. Januar 2014")


def _stamped_page(stamp: str, printed: str) -> str:
    body = "".join(f"<p>{htmlmod.escape(p)}</p>" for p in PARAS)
    return f"""<!doctype html><html lang="en"><head><title>Reservoir at record low | Vale Gazette</title>
<meta property="og:title" content="Reservoir at record low"><meta property="article:published_time" content="{stamp}">
<link rel="canonical" href="https://valegazette.example/news/reservoir-record-low"></head>
<body><article><h1>Reservoir at record low</h1><div class="meta">{printed}</div>{body}</article></body></html>"""


def test_a_timed_publication_stamp_is_not_overridden_by_a_lone_printed_date():
    # the publishing system wrote the stamp with its time of day; a different date printed by the headline
    # (here an older date in a short line) is not the claim unless another stamp or the URL states it too
    a = extract_html(_stamped_page("2021-11-12T13:00:00", "25 December 2005"), "p.html", ExtractOptions())
    assert a.published.isoformat() == "2021-11-12T13:00:00+00:00"
    assert a.published_source == "meta"
    # a stamp without a time of day still yields to the printed date, as before
    a = extract_html(_stamped_page("2021-11-12", "25 November 2021"), "p.html", ExtractOptions())
    assert a.published.isoformat() == "2021-11-25T00:00:00+00:00"
    assert a.published_source == "page-text"


def _wp_page(head: str, byline: str) -> str:
    body = "".join(f"<p>{htmlmod.escape(p)}</p>" for p in PARAS)
    return f"""<!doctype html><html lang="en"><head><title>Reservoir at record low | Vale Gazette</title>
<meta property="og:title" content="Reservoir at record low">{head}</head>
<body><article><h1>Reservoir at record low</h1><div class="entry-meta">{byline}</div>{body}</article></body></html>"""


def test_a_modification_stamp_is_not_the_publication_date():
    # no publication meta: htmldate (original date) falls back on article:modified_time; the post's own
    # <time class="entry-date published"> is the publication, with its time and offset
    page = _wp_page('<meta property="article:modified_time" content="2019-11-25T10:00:00-05:00">',
                    '<time class="entry-date published" datetime="2019-11-19T23:30:00-05:00"></time>'
                    '<time class="updated" datetime="2019-11-25T10:00:00-05:00"></time>')
    a = extract_html(page, "p.html", ExtractOptions())
    assert a.published.isoformat() == "2019-11-19T23:30:00-05:00"   # its local day, as the page states it
    assert (a.published_source, a.published_precision) == ("time", "minute")
    # the modification stamp is all the page has: it stays the best guess
    a = extract_html(_wp_page('<meta property="article:modified_time" content="2019-11-25T10:00:00-05:00">', ""),
                     "p.html", ExtractOptions())
    assert a.published.date().isoformat() == "2019-11-25"


def test_a_time_element_gives_its_time_and_offset_to_the_day_htmldate_finds():
    a = extract_html(_wp_page("", '<time datetime="2019-11-19T23:30:00-05:00"></time>'), "p.html", ExtractOptions())
    assert a.published.isoformat() == "2019-11-19T23:30:00-05:00"
    assert (a.published_source, a.published_precision) == ("time", "minute")


def test_a_utc_stamp_a_day_off_the_printed_date_keeps_the_local_day():
    # 19:30 on 19 November in New York is 00:30 UTC on the 20th; the page prints its local date with a
    # 12-hour clock and no am/pm, so no offset can be read from it: the printed day is the claim, not the UTC day
    a = extract_html(_stamped_page("2019-11-20T00:30:00Z", "November 19, 2019 7:30"), "p.html", ExtractOptions())
    assert a.published.date().isoformat() == "2019-11-19"
    # with "pm" the clock gives the offset: the same instant, kept to the minute in the page's local time
    a = extract_html(_stamped_page("2019-11-20T00:30:00Z", "November 19, 2019 7:30 pm"), "p.html", ExtractOptions())
    assert a.published.isoformat() == "2019-11-19T19:30:00-05:00"
    assert a.published_precision == "minute"


def test_a_utc_stamp_on_the_printed_day_keeps_its_own_offset():
    # 14:30 UTC printed as "9:30 am" (New York) on the same day: the printed clock changes no day, so the stamp
    # is stored as the metadata writes it, not turned into 09:30-05:00
    a = extract_html(_stamped_page("2019-11-19T14:30:00Z", "November 19, 2019 9:30 am"), "p.html", ExtractOptions())
    assert a.published.isoformat() == "2019-11-19T14:30:00+00:00"
    assert (a.published_source, a.published_precision) == ("meta", "minute")


def test_a_printed_clock_that_gives_no_real_offset_is_not_one():
    # 10:00 beside a 23:30 UTC stamp would be UTC-13:30, an offset no place uses: the stamp stays in UTC
    a = extract_html(_stamped_page("2019-11-19T23:30:00Z", "November 19, 2019 10:00"), "p.html", ExtractOptions())
    assert a.published.isoformat() == "2019-11-19T23:30:00+00:00"


def test_the_article_inside_the_page_object_outranks_the_page_date():
    # the WebPage's own datePublished (the page's, newer) beside its mainEntity NewsArticle's: the article's wins
    ld = ('{"@type": "WebPage", "datePublished": "2020-02-02T10:00:00+01:00", "mainEntity": {"@type": "NewsArticle",'
          ' "headline": "Reservoir at record low", "datePublished": "2019-11-19T23:30:00-05:00"}}')
    page = _wp_page(f'<script type="application/ld+json">{ld}</script>', "")
    a = extract_html(page, "p.html", ExtractOptions())
    assert a.published.isoformat() == "2019-11-19T23:30:00-05:00"
    assert a.published_source == "json-ld"


def test_a_stamp_without_a_day_gives_no_day():
    # citation_publication_date "2017" (a year alone) read as 2017-12-01 (dateparser fills in a month and day);
    # it is no publication day: the page's <time> element is
    page = _wp_page('<meta name="citation_publication_date" content="2017">',
                    '<time datetime="2017-03-05T10:00:00+01:00"></time>')
    a = extract_html(page, "p.html", ExtractOptions())
    assert a.published.isoformat() == "2017-03-05T10:00:00+01:00"
    # a year and month alone: htmldate reads it and fills in a day of its own; a <time> element of that month
    # gives the day
    page = _wp_page('<meta name="citation_publication_date" content="2017/01">',
                    '<time datetime="2017-01-19T10:00:00+01:00"></time>')
    a = extract_html(page, "p.html", ExtractOptions())
    assert a.published.isoformat() == "2017-01-19T10:00:00+01:00"


def test_comments_are_told_apart_only_when_asked_for_and_their_names_are_no_byline():
    body = "".join(f"<p>{htmlmod.escape(p)}</p>" for p in PARAS)
    page = (f"<html><head><meta name='author' content='Tom Reader'></head><body><article><h1>Reservoir at record low</h1>"
            f"{body}</article><ol class='commentList'><li><span class='Comment-Author'>Tom Reader</span>"
            f"<p>Thanks for the report.</p></li></ol></body></html>")
    sig = read_signals(load_html(page))
    assert "byline_lines" not in vars(sig)   # a walk over every element's class and id: not done by read_signals
    assert "Tom Reader" in sig.lines and "Tom Reader" not in sig.byline_lines
    # the author tag names only a commenter: no byline
    assert extract_html(page, "t.html", ExtractOptions()).author is None


def test_a_revision_printed_by_the_headline_does_not_redate_the_page():
    # the shape of a Yomiuri Shimbun page (fundus's test pages): datePublished 2024-12-03T23:17:00+09:00,
    # dateModified 2024-12-04T00:06:42+09:00 and "2024/12/04 00:05" printed under the headline: a late-evening
    # report whose first edit crossed midnight is the same report, dated by its publication stamp
    from newstrace.extract.html import PageSignals, choose_published
    head = "韓国が戒厳令、尹大統領「野党が反国家行為」"
    lines = ["ホーム", "ニュース", "国際", head, "2024/12/04 00:05", "スクラップ", "【ソウル＝小池和樹】韓国の"]
    sig = PageSignals(lines=lines, published=[("json-ld", "2024-12-03T23:17:00+09:00", True)],
                      modified=["2024-12-04T00:06:42+09:00"])
    when, source, precision = choose_published(sig, head, None, None, False)
    assert (when.isoformat(), source, precision) == ("2024-12-03T23:17:00+09:00", "json-ld", "minute")
    # revised three days later and printed so: "who reported first" stands on the first publication, so the
    # publication stamp stays the claim (issue 23: a modification date chosen over the publication date is a defect)
    sig.modified = ["2024-12-06T10:00:00+09:00"]
    sig.lines[4] = "2024/12/06 10:00"
    when, source, precision = choose_published(sig, head, None, None, False)
    assert (when.isoformat(), source, precision) == ("2024-12-03T23:17:00+09:00", "json-ld", "minute")


def test_fundus_date_shapes():
    """Shapes of three pages of fundus' test set (sites not seen before), each dated wrong before."""
    from newstrace.extract.html import PageSignals, choose_published
    # Tageblatt (lu): JSON-LD datePublished 2025-06-28T14:03:53Z; under the headline "Akt.: 29. Juni 2025 - 21.18 Uhr"
    # (an abbreviated update notice) above "28. Juni 2025 - 16.03 Uhr": the update does not re-date the page
    head = "Der 9. Juli naht: OGBL und LCGB demonstrieren Stärke"
    sig = PageSignals(lines=["Politik", head, "Akt.: 29. Juni 2025 - 21.18 Uhr", "28. Juni 2025 - 16.03 Uhr", "Text …"],
                      published=[("json-ld", "2025-06-28T14:03:53+00:00", True)], modified=["2025-06-29T19:18:04+00:00"])
    when, source, _ = choose_published(sig, head, None, None, False)
    assert (when.isoformat(), source) == ("2025-06-28T14:03:53+00:00", "json-ld")
    # The Mirror: article:published_time 2024-08-05T19:49:50Z is its article:modified_time too (a live page's last
    # edit); the <time> marked as the publication says 2024-08-04T13:23:00Z: the earlier stamp is the publication
    sig = PageSignals(lines=["UK riots LIVE", "Text …"], published=[("meta", "2024-08-05T19:49:50Z", True),
                      ("time", "2024-08-04T13:23:00Z", True)], modified=["2024-08-05T19:49:50Z"])
    when, source, _ = choose_published(sig, "UK riots LIVE", None, None, False)
    assert (when.isoformat(), source) == ("2024-08-04T13:23:00+00:00", "time")
    # n-tv: JSON-LD "2023-04-28 18:11:01.0" has no offset; <meta name="date"> gives that clock time with +02:00
    sig = PageSignals(lines=["Judy Lybke", "28.04.2023, 18:11 Uhr", "Text …"],
                      published=[("json-ld", "2023-04-28 18:11:01.0", True), ("meta", "2023-04-28T18:11:01+02:00", False)],
                      modified=["2023-04-28T18:43:01", "2023-04-28T18:43:01+02:00"])
    when, _, precision = choose_published(sig, "Judy Lybke", None, None, False)
    assert (when.isoformat(), precision) == ("2023-04-28T18:11:01+02:00", "minute")


def test_a_saved_page_without_a_canonical_url_takes_the_address_the_browser_saved_it_from():
    # real page d084 (internetchemie.info), as a site that declares no canonical URL serves it: the note Chrome writes
    # at the top of a saved page ("<!-- saved from url=(0083)https://… -->") is the only address the file holds.
    # Before, such a page had no URL, so no outlet from its domain and no match with the same page fetched.
    import gzip
    import re
    from pathlib import Path
    from newstrace.extract import extract_document
    from newstrace.records import RawDocument
    html = gzip.decompress((Path(__file__).resolve().parent.parent / "fixtures" / "extract" / "pages" / "d084.html.gz").read_bytes())
    html = re.sub(rb'<link rel="canonical"[^>]*>', b"", html)
    from datetime import datetime, timezone
    raw = RawDocument(id="x", origin="Heliumkerne.html", data=html, media_type="text/html",
                      first_seen=datetime(2021, 1, 20, tzinfo=timezone.utc))
    article = extract_document(raw)
    assert article.url == "https://internetchemie.info/news/2021/jan21/heliumkerne-in-zinn-atomen-entdeckt.php"
    # with its canonical URL the page keeps it
    kept = extract_document(RawDocument(id="y", origin="a.html", data=gzip.decompress(
        (Path(__file__).resolve().parent.parent / "fixtures" / "extract" / "pages" / "d084.html.gz").read_bytes()),
        media_type="text/html", first_seen=datetime(2021, 1, 20, tzinfo=timezone.utc)))
    assert kept.url == "https://www.internetchemie.info/news/2021/jan21/heliumkerne-in-zinn-atomen-entdeckt.php"
