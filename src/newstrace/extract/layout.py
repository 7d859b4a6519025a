"""Where the page prints the body's paragraphs, and what that says about the body trafilatura gave.

Read from the page's tree after `chrome.drop_chrome`, four general signs:
- a caption opening the body: the body's first lines printed in a block that holds nothing else but a picture's credit
  ("Rust am Westufer des Neusiedler Sees." over "© WSNA"), the header picture's caption;
- lines trafilatura left out inside the article's own element (the deepest one printing most of the body): a
  subheading or a sentence alone in the gap between two neighbouring paragraphs of the text, the opening line of a
  block whose other lines are in the body (text set straight in a <div>, lines parted by <br>), and the list a
  closing paragraph announces ("So schützen Sie sich vor Einbrechern:");
- a closing run of paragraphs the page prints after a long stretch of other text (another article's teaser under
  the most-read list), which is no part of the article.
"""
from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from lxml import etree

from .chrome import (CHROME_NAME, CHROME_TAGS, CAPTION_CREDIT, Names, body_text, squash, squash_lines, visible_text,
                     wording_chrome)

# (a predicate leaving out scripts' text costs three times as much; leaving out blank nodes, two thirds of them, a quarter
# less: each node found is a Python object with its parent)
_TEXT_NODES = etree.XPath("//body//text()[normalize-space()]")
_NO_TEXT = frozenset(("script", "style", "noscript", "template"))


class Page:
    """The page's text nodes squashed and joined, to find where it prints a paragraph (built once per page)."""

    def __init__(self, names: Names):
        self.names = names
        self.nodes = _TEXT_NODES(names.tree)
        # each node squashed without a Python step per node (a page has thousands): joined with a separator no text
        # holds (textio replaced NULs), white space dropped, split again
        squashed = "".join("\0".join(self.nodes).split()).lower()
        self.ends = list(accumulate(map(len, squashed.split("\0"))))
        self.joined = squashed.replace("\0", "")

    def elements(self, paragraphs: list[str]) -> list:
        """For each paragraph, the element printing its start, looked for after the previous paragraph's, then
        anywhere (None where the page does not print it, or only in a script: a JSON-LD articleBody)."""
        out = []
        cursor = 0
        for p in paragraphs:
            key = body_text(p)[:40]
            el = None
            for start in ((cursor, 0) if key else ()):
                i = self.joined.find(key, start)
                while i >= 0:
                    t = self.nodes[bisect_right(self.ends, i)]
                    el = t.getparent()
                    if t.is_tail:
                        el = el.getparent()
                    elif el.tag in _NO_TEXT:
                        el = None
                    if el is not None:
                        break
                    i = self.joined.find(key, i + 1)
                if el is not None:
                    cursor = i + len(key)
                    break
            out.append(el)
        return out


def drop_header_caption(page: Page, paragraphs: list[str]) -> list[str]:
    """The body without the caption of a picture that opens it: one of its first two paragraphs, short, printed in
    a block that holds it and a credit line only."""
    if len(paragraphs) < 3:
        return paragraphs
    drop = set()
    for i, (p, el) in enumerate(zip(paragraphs[:2], page.elements(paragraphs[:2]))):
        if el is None or len(p) > 150:
            continue
        sp, line = squash(p), " ".join(p.split())
        for block in [el] + [a for _, a in zip(range(2), el.iterancestors())]:
            if len(block) > 6:
                break
            full = " ".join(visible_text(block).split())
            if sp not in squash(full) or len(full) - len(line) > 100:
                break
            rest = full.replace(line, " ", 1).strip()
            if rest and (wording_chrome(rest) == "credit" or CAPTION_CREDIT.search(rest)):
                drop.add(i)
                break
    return [p for i, p in enumerate(paragraphs) if i not in drop] if drop else paragraphs


# the elements that end a line of text, the ones whose text a reader never sees, and subheadings
_LINE_BLOCK = frozenset("address article aside blockquote br dd div dl dt fieldset figcaption figure footer form h1 h2 h3 "
                        "h4 h5 h6 header hr li main nav ol p pre section table tr td th ul".split())
_LINE_SKIP = frozenset("script style noscript template svg iframe head object canvas select button textarea input "
                       "option label".split())
_HEADINGS = frozenset("h2 h3 h4 h5 h6".split())
_PICTURES = ("img", "picture", "figure", "video", "iframe")
_SENTENCE_END = (".", "!", "?", ":", '"', "“", "”", "»", "«", ")")
_CHROME_LINE = "\x01"   # stands for a chrome element's text, not read: a line no filter lets through


