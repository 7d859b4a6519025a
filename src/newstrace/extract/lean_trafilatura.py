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
Its byline search (`extract_author`, run where the meta tags name nobody: half the pages) evaluates five XPath
expressions over the whole tree, each testing up to a dozen conditions on every element: 8% of the whole extraction.
`_author` tests the same conditions in one walk over the elements (a fifth of the time), on the tree as it is rather
than on a copy with the comments, dates and figures cut out (a third less again); where trafilatura's expressions are
not the ones written out here (another version), its own function runs.
"""
from __future__ import annotations

import re
from copy import copy, deepcopy
from datetime import datetime
from html import unescape

import trafilatura
from trafilatura.utils import load_html as trafilatura_load_html

try:
    from htmldate import find_date
    from lxml.etree import ElementDefaultClassLookup
    from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HtmlProcessingInstruction, fromstring
    from trafilatura.core import trafilatura_sequence
    from lxml.etree import Element
    from trafilatura.metadata import (META_URL, examine_meta, extract_author, extract_meta_json, extract_sitename,
                                      extract_title, extract_url, normalize_authors)
    from trafilatura.utils import trim
    from trafilatura.xml import delete_element
    from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS
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

# trafilatura's byline expressions (AUTHOR_XPATHS, then AUTHOR_DISCARD_XPATHS, white space collapsed) that `_author`
# tests element by element: the bylines, most specific first, and what is cut out before (comments, dates, figures)
_AUTHOR_EXPRESSIONS = (
    "//*[self::a or self::address or self::div or self::link or self::p or self::span or self::strong][ @rel='author' "
    "or @id='author' or @class='author' or @itemprop='author name' or rel='me' or @data-testid='AuthorCard' or "
    "@data-testid='AuthorURL' or re:test(@class, 'author-?name|AuthorName|authorName')]|//author",
    "//*[self::a or self::div or self::h3 or self::h4 or self::p or self::span][ @class='byline' or @class='username' "
    "or @class='byl' or @class='BBL' or contains(@itemprop, 'author') or re:test(@id, 'author|zuozhe|bianji|xiaobian') "
    "or re:test(@class, 'author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name')]",
    "//*[ contains(@data-component, 'Byline') or contains(@itemprop, 'author') or re:test(@id, '[Aa]uthor') or "
    "re:test(@class, '[Aa]uthor|screenname|writer|[Bb]yline')]",
    ".//*[self::a or self::div or self::section or self::span][ @id='comments' or @class='comments' or @class='title' "
    "or @class='date' or re:test(@id, '^comments|comment-?list|ProductReviews') or re:test(@class, '^[Cc]omments|"
    "commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram|article-(?:share|support)|print|category|"
    "meta-date|meta-reviewer') or contains(@data-component, 'Figure')]",
    "//time|//figure",
)
_BYLINE_TAGS = frozenset("a address div link p span strong".split())
_BYLINE_CLASS = re.compile("author-?name|AuthorName|authorName")
_GENERIC_TAGS = frozenset("a div h3 h4 p span".split())
_GENERIC_ID = re.compile("author|zuozhe|bianji|xiaobian")
_GENERIC_CLASS = re.compile("author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name")
_ANY_ID = re.compile("[Aa]uthor")
_ANY_CLASS = re.compile("[Aa]uthor|screenname|writer|[Bb]yline")
_DISCARD_TAGS = frozenset("a div section span".split())
_DISCARD_ID = re.compile("^comments|comment-?list|ProductReviews")
_DISCARD_CLASS = re.compile("^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram|"
                            "article-(?:share|support)|print|category|meta-date|meta-reviewer")
try:
    _WALK_AUTHOR = tuple(" ".join(x.path.split()) for x in AUTHOR_XPATHS + AUTHOR_DISCARD_XPATHS) == _AUTHOR_EXPRESSIONS
except NameError:   # (not LEAN)
    _WALK_AUTHOR = False


def _discarded(root) -> list:
    """The elements AUTHOR_DISCARD_XPATHS[0] finds under `root`, in document order."""
    out = []
    for el in root.iterdescendants(Element):
        if el.tag in _DISCARD_TAGS and el.keys():
            i, c = el.get("id"), el.get("class")
            if i == "comments" or c in ("comments", "title", "date") or (i is not None and _DISCARD_ID.search(i)) \
                    or (c is not None and _DISCARD_CLASS.search(c)) or "Figure" in (el.get("data-component") or ""):
                out.append(el)
    return out


def _rel_me(root) -> set:
    """The parents of `root`'s <rel> elements reading "me" (rel='me' in trafilatura's byline expressions)."""
    return {r.getparent() for r in root.iter("rel") if "".join(r.itertext()) == "me"}


def _found_and_cut(root, with_me: set | frozenset = frozenset()) -> tuple[tuple[list, list, list], set]:
    """One walk over `root`'s tree as it is: the elements each of the three AUTHOR_XPATHS finds, in document order
    (`with_me`: the parents of the <rel> elements reading "me", rel='me' in the expressions), and the ones `_author`
    cuts out before (AUTHOR_DISCARD_XPATHS: comments, dates, figures), everything inside them cut too."""
    specific, generic, anything = [], [], []
    cut = set()
    for el in root.iter(Element):
        tag = el.tag
        if (tag == "time" or tag == "figure") and el is not root:
            cut.add(el)
        if not el.keys():   # (no attribute to test)
            if tag == "author" or (tag in _BYLINE_TAGS and el in with_me):
                specific.append(el)
            continue
        c, i, prop = el.get("class"), el.get("id"), el.get("itemprop")
        if tag == "author" or tag in _BYLINE_TAGS and (
                el.get("rel") == "author" or i == "author" or c == "author" or prop == "author name" or el in with_me
                or el.get("data-testid") in ("AuthorCard", "AuthorURL") or (c is not None and _BYLINE_CLASS.search(c))):
            specific.append(el)
        if tag in _GENERIC_TAGS and (
                c in ("byline", "username", "byl", "BBL") or "author" in (prop or "")
                or (i is not None and _GENERIC_ID.search(i)) or (c is not None and _GENERIC_CLASS.search(c))):
            generic.append(el)
        component = el.get("data-component") or ""
        if "Byline" in component or "author" in (prop or "") \
                or (i is not None and _ANY_ID.search(i)) or (c is not None and _ANY_CLASS.search(c)):
            anything.append(el)
        if tag in _DISCARD_TAGS and el is not root and (
                i == "comments" or c in ("comments", "title", "date") or (i is not None and _DISCARD_ID.search(i))
                or (c is not None and _DISCARD_CLASS.search(c)) or "Figure" in component):
            cut.add(el)
    return (specific, generic, anything), cut


def _cut_out(el) -> None:
    """Delete what `_author` cuts out of an element's subtree (its discarded boxes, then its dates and figures)."""
    for x in _discarded(el):
        delete_element(x)
    for x in list(el.iter("time", "figure")):
        delete_element(x)


