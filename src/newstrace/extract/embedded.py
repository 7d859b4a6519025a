"""An article's text that the page carries only inside its scripts, for pages whose visible HTML has none.

Sites built on client-side frameworks (Next.js, Nuxt…) may send a shell page and the article as data: HTML
inside a JSON string of a script (`self.__next_f.push([1, "…\\u003cp\\u003e…"])`, `__NEXT_DATA__`), or as
JSON-LD `articleBody`. A reader's browser renders it; an extractor reading the HTML finds nothing.
"""
from __future__ import annotations

import json
import re

import lxml.html

# a JSON string literal of some length that holds escaped or plain paragraph markup
_STRING = re.compile(r'"((?:[^"\\]|\\.){200,})"', re.S)
_PARA = re.compile(r"(?:\\u003c|<)p[\s>\\]", re.I)
_MIN_PARAGRAPH = 25


def _strings(value, depth: int = 0) -> list[str]:
    """The strings in a decoded JSON value, and in JSON documents held inside its strings (a payload in a payload)."""
    if isinstance(value, str):
        if depth < 3 and value[:1] in "{[" and value[-1:] in "}]":
            try:
                return _strings(json.loads(value), depth + 1)
            except (ValueError, RecursionError):   # (a hostile page may nest JSON thousands deep)
                pass
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [x for v in value for x in _strings(v, depth)]
    return []


def _decoded(literal: str) -> list[str]:
    """The texts a JSON string literal holds: its own, or those of a JSON document written inside it."""
    try:
        return _strings(json.loads(f'"{literal}"'))
    except (ValueError, RecursionError):
        return []


def _paragraphs_of_markup(markup: str) -> list[str]:
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return []
    out = []
    for el in root.iter("p", "h2", "h3", "blockquote", "li"):
        if el.tag == "li" and el.getparent() is not None and el.getparent().tag not in ("ul", "ol"):
            continue
        if any(a.tag in ("p", "blockquote", "li") for a in el.iterancestors()):
            continue   # counted once, with its enclosing block
        if any(a.tag in ("figure", "figcaption", "aside") or "caption" in (a.get("class") or "").lower()
               for a in el.iterancestors()):
            continue   # a photo's caption, not the article's text
        text = re.sub(r"\s+", " ", el.text_content()).strip()
        if text and (len(text) >= _MIN_PARAGRAPH or el.tag in ("h2", "h3")):
            out.append(text)
    # headings only count between paragraphs, not as the whole text
    while out and len(out[-1]) < _MIN_PARAGRAPH:
        out.pop()
    return out


def jsonld_documents(tree):
    """The page's JSON-LD documents, parsed (a script that is not valid JSON is skipped)."""
    for script in tree.iter("script"):
        if script.get("type") != "application/ld+json":
            continue
        try:
            yield json.loads(script.text_content() or "")
        except (ValueError, RecursionError):
            continue


def _article_body(tree) -> list[str]:
    """JSON-LD articleBody of the page, as paragraphs."""
    best: list[str] = []
    for data in jsonld_documents(tree):
        stack = [data]
        while stack:
            obj = stack.pop()
            if isinstance(obj, list):
                stack.extend(obj)
            elif isinstance(obj, dict):
                stack.extend(v for k, v in obj.items() if isinstance(v, (list, dict)))
                body = obj.get("articleBody")
                if isinstance(body, str):
                    paras = _paragraphs_of_markup(body) if _PARA.search(body) else \
                        [p.strip() for p in re.split(r"\n\s*\n|\n", body) if p.strip()]
                    if sum(map(len, paras)) > sum(map(len, best)):
                        best = paras
    return best


def _script_markup(tree) -> list[str]:
    """The paragraphs of the longest article markup found in a JSON string inside an inline script."""
    best: list[str] = []
    for script in tree.iter("script"):
        if script.get("src") or script.get("type") == "application/ld+json":
            continue
        code = script.text or ""
        if len(code) < 200 or not _PARA.search(code):
            continue
        for m in _STRING.finditer(code):
            if not _PARA.search(m.group(1)):
                continue
            for s in _decoded(m.group(1)):
                if "<p" not in s.lower():
                    continue
                paras = _paragraphs_of_markup(s)
                if sum(map(len, paras)) > sum(map(len, best)):
                    best = paras
    return best


def embedded_paragraphs(tree) -> list[str]:
    """Paragraphs of the article text found in the page's scripts (JSON-LD articleBody, else a data payload)."""
    ld = _article_body(tree)
    scripted = _script_markup(tree)
    return scripted if sum(map(len, scripted)) > sum(map(len, ld)) else ld