def _lines(box, chrome_elements: set, last=None) -> list[tuple[str, int, object]]:
    """The lines a browser prints for an element up to the end of `last`, each as (text, characters of link text,
    its block element); a chrome element inside is one line `_CHROME_LINE`, not walked."""
    out: list[tuple[str, int, object]] = []
    cur: list[str] = []
    state = [0, box, False]   # link characters of the current line, its block element, past `last`

    def flush() -> None:
        t = " ".join("".join(cur).split())
        if t:
            out.append((t, state[0], state[1]))
        cur.clear()
        state[0] = 0

    def walk(el, in_link: bool) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or tag in _LINE_SKIP or state[2]:
            return
        if el in chrome_elements:
            flush()
            out.append((_CHROME_LINE, 0, el))
            return
        block = tag in _LINE_BLOCK
        if block:
            flush()
            state[1] = el
        link = in_link or tag == "a"
        if el.text:
            cur.append(el.text)
            state[0] += len(el.text.strip()) if link else 0
        for child in el:
            walk(child, link)
            if child.tail:
                if block and state[1] is not el:
                    flush()
                    state[1] = el
                cur.append(child.tail)
                state[0] += len(child.tail.strip()) if link else 0
        if block:
            flush()
        if el is last:
            flush()
            state[2] = True

    walk(box, False)
    flush()
    return out


def _article_element(paragraphs: list[str], where: list):
    """The deepest element printing four fifths of the body's text."""
    total = sum(len(p) for p, e in zip(paragraphs, where) if e is not None)
    held: dict = {}
    depth: dict = {}
    for p, e in zip(paragraphs, where):
        if e is None:
            continue
        chain = [e, *e.iterancestors()]
        for d, a in enumerate(reversed(chain)):
            held[a] = held.get(a, 0) + len(p)
            depth[a] = d
    found = [a for a, n in held.items() if total and n >= 0.8 * total]
    return max(found, key=depth.__getitem__) if found else None


def _passes(t: str, links: int) -> bool:
    """A line that may be the article's: printed, not worded as chrome or a credit, not mostly link text."""
    return t != _CHROME_LINE and wording_chrome(t) is None and not CAPTION_CREDIT.search(t) and links <= 0.3 * len(t)


_FOLLOWING_LIST = etree.XPath("following::*[self::ul or self::ol][1]")
_FOLLOWING_TEXT = etree.XPath("following::text()[position() <= 40]")   # (more text nodes before it: no list right after)


def announced_list(el) -> list[str]:
    """The items of the list the page prints right after an element (only white space between), when each is a line
    of the text (20 characters or more, not chrome, not a link); at most 20."""
    found = _FOLLOWING_LIST(el)
    if not found:
        return []
    lst = found[0]
    for t in _FOLLOWING_TEXT(el):
        holder = t.getparent()
        if holder is lst or any(a is lst for a in holder.iterancestors()):
            break
        if t.strip() and not (not t.is_tail and holder.tag in _NO_TEXT):
            return []
    else:
        return []
    items = []
    for li in lst.iterchildren("li"):
        t = " ".join(visible_text(li).split())
        links = sum(len(" ".join(a.text_content().split())) for a in li.iter("a"))
        if len(t) < 20 or not _passes(t, links):
            return []
        items.append(t)
    return items if len(items) <= 20 else []


