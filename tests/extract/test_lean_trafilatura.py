"""trafilatura without the metadata newstrace never reads and with elements of one class (extract/lean_trafilatura.py),
and htmldate asked only where its day may count (html.choose_published): the same trees, fields and articles as
before, on real pages (tests/fixtures/extract, see its README)."""
from __future__ import annotations

import gzip
from pathlib import Path

import pytest
import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from newstrace.extract import extract_document, lean_trafilatura
from newstrace.extract.html import choose_published, pick_html_title, read_signals, _site_names
from newstrace.ingest import iter_inputs

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "extract"
PAGES = sorted(FIX.glob("pages/*.html.gz")) + sorted(FIX.glob("unseen/*.html.gz"))


def _tree(path: Path):
    return lean_trafilatura.load_html(gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))


def test_the_lean_path_is_taken_with_this_trafilatura():
    assert lean_trafilatura.LEAN


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name.split(".")[0])
def test_load_html_parses_as_trafilatura_does(path):
    html = gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
    ours, theirs = lean_trafilatura.load_html(html), load_html(html)
    assert etree.tostring(ours) == etree.tostring(theirs)
    assert {type(el) for el in ours.iter()} == {HtmlElement}   # (no FormElement, InputElement...: one class, looked up in C)


@pytest.mark.parametrize("html", [
    "",
    "just some words, no markup at all",
    "<p>a paragraph alone</p>",
    "<?xml version='1.0' encoding='utf-8'?><html><body><p>declared encoding</p></body></html>",
    "<!DOCTYPE html PUBLIC '-//W3C//DTD XHTML 1.0 Strict//EN'>\n<html><body><p>x</p></body></html>",
    "<html/>\n<body><p>self-closed html</p></body>",
    "<html><body><form><label>Name <input name=n></label><select><option>1</select><textarea>t</textarea></form></body></html>",
])
def test_load_html_on_odd_inputs_as_trafilatura(html):
    ours, theirs = lean_trafilatura.load_html(html), load_html(html)
    assert (ours is None) == (theirs is None)
    if ours is not None:
        assert etree.tostring(ours) == etree.tostring(theirs)


def _published(tree, lean, htmldate_day):
    """The claimed publication date as extract_html chooses it, htmldate's day given as `htmldate_day` makes it."""
    sig = read_signals(tree)
    url = sig.canonical or sig.meta.get("og:url") or lean.url
    title, _ = pick_html_title(sig, lean.title, _site_names(sig, lean.sitename, url))
    return choose_published(sig, title, htmldate_day, url, sig.lang_tag == "en-us")


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name.split(".")[0])
def test_same_fields_as_bare_extraction_and_the_same_date_claimed(path):
    """The fields newstrace reads are bare_extraction's (on trafilatura's own tree); the page's tree is left as it was
    (htmldate may read it after the text was extracted); the claimed date is the same whether htmldate's day is given
    or asked for."""
    tree = _tree(path)
    before = etree.tostring(tree)
    doc = trafilatura.bare_extraction(load_html(gzip.decompress(path.read_bytes()).decode("utf-8", "replace")),
                                      with_metadata=True, include_comments=False, include_images=False)
    lean = lean_trafilatura.extract(tree)
    assert (doc is None) == (lean is None)
    if doc is None:
        return
    for key in lean_trafilatura.FIELDS:
        assert lean.get(key) == getattr(doc, key), key
    assert etree.tostring(tree) == before
    assert _published(tree, lean, lambda: lean.date) == _published(tree, lean, doc.date)


def test_fields_compared_are_real_values():
    """The comparison above covers pages where trafilatura finds each field."""
    found = {key: 0 for key in lean_trafilatura.FIELDS}
    for path in PAGES:
        lean = lean_trafilatura.extract(_tree(path))
        for key in found:
            found[key] += bool(lean is not None and lean.get(key))
    assert all(n >= 10 for n in found.values()), found


def test_htmldate_not_asked_on_a_page_its_stamps_date():
    # HR Journal (d082): JSON-LD, article:published_time and <time itemprop> agree on 2022-12-30 07:00:40+01:00,
    # and the page prints "29. Dezember 2022" by the headline (a day over 12: no day/month order to settle)
    tree = _tree(FIX / "pages" / "d082.html.gz")
    lean = lean_trafilatura.extract(tree)
    asked = []
    when, source, _ = _published(tree, lean, lambda: asked.append(1) or lean.date)
    assert (when.isoformat(), source) == ("2022-12-30T07:00:40+01:00", "json-ld")
    assert asked == []


@pytest.mark.parametrize("name", ["d082.html.gz", "d028.html.gz", "d011.html.gz"])
def test_extraction_is_the_same_twice(name):
    """Extracting a page again gives the same article (nothing cached between pages leaks into the next one)."""
    [raw] = list(iter_inputs([str(FIX / "pages" / name)]))
    first, second = extract_document(raw).to_json(), extract_document(raw).to_json()
    assert first == second and first["text"] and first["published"]


def test_htmldate_asked_where_it_settles_a_printed_dates_order():
    """A numeric date printed by the headline with a day up to 12 ("03/05/2021") may be read in the wrong order:
    htmldate's day settles it, so it is asked for; with a day over 12 there is nothing to settle."""
    from newstrace.extract.html import PageSignals
    head = "Council approves the new budget"
    asked = []
    sig = PageSignals(lines=["News", head, "03/05/2021", "The council approved …"])
    when, source, _ = choose_published(sig, head, lambda: asked.append(1) or "2021-03-05", None, False)
    assert (when.date().isoformat(), source, len(asked)) == ("2021-03-05", "page-text", 1)
    sig = PageSignals(lines=["News", head, "23/05/2021", "The council approved …"],
                      published=[("meta", "2021-05-23T09:00:00+02:00", True)])
    when, source, _ = choose_published(sig, head, lambda: asked.append(1) or "2021-05-23", None, False)
    assert (when.isoformat(), source, len(asked)) == ("2021-05-23T09:00:00+02:00", "meta", 1)


