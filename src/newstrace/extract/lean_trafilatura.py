"""trafilatura's `load_html` and `bare_extraction(tree, with_metadata=True, include_comments=False)`, leaner, for the
fields newstrace reads.

`load_html` parses as trafilatura's does (the same parser settings and repairs), with one difference: lxml.html's
parser looks up a Python class for every element object Python touches (a form element is a FormElement, an input an
InputElement...), a call into Python costing 5% of the whole extraction; nothing in newstrace, trafilatura or htmldate
uses those classes, and the parser here gives every element lxml.html's HtmlElement, looked up in C.
`bare_extraction` also finds a page's categories, tags and license (a tenth of its time, which nobody here reads)
and always runs htmldate, whose day `html.choose_published` needs only on some pages. `extract(tree)` runs the same
steps as bare_extraction in the same order on the same tree, leaving those out, and asks htmldate when `date` is
first read. trafilatura gives no public switch for either, so its internals are called: where they are missing
(another trafilatura version), its own functions are used (`tests/extract/test_lean_trafilatura.py` checks that both
give the same trees and fields on real pages).
"""
from __future__ import annotations

from copy import copy
from datetime import datetime
from html import unescape

import trafilatura
from trafilatura.utils import load_html as trafilatura_load_html

try:
    from htmldate import find_date
    from lxml.etree import ElementDefaultClassLookup
    from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction, fromstring
    from trafilatura.core import trafilatura_sequence
    from trafilatura.metadata import (META_URL, examine_meta, extract_author, extract_meta_json, extract_sitename,
                                      extract_title, extract_url)
    from trafilatura.settings import Extractor
    from trafilatura.utils import HTML_PARSER, is_dubious_html, line_processing, repair_faulty_html
    from trafilatura.xml import xmltotxt
    _OPTIONS = Extractor(with_metadata=True, comments=False, images=False)
    LEAN = not _OPTIONS.max_tree_size and not _OPTIONS.lang and not _OPTIONS.dedup
    _PARSER = HTML_PARSER.copy()   # (its settings: no comments, no processing instructions...)
    _PARSER.set_element_class_lookup(ElementDefaultClassLookup(element=HtmlElement, comment=HtmlComment,
                                                               pi=HtmlProcessingInstruction, entity=HtmlEntity))
except (ImportError, AttributeError, TypeError):   # another trafilatura: its load_html and bare_extraction are used
    LEAN = False

FIELDS = ("text", "title", "author", "url", "sitename", "date")   # what newstrace reads


def _parse_bytes(html: str):
    try:
        return fromstring(html.encode("utf8", "surrogatepass"), parser=_PARSER)
    except Exception:  # noqa: BLE001  (as trafilatura: no tree)
        return None


def load_html(html: str):
    """The page's tree as trafilatura.utils.load_html parses a string (None where it finds no HTML)."""
    if not LEAN:
        return trafilatura_load_html(html)
    beginning = html[:50].lower()
    dubious = is_dubious_html(beginning)
    html = repair_faulty_html(html, beginning)
    tree, fallback = None, False
    try:
        tree = fromstring(html, parser=_PARSER)
    except ValueError:   # "Unicode strings with encoding declaration are not supported."
        tree, fallback = _parse_bytes(html), True
    except Exception:  # noqa: BLE001
        pass
    if (tree is None or len(tree) < 1) and not fallback:
        tree = _parse_bytes(html)
    if tree is not None and dubious and len(tree) < 2:   # not HTML at all
        tree = None
    return tree


def _trim(value: str | None) -> str | None:
    """A metadata value as trafilatura's Document.clean_and_trim leaves it."""
    if not isinstance(value, str):
        return value
    if len(value) > 10000:
        value = value[:9999] + "…"
    return line_processing(unescape(value))


class Extraction:
    """trafilatura's text and metadata of one page; htmldate's `date` is found when first read (on the page's tree,
    which must not change until then)."""

    __slots__ = ("text", "title", "author", "url", "sitename", "_tree", "_page_url", "_date", "_dated")

    def __init__(self, text: str | None, title: str | None, author: str | None, url: str | None, sitename: str | None,
                 *, date: str | None = None, tree=None, page_url: str | None = None):
        """With `tree`, htmldate is asked for the date when it is read (given `page_url`); without, `date` is it."""
        self.text, self.title, self.author, self.url, self.sitename = text, title, author, url, sitename
        self._tree, self._page_url = tree, page_url
        self._date, self._dated = date, tree is None

    @property
    def date(self) -> str | None:
        if not self._dated:
            # with the settings of trafilatura's metadata pass (set_date_params), the URL as the page writes it
            # (before trafilatura trims it), on the tree (htmldate cleans a copy of a tree it is given)
            try:
                self._date = _trim(find_date(self._tree, original_date=True, extensive_search=True,
                                             max_date=datetime.now().astimezone().strftime("%Y-%m-%d"), url=self._page_url))
            except Exception:  # noqa: BLE001  (a day nobody found is no day, not a failed page)
                self._date = None
            self._dated, self._tree = True, None
        return self._date

    def get(self, key: str):
        return getattr(self, key)


def _metadata(tree) -> tuple[str | None, str | None, str | None, str | None, str | None]:
    """(title, author, url, sitename, the URL untrimmed) as trafilatura.metadata.extract_metadata finds them (no URL
    given, no blacklist)."""
    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None
    try:
        metadata = extract_meta_json(tree, metadata)
    except Exception:  # noqa: BLE001  (as trafilatura: bugs in its JSON metadata code)
        pass
    if not metadata.title:
        metadata.title = extract_title(tree)
    if not metadata.author:
        metadata.author = extract_author(tree)
    if not metadata.url:
        metadata.url = extract_url(tree, None)
    if not metadata.sitename:
        metadata.sitename = extract_sitename(tree)
    if metadata.sitename:
        metadata.sitename = metadata.sitename.lstrip("@")
        if metadata.sitename and "." not in metadata.sitename and not metadata.sitename[0].isupper():
            metadata.sitename = metadata.sitename.title()
    elif metadata.url:
        m = META_URL.match(metadata.url)
        if m:
            metadata.sitename = m[1]
    return _trim(metadata.title), _trim(metadata.author), _trim(metadata.url), _trim(metadata.sitename), metadata.url


def extract(tree) -> Extraction | None:
    """trafilatura's text and metadata of a parsed page (left unchanged), or None where bare_extraction gives none."""
    if not LEAN:
        doc = trafilatura.bare_extraction(tree, with_metadata=True, include_comments=False, include_images=False)
        if doc is None:
            return None
        return Extraction(doc.text, doc.title, doc.author, doc.url, doc.sitename, date=doc.date)
    try:
        title, author, url, sitename, page_url = _metadata(tree)
        # (trafilatura prunes and cleans the tree it extracts from: a copy, as bare_extraction makes)
        body, text, _, _ = trafilatura_sequence(copy(tree), _OPTIONS, url)
        if len(text) < _OPTIONS.min_output_size and 0 < _OPTIONS.min_output_comm_size:
            return None
    except (TypeError, ValueError):
        return None
    return Extraction(xmltotxt(body, _OPTIONS.formatting), title, author, url, sitename, tree=tree, page_url=page_url)
