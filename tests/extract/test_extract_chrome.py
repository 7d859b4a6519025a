"""Plain text copied out of a web page: each kind of page chrome stays out of the article body.

The pages here are composed for the tests (a fictional local story), not copied from the seeds or the dev data.
"""
from __future__ import annotations

from newstrace.extract.options import ExtractOptions
from newstrace.extract.text import extract_text

PARAGRAPHS = [
    "The council of Marrow Creek voted on Tuesday evening to spend 4.2 million euros on repairing the old stone bridge "
    "over the Lenn, after engineers warned that two of its five arches had begun to crack during the spring floods.",
    "Work is due to start in March and should take about eighteen months, during which heavy lorries will be diverted "
    "through the industrial estate on the northern edge of the town, the council's transport officer told the meeting.",
    "Several shop owners on the market square said they feared losing customers while the bridge is closed to cars. "
    "One of them, a baker whose family has run the same shop for three generations, asked for a temporary footbridge.",
    "The mayor, Ilse Brandauer, said the footbridge would be considered when the contractor presents its plans in "
    "January, and that the town had already applied for a regional grant that could cover up to a third of the cost.",
    "Engineers from the regional roads agency first inspected the bridge in 2019 and recommended a full survey, which "
    "was postponed twice because of budget cuts and, later, because of a dispute over who owns the riverbanks.",
    "Residents who want to comment on the diversion routes can do so until the end of the month at the town hall, "
    "where the plans are on display every weekday morning, or in writing to the council's planning department.",
]
TITLE = "Marrow Creek council approves repairs to cracked stone bridge"


def _page(*, head: list[str], tail: list[str], middle: list[str] | None = None) -> str:
    body = PARAGRAPHS[:3] + (middle or []) + PARAGRAPHS[3:]
    return "\n".join(head + [TITLE, "By Jonas Weller", "March 4, 2024"] + body + tail) + "\n"


HEAD = ["Skip to content", "The Lenn Valley Courier", "Home", "Local", "Business", "Sport", "Opinion", "Subscribe"]


def _extract(text: str):
    return extract_text(text, "composed.txt", ExtractOptions())


def _assert_body_intact(a) -> None:
    for p in PARAGRAPHS:
        assert p in a.text, p[:60]


def test_navigation_title_byline_and_date_are_read_not_kept():
    a = _extract(_page(head=HEAD, tail=["Share this article", "Facebook", "Twitter", "Email"]))
    _assert_body_intact(a)
    assert a.title == TITLE
    assert a.author == "Jonas Weller"
    assert a.published.isoformat() == "2024-03-04T00:00:00+00:00"
    for junk in ("Skip to content", "Subscribe", "Share this article", "Facebook", "By Jonas Weller", "March 4, 2024"):
        assert junk not in a.text, junk
    assert "Share this article" in a.boilerplate


def test_related_headline_list_is_chrome():
    related = ["More from Local", "Flood defences along the Lenn to be raised by half a metre",
               "New cycle lane opens between Marrow Creek and Oldham Fields", "Primary school wins national reading prize",
               "Farmers' market moves to Saturdays from April", "Police appeal for witnesses after warehouse fire",
               "Library extends opening hours over the winter", "Town hall clock restored after two years of silence"]
    a = _extract(_page(head=HEAD, tail=related))
    _assert_body_intact(a)
    for r in related:
        assert r not in a.text, r


def test_media_player_residue_and_widgets_are_chrome():
    widgets = ["Newsletter", "Sign up for our morning briefing", "0:00", "2:41", "Play", "Close", "×", "Advertisement"]
    a = _extract(_page(head=HEAD, tail=widgets))
    _assert_body_intact(a)
    lines = a.text.split("\n\n")
    for w in widgets:
        assert w not in lines, w


def test_link_only_lines_and_markdown_are_normalised():
    md = "\n\n".join([
        "[Home](https://courier.example/) | [Local](https://courier.example/local)",
        f"# {TITLE}",
        "**By Jonas Weller**",
        "March 4, 2024",
        PARAGRAPHS[0].replace("spring floods", "[spring floods](https://courier.example/floods)"),
        *PARAGRAPHS[1:3],
        "**Read more:** [Flood defences along the Lenn to be raised](https://courier.example/flood-defences)",
        *PARAGRAPHS[3:],
        "[Contact us](https://courier.example/contact)",
    ])
    a = _extract(md)
    _assert_body_intact(a)
    assert a.title == TITLE
    for junk in ("https://", "](", "**", "# ", "Flood defences", "Contact us", "Read more"):
        assert junk not in a.text, junk