def _text_without(el, cut: set) -> list[str]:
    """An element's text nodes as they read once the `cut` elements inside it are deleted (their tails kept, joined to
    the text before them, as trafilatura's delete_element leaves them)."""
    if not any(x in cut for x in el.iterdescendants()):
        return list(el.itertext())
    sub = deepcopy(el)   # (the element alone: deleting inside it moves text only within it)
    _cut_out(sub)
    return list(sub.itertext())


def _first_byline(texts) -> str | None:
    """The first candidate's text (each given as its text nodes) of a byline's sensible length, its names normalised."""
    for nodes in texts:
        content = trim(" ".join(nodes))
        if content and 2 < len(content) < 120:
            return normalize_authors(None, content)
    return None


def _author(tree) -> str | None:
    """trafilatura.metadata.extract_author: the first byline of sensible length outside comments, dates and figures."""
    if not _WALK_AUTHOR:
        return extract_author(tree)
    if next(tree.iter("rel"), None) is not None:
        # (rel='me' reads a <rel> child's text once the cut elements are gone: the whole tree copied and cut, as the
        # expressions read it)
        subtree = deepcopy(tree)   # (a root of its own document, as `//` in the expressions reads it)
        _cut_out(subtree)
        found = _found_and_cut(subtree, _rel_me(subtree))[0]   # (extract_metainfo; nothing left to cut)
        return _first_byline(el.itertext() for els in found for el in els)
    # the tree read as it is (no copy to cut): elements inside a cut one are passed over, and a byline holding a cut
    # element read without it
    found, cut = _found_and_cut(tree)
    return _first_byline(_text_without(el, cut) for els in found for el in els   # (extract_metainfo)
                         if el not in cut and not any(a in cut for a in el.iterancestors()))


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
        metadata.author = _author(tree)
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