def fill_holes(page: Page, paragraphs: list[str], known: set[str]) -> list[str]:
    """The body with the lines trafilatura left out inside the article's element: in a gap between two neighbouring
    paragraphs of sentence length that holds little else, a subheading or a sentence not set by a picture (its
    caption); the opening line of a block the body prints the rest of; the list a closing paragraph announces.
    `known` are lines read and set aside already (the headline, captions, chrome): never taken back."""
    if len(paragraphs) < 3:
        return paragraphs
    where = page.elements(paragraphs)
    box = _article_element(paragraphs, where)
    if box is None:
        return paragraphs
    chrome_elements = set(page.names.find(CHROME_NAME)) | set(box.iter(*CHROME_TAGS))
    chrome_elements.discard(box)
    try:
        lines = _lines(box, chrome_elements, next((e for e in reversed(where) if e is not None), None))
    except RecursionError:   # (a page nested deeper than Python's stack: left as trafilatura read it)
        return paragraphs
    # (squashed all at once: joined with a separator no line holds, as Page does)
    sq = "".join("\0".join(t for t, _, _ in lines).split()).lower().split("\0")
    texts = [body_text(p) for p in paragraphs]
    body, whole = "".join(texts), set(texts)
    set_aside = "\0".join(squash(k) for k in known if k)
    # a line is the body's where the body prints it (a short one only as a whole paragraph: "1", "Drinks")
    covered = [bool(s) and (s in whole or (len(s) >= 20 and s in body)) for s in sq]
    # the paragraph each covered line starts in, in order
    owner: dict[int, int] = {}
    j = 0
    for i in (i for i, c in enumerate(covered) if c):
        k = next((k for k in range(j, len(texts)) if sq[i][:40] in texts[k]), None)
        if k is not None:
            owner[i] = j = k
    if len(owner) < 2:
        return paragraphs
    adds: dict[int, list[str]] = {}   # lines to add after a paragraph (-1: before the first)
    # the opening line of a block whose next line is the body's (the rest of a <div> parted by <br>)
    following = None
    for i in range(len(lines) - 1, -1, -1):
        if i in owner:
            following = i
            continue
        t, links, block = lines[i]
        if not covered[i] and following is not None and lines[following][2] is block and sq[i] not in set_aside \
                and len(t) >= 40 and " " in t and _passes(t, links):
            adds.setdefault(owner[following] - 1, []).insert(0, t)
    # the lines alone in a gap between two neighbouring paragraphs of the text (the gap holding at most four lines,
    # half of them taken: not a box of teasers, links and labels among which a line passes)
    previous, taken, gap = -1, [], 0
    seen: set[str] = set()
    for i, (t, links, block) in enumerate(lines):
        if i in owner:
            k = owner[i]
            if taken and k == previous + 1 and min(len(paragraphs[previous]), len(paragraphs[k])) >= 80 \
                    and gap <= 4 and 2 * len(taken) >= gap:
                adds.setdefault(previous, []).extend(x for x in taken if squash(x) not in seen)
                seen.update(map(squash, taken))
            previous, taken, gap = k, [], 0
            continue
        if covered[i] or previous < 0:
            continue
        gap += 1
        sentence = len(t) >= 60 and " " in t and t.endswith(_SENTENCE_END)
        heading = block.tag in _HEADINGS and 2 <= len(t.split()) <= 12 and not t.endswith(".")
        if not (sentence or heading) or sq[i] in set_aside or not _passes(t, links):
            continue
        chain = [block]
        for a in block.iterancestors():
            if a is box:
                break
            chain.append(a)
        # a picture's caption: a line in a small block that holds a picture
        if any(next(a.iter(*_PICTURES), None) is not None and len(squash(visible_text(a))) < 3 * len(sq[i]) for a in chain[:3]):
            continue
        taken.append(t)
    # the list a closing paragraph announces, printed right after it
    last = paragraphs[-1].rstrip()
    if last.endswith(":") and len(last.split()) >= 4 and where[-1] is not None:
        items = announced_list(where[-1])
        if items:
            adds.setdefault(len(paragraphs) - 1, []).extend("- " + t for t in items)
    if not adds:
        return paragraphs
    out = list(adds.get(-1, ()))
    for k, p in enumerate(paragraphs):
        out.append(p)
        out += adds.get(k, ())
    return out


# more page text than this (squashed characters) before a closing run of paragraphs parts it from the article
FAR = 1000
# the most of the body's text such a closing run may hold
FAR_SHARE = 0.3


def drop_far_tail(paragraphs: list[str], page_lines: list[str], squashed_lines: str | None = None) -> list[str]:
    """The body without a closing run of paragraphs that the page prints after more than `FAR` characters of other
    text (a teaser of another article under the most-read list), when the run is at most `FAR_SHARE` of the body
    (`squashed_lines`: the page lines as `chrome.squash_lines` joins them, when already made)."""
    if len(paragraphs) < 2:
        return paragraphs
    # the page's visible lines (scripts left out), squashed and joined: C-level string steps
    joined = squash_lines(page_lines) if squashed_lines is None else squashed_lines
    cursor, end, cut = 0, None, len(paragraphs)
    for i, p in enumerate(paragraphs):
        text = body_text(p)
        at = joined.find(text[:40], cursor) if text else -1
        if at < 0:
            continue
        if end is not None and at - end > FAR:
            cut = i
        cursor = at + min(len(text), 40)
        end = max(end or 0, at + len(text))
    if 0 < cut < len(paragraphs) and sum(map(len, paragraphs[cut:])) <= FAR_SHARE * sum(map(len, paragraphs)):
        return paragraphs[:cut]
    return paragraphs