def test_trailer_gives_the_url_and_stays_out_of_the_body():
    a = _extract(_page(head=HEAD, tail=["", "Source address:", "https://courier.example/2024/03/04/marrow-creek-bridge-repairs"]))
    _assert_body_intact(a)
    assert a.url == "https://courier.example/2024/03/04/marrow-creek-bridge-repairs"
    assert "courier.example" not in a.text
    assert "Source address:" not in a.text


def test_outlet_from_masthead_or_from_the_domain():
    a = _extract("\n".join(["Lenn Valley Courier", "", TITLE, "", "March 4, 2024", ""] + [p + "\n" for p in PARAGRAPHS]))
    assert a.outlet == "Lenn Valley Courier"
    b = _extract(_page(head=[], tail=["Original address:", "https://www.marrowcreekcourier.example/2024/03/04/bridge"]))
    assert b.outlet == "Marrow Creek Courier"   # the domain split into words of the page (and common masthead words)


def test_caption_set_apart_by_blank_lines_is_a_caption():
    text = "\n\n".join([TITLE, "March 4, 2024", *PARAGRAPHS[:3]]) + \
        "\n\nWorkers inspect the cracked third arch of the bridge over the Lenn on February 20, 2024.\n\n\n" + \
        "\n\n".join(PARAGRAPHS[3:])
    a = _extract(text)
    _assert_body_intact(a)
    assert a.captions == ["Workers inspect the cracked third arch of the bridge over the Lenn on February 20, 2024."]
    assert "Workers inspect" not in a.text


def test_trusted_record_text_keeps_every_line():
    text = "\n".join(PARAGRAPHS + ["Short line.", "Another one"]) + "\nhttps://courier.example/2024/03/04/bridge\n"
    a = extract_text(text, "record", ExtractOptions(), trusted_body=True)
    assert a.paragraphs == PARAGRAPHS + ["Short line.", "Another one"]
    assert a.url == "https://courier.example/2024/03/04/bridge"


def test_headline_is_the_line_the_body_sums_up_not_a_teaser_of_another_story():
    # short title-like lines just above the headline: teasers of other stories, a widget label
    for above in (["Flood defences along the Lenn to be raised by half a metre"],
                  ["Load social widgets for this page", "Police appeal for witnesses after warehouse fire in the old town"]):
        for mid in (["By Jonas Weller", "March 4, 2024"], ["March 4, 2024"]):
            text = "\n".join(HEAD + above + [TITLE] + mid + PARAGRAPHS + ["Share this article", "Facebook"]) + "\n"
            a = _extract(text)
            assert a.title == TITLE, (above, mid, a.title)
            _assert_body_intact(a)


def test_a_german_dateline_with_an_ordinal_dot_gives_the_date():
    text = "\n".join(HEAD + [TITLE, "4. März 2024, 18:30 Uhr"] + PARAGRAPHS) + "\n"
    a = _extract(text)
    assert a.published is not None and a.published.date().isoformat() == "2024-03-04"
    assert a.title == TITLE


def test_breadcrumb_or_dated_echo_of_the_headline_gives_way_to_the_headline():
    for echo in (f"Home › Local › {TITLE}", f"04.03.2024 | {TITLE}"):
        text = "\n".join(HEAD + [echo, "Share", TITLE, "By Jonas Weller", "March 4, 2024"] + PARAGRAPHS) + "\n"
        a = _extract(text)
        assert a.title == TITLE, (echo, a.title)


def test_a_teaser_cut_short_gives_way_to_the_full_headline():
    from newstrace.extract.markup import split_lines
    from newstrace.extract.title import _clean_echo
    lines = split_lines("\n".join(["Marrow Creek council approves repairs…", "Local", TITLE, "By Jonas Weller"]))
    assert lines[_clean_echo(lines, [0, 1, 2, 3], 0)].text == TITLE
    assert _clean_echo(lines, [0, 1, 2, 3], 2) == 2      # the headline itself stays