def test_byline_search_walks_the_elements_with_this_trafilatura():
    """trafilatura's byline expressions are the ones `_author` tests element by element."""
    assert lean_trafilatura._WALK_AUTHOR


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name.split(".")[0])
def test_byline_search_finds_what_trafilatura_finds(path):
    """The same elements as each of trafilatura's byline and discard expressions, and the same byline, on real pages."""
    from copy import deepcopy
    from trafilatura.metadata import extract_author
    from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS
    tree = _tree(path)
    copied = deepcopy(tree)
    assert lean_trafilatura._discarded(copied) == AUTHOR_DISCARD_XPATHS[0](copied)
    assert list(lean_trafilatura._found_and_cut(copied, lean_trafilatura._rel_me(copied))[0]) == [x(copied) for x in AUTHOR_XPATHS]
    assert lean_trafilatura._author(tree) == extract_author(tree)
    # read on the tree as it is, the elements outside the cut ones and their texts without what is cut inside them
    # are the ones the expressions find on the copy cut as trafilatura cuts it
    found, cut = lean_trafilatura._found_and_cut(tree)
    lean_trafilatura._cut_out(copied)
    for ours, expression in zip(found, AUTHOR_XPATHS):
        kept = [el for el in ours if el not in cut and not any(a in cut for a in el.iterancestors())]
        assert [lean_trafilatura._text_without(el, cut) for el in kept] == [list(x.itertext()) for x in expression(copied)]


@pytest.mark.parametrize("html", [
    # each condition of the expressions: a <rel>me</rel> child, an <author> element, test ids, ids and classes
    # matched by the regular expressions (anchored or not), an element without attributes, a comment box cut out first
    '<p class="x">Text<rel>me</rel> Jane Roe</p>',
    '<div><author>Jane Roe</author></div>',
    '<span data-testid="AuthorCard">Jane Roe</span>',
    '<h4 id="zuozhe-box">Li Wei</h4><p class="authorName">Jane Roe</p>',
    '<div class="post-Author-box">Jane Roe</div>',
    '<b data-component="SiteByline">Jane Roe</b>',
    '<section id="comments-list"><span class="author">Commenter Name</span></section><em itemprop="author">Jane Roe</em>',
    '<div class="Comments"><a rel="author">Commenter Name</a></div><div class="x comments"><a rel="author">Jane Roe</a></div>',
    '<figure><span class="byline">Photo Person</span></figure><time class="byline">Time Person</time><p class="byline">Jane Roe</p>',
    '<p class="byline">JR</p><span class="writer">Jane Roe</span>',
    # a byline holding what is cut out (its tail joined to the text before it), cut elements nested and side by side,
    # a byline inside a cut box
    '<p class="byline">By <b>Jane</b><time>May 1</time> Roe<figure>x</figure>, staff</p>',
    '<div class="author-box">Jane<span class="date">1 May<time>x</time></span>Roe<div class="print">p</div><i>!</i></div>',
    '<span class="author"><figure>f</figure>Jane Roe</span>',
    '<div class="sidebar"><span class="author">Side Name</span></div><figure><p class="byline">Fig Name</p></figure>'
    '<span data-component="Figure"><a rel="author">Cut Name</a></span><p class="byline">Jane Roe</p>',
    '<p class="byline">J<time>1</time>R</p><p class="byline">Jane Roe</p>',
])
def test_byline_search_on_each_condition(html):
    from trafilatura.metadata import extract_author
    tree = lean_trafilatura.load_html(f"<html><body><h1>Headline</h1>{html}<p>Body text.</p></body></html>")
    assert lean_trafilatura._author(tree) == extract_author(tree)


_CLASSED_AND_COMMENTED = (
    etree.XPath("//body//*[@class]"),
    etree.XPath("//body//*/@class[contains(translate(., 'COMENT', 'coment'), 'comment')]/.. | "
                "//body//*/@id[contains(translate(., 'COMENT', 'coment'), 'comment')]/.."))


def _names_as_xpath_reads_them(tree):
    from newstrace.extract.chrome import Names
    names = Names(tree)
    classed, commented = (x(tree) for x in _CLASSED_AND_COMMENTED)
    return (names.carriers, names.values, names.commented), (classed, [el.get("class") for el in classed], commented)


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name.split(".")[0])
def test_the_body_walk_finds_what_xpath_finds(path):
    """chrome.Names lists the body's classed elements, their classes and the elements whose class or id names comments
    as the XPath queries it replaced did, on real pages."""
    ours, theirs = _names_as_xpath_reads_them(_tree(path))
    assert ours == theirs


@pytest.mark.parametrize("html", [
    # a fragment whose body holds one element (the parser returns that element, inside the body); one whose body
    # lxml renames; a page with comments named in ids and classes of any case, and nested
    '<div class="a"><p id="Comment-1" class="b">x</p></div>',
    '<p class="a">x</p><p class="CommentList">y</p>',
    '<!doctype html><html><body><div id="COMMENTS"><p class="comment-body">x</p><p class="">y</p></div>'
    '<section class="x" id="no-comment-here">z</section></body></html>',
])
def test_the_body_walk_on_odd_documents(html):
    import lxml.html
    tree = lxml.html.fromstring(html)   # (fragments as lxml.html makes them: an element inside the body, or no body)
    ours, theirs = _names_as_xpath_reads_them(tree)
    assert ours == theirs
