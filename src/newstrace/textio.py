"""Bytes → text with a clear reason when the bytes are not readable text (used by ingest and extract)."""
from __future__ import annotations

import codecs
import html
import re
from typing import Any


class UnreadableInput(ValueError):
    """The input cannot be read as text; the message says why."""


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.I)
# an XHTML page may declare its encoding in its XML declaration alone
XML_ENCODING = re.compile(rb"""\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text in any encoding we accept (NULs, many control bytes)."""
    sample = data[:8192]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in sample:
        return True
    ctrl = len(sample) - len(sample.translate(None, _CONTROL_BYTES))  # C-level count: this runs on every input
    return ctrl > max(2, len(sample) // 100)


def decode_text(data: bytes, html: bool = False, charset: str | None = None) -> str:
    """Decode bytes as UTF-8 (BOMs honoured), the charset the transport or the page declares, or a detected legacy
    encoding; raise UnreadableInput otherwise."""
    return decode(data, html, charset)[0]


def decode(data: bytes, html: bool = False, charset: str | None = None) -> tuple[str, str]:
    """decode_text, and the name of the encoding used. `charset` is the one the transport declared (HTTP's
    Content-Type, a WARC record's): it is followed when the bytes are not UTF-8, before the page's own <meta>."""
    if not data or not data.strip():
        raise UnreadableInput("empty input")
    if looks_binary(data):
        raise UnreadableInput("binary content, not text")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as e:
                raise UnreadableInput(f"bad encoding: {enc} byte-order mark but {e.reason} at byte {e.start}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        if utf8_error.reason == "unexpected end of data" and utf8_error.start >= len(data) - 3:
            return data[:utf8_error.start].decode("utf-8"), "utf-8"  # cut mid-character at the very end
        # UTF-8 is tried first even against a declaration: a page that is valid UTF-8 under a stale "iso-8859-1"
        # header is UTF-8 (a legacy text is almost never valid UTF-8), and so is one whose UTF-8 holds a few stray
        # legacy bytes (a pasted widget's "K\xfcchenblogs" on a German blog): those are read as cp1252
        mixed = _mostly_utf8(data)
        if mixed is not None:
            return mixed, "utf-8+cp1252"
        declared = None
        if html:
            m = _META_CHARSET.search(data[:4096]) or XML_ENCODING.match(data)
            declared = m.group(1).decode("ascii", "ignore").lower() if m else None
        sample = _text_sample(data, html)
        window = _letters_window(sample)
        for label in (charset, declared):
            enc = _codec(label)
            if enc is not None and enc != "utf-8":
                try:
                    text = data.decode(enc)
                except UnicodeDecodeError:
                    continue
                mess = _mess(window.decode(enc, "replace"))
                if mess:
                    # a server's default label over another code page (old Russian sites sent "iso-8859-1" for
                    # windows-1251 text, which browsers then guessed): the detected reading when it reads better
                    legacy = _detect(data, sample, html)
                    if legacy is not None and _mess(window.decode(legacy[1], "replace")) < mess:
                        return legacy
                return text, enc
        legacy = _detect(data, sample, html)
        if legacy is not None:
            return legacy
        said = [s for s in (charset, declared) if s]
        raise UnreadableInput(
            f"bad encoding: not valid UTF-8 ({utf8_error.reason} at byte {utf8_error.start})"
            + (f" and not {' or '.join(said)}" if said else "") + " and no usable charset declared or detected") from None


def _stray_as_cp1252(err: UnicodeDecodeError) -> tuple[str, int]:
    """Codec error handler: an invalid byte of a UTF-8 text read as cp1252 (Latin-1 where cp1252 has no character)."""
    bad = err.object[err.start:err.end]
    return "".join(bytes([b]).decode("cp1252", "ignore") or chr(b) for b in bad), err.end


codecs.register_error("newstrace-stray-cp1252", _stray_as_cp1252)


def _mostly_utf8(data: bytes) -> str | None:
    """The text of bytes that are UTF-8 but for a few invalid bytes (at least twice as many characters are valid
    multi-byte UTF-8 as bytes are not), the invalid ones read as cp1252; None otherwise. A legacy text has almost
    no valid UTF-8 sequences (they need a lead byte followed by 1-3 continuation bytes)."""
    replaced = data.decode("utf-8", "replace")
    bad = replaced.count("\ufffd")
    good = len(replaced) - len(replaced.encode("ascii", "ignore")) - bad
    if good < 2 * bad:
        return None
    return data.decode("utf-8", "newstrace-stray-cp1252")


# Labels that mean another encoding on the web (the WHATWG Encoding Standard): pages declared "iso-8859-1" are
# written in windows-1252 (its 0x80-0x9F are quotes, dashes and the euro sign, not control characters), and so on.
_WEB_LABELS = {"iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "l1": "cp1252",
               "ascii": "cp1252", "us-ascii": "cp1252", "iso-8859-9": "cp1254", "latin5": "cp1254", "tis-620": "cp874",
               "iso-8859-11": "cp874", "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "shift_jis": "cp932",
               "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "euc-kr": "cp949", "ks_c_5601-1987": "cp949"}


def _codec(label: str | None) -> str | None:
    """Python's codec for a declared charset label, None when the label names none."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _WEB_LABELS.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "utf-8" if name in ("utf-8", "utf-8-sig") else label


# Markup a legacy page's detection must not read: scripts and styles are ASCII and would drown its few letters
_MARKUP = re.compile(rb"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.I | re.S)
# Single-byte encodings of the web's legacy pages that charset-normalizer may not offer for a short text, commonest first
_LEGACY = ("cp1252", "cp1250", "cp1251", "koi8_r", "koi8_u", "iso8859_2", "cp1253", "cp1254", "cp1257")
# n-gram coverage added to the commonest code pages' readings (cp1252 first): rarer ones must read clearly better
# (bench/eval_encodings.py: 0.960 read back with 0.01/0.005, 0.952 with 0.02/0.01, 0.946 with 0.05/0.03; adding
# charset-normalizer's language coherence x0.05 to the coverage: 0.949)
_PRIOR_CP1252, _PRIOR_LEGACY = 0.01, 0.005
_WESTERN = tuple("en fr de es it pt nl sv da no nb nn fi ca is ga gd eu gl af sw id ms tl lb fo oc br cy la eo wa".split())
_CENTRAL = tuple("cs sk pl hu sl hr ro sq bs sr".split())
_CYRILLIC = tuple("ru uk bg be mk sr kk ky mn tg".split())
# The languages each code page was made for: Czech read in cp1252 ("Poèítaè") is still identified as Czech, which
# cp1252 does not write, while cp1250's reading is Czech in a code page for Czech. Many Latin letters are shared, so
# the language, not the letters, tells the Western, Central European and Baltic code pages apart.
_CODE_PAGE_LANGUAGES = {
    "cp1252": _WESTERN, "iso8859_15": _WESTERN, "latin_1": _WESTERN, "mac_roman": _WESTERN,
    "cp1250": _CENTRAL, "iso8859_2": _CENTRAL, "iso8859_16": _CENTRAL, "mac_latin2": _CENTRAL,
    "cp1251": _CYRILLIC, "koi8_r": _CYRILLIC, "koi8_u": _CYRILLIC, "iso8859_5": _CYRILLIC, "mac_cyrillic": _CYRILLIC,
    "cp866": _CYRILLIC, "cp1253": ("el",), "iso8859_7": ("el",), "cp1254": ("tr", "az"), "iso8859_9": ("tr",),
    "cp1255": ("he", "yi"), "iso8859_8": ("he",), "cp1256": ("ar", "fa", "ur"), "iso8859_6": ("ar",),
    "cp1257": ("lt", "lv", "et"), "iso8859_13": ("lt", "lv", "et"), "iso8859_4": ("lt", "lv", "et"),
    "iso8859_10": ("is", "fo"), "iso8859_3": ("mt", "eo", "tr"), "cp1258": ("vi",), "cp874": ("th",),
    "tis_620": ("th",), "shift_jis": ("ja",), "cp932": ("ja",), "euc_jp": ("ja",), "iso2022_jp": ("ja",),
    "gb18030": ("zh",), "gb2312": ("zh",), "gbk": ("zh",), "big5": ("zh",), "big5hkscs": ("zh",), "cp950": ("zh",),
    "hz": ("zh",), "euc_kr": ("ko",), "cp949": ("ko",), "johab": ("ko",)}


def _detect(data: bytes, sample: bytes, html: bool = False) -> tuple[str, str] | None:
    """Text in a legacy encoding (cp1252, cp1251, cp1250, Shift JIS...), None when nothing fits.

    The candidates are the web's common code pages and those charset-normalizer finds in the text (read without the
    markup, which diluted a Russian article's bytes to 1% of a page); each one's reading of the text is judged by
    (1) whether its letters read as words (`_mess`), (2) whether the language it reads as is one the code page was
    made for, (3) how much of it the language model's n-grams cover, with a small prior for the commonest code pages.
    charset-normalizer's own choice read Polish in cp1252 (ł and ą as ³ and ¹) and Japanese as Korean. When it finds
    nothing, a reading without mess is still taken if it is in a language of its code page or the page's non-ASCII
    bytes are few; bytes that read as no text in any code page are refused."""
    from charset_normalizer import from_bytes

    from .langid import classify, ngram_coverage
    matches = from_bytes(sample)
    found = [m.encoding for m in matches]
    window = _letters_window(sample)
    scored = []
    # (Mac OS code pages are not offered: no web page is written in them, and on a short text their readings of
    # accented letters, "Cafť" for "Café", out-score the right one)
    for rank, enc in enumerate(dict.fromkeys([*_LEGACY, *(e for e in found if not e.startswith("mac_"))])):
        try:
            data.decode(enc)   # (not kept: a 64 MB input read in a dozen code pages would hold gigabytes)
        except (UnicodeDecodeError, LookupError):
            continue
        seen = window.decode(enc, "replace")
        written_in = classify(seen) in _CODE_PAGE_LANGUAGES.get(enc, ())
        prior = _PRIOR_CP1252 if enc == "cp1252" else _PRIOR_LEGACY if enc in _LEGACY else 0.0
        scored.append((_mess(seen), not written_in, -(ngram_coverage(seen) + prior), rank, enc))
    if not scored:
        return None
    mess, foreign, *_, enc = min(scored)
    if not found and (mess or (foreign and not (html and len(_HIGH_BYTE.findall(data)) <= len(data) * 0.05))):
        # nothing charset-normalizer recognised: a reading that forms words is taken, in a language of its code page
        # unless the page's non-ASCII bytes are few (a Western page's stray quote or accent, as before)
        return None
    return data.decode(enc), enc


_HIGH_BYTE = re.compile(rb"[\x80-\xff]")


def _text_sample(data: bytes, html: bool) -> bytes:
    """What a legacy input's code page is told from: a page's text without its markup (unless every non-ASCII byte
    is in the markup: attribute values), a text whole."""
    sample = _MARKUP.sub(b" ", data) if html else data
    return data if sample.isascii() else sample


def _letters_window(sample: bytes, size: int = 3000) -> bytes:
    """Up to `size` bytes of a text from shortly before its first non-ASCII byte (what tells code pages apart)."""
    m = _HIGH_BYTE.search(sample)
    start = max(0, (m.start() if m else 0) - 200)
    return sample[start:start + size]


_NON_ASCII_WORD = re.compile(r"\S*[^\x00-\x7f]\S*")
_C1 = re.compile("[\x80-\x9f]")
# The symbols single-byte code pages put where another has letters (Latin-1's ³ ¹ ¯ ¿ ±, ™, KOI8's box drawing); the
# middle dot is Catalan's l·l, and CJK punctuation is written inside a Chinese or Japanese "word"
_CODE_PAGE_SYMBOL = re.compile("[\u00a0-\u00b6\u00b8-\u00bf\u00d7\u00f7\u02c0-\u02ff\u2100-\u25ff]").fullmatch


def _mess(text: str) -> int:
    """How badly a decoding's non-ASCII characters read as letters of words: a symbol between two letters ("bia³oruskie"),
    a word of three or more letters all accented Latin ones (Russian read as cp1252: "Ìèíñê"), a lower-case letter
    before a capital inside a word (Russian cp1251 read as KOI8-R: "лИМЯЙ"), a combining mark opening a word or
    of another script on a Latin letter (KOI8-R or cp1252 read as Thai)."""
    import unicodedata
    bad = len(_C1.findall(text))   # C1 controls are no text: a code page without the byte's letter or quote
    for word in _NON_ASCII_WORD.findall(text):
        # a combining mark (a Thai vowel, a Hebrew point) opening a word has no letter to sit on, and one of those
        # scripts does not sit on a Latin letter ("Caf้" for "Café" read as Thai)
        bad += sum(1 for i, c in enumerate(word) if unicodedata.category(c)[0] == "M"
                   and (i == 0 or (ord(word[i - 1]) < 0x80 and not 0x300 <= ord(c) <= 0x36f)))
        letters = [c for c in word if c.isalpha()]
        if len(letters) >= 3 and all(ord(c) > 0x7f and unicodedata.name(c, "").startswith("LATIN") for c in letters):
            bad += 2
        for i in range(1, len(word) - 1):
            c = word[i]
            if _CODE_PAGE_SYMBOL(c) and word[i - 1].isalpha() and word[i + 1].isalpha() \
                    and unicodedata.category(c)[0] not in "LM":
                bad += 1
            if c.isupper() and word[i - 1].islower() and (ord(c) > 0x7f or ord(word[i - 1]) > 0x7f):
                bad += 1
    return bad


# Lone surrogates (valid in JSON as \ud83d, common from cut emoji) cannot be encoded as UTF-8, and NUL breaks
# PostgreSQL text: both are replaced where text enters the system.
_UNSAFE = re.compile("[\ud800-\udfff\x00]")


def clean_text(text: str) -> str:
    """Text with lone surrogates replaced by U+FFFD and NUL characters removed."""
    if "\x00" not in text and (text.isascii() or _encodes(text)):
        return text   # the common case, told by C-speed checks (a regex search costs ~4 ms on a 150 KB page)
    return _UNSAFE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", text) if _UNSAFE.search(text) else text


def _encodes(text: str) -> bool:
    """Whether the text holds no lone surrogate (the only characters UTF-8 cannot encode)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def clean_record(rec: dict) -> dict:
    """An article record (a JSONL line) in DESIGN.md's keys (`record_fields`), its text values made safe to store."""
    return {k: clean_text(v) if isinstance(v, str) else v for k, v in record_fields(rec).items()}


# Other tools' names for a record's fields, tried in order where the record's own key is absent or empty: news-please
# (maintext, date_publish, authors; description when it kept no main text), newspaper (publish_date, authors) and
# schema.org's NewsArticle as JSON-LD writes it (articleBody, headline, datePublished, author, publisher, inLanguage).
# A user's archive from those tools is read as it is, not taken for headline-only records or refused.
FIELD_ALIASES = {
    "text": ("maintext", "articleBody", "body", "content"),
    "title": ("headline", "title_page", "title_rss"),
    "published": ("date_publish", "datePublished", "publish_date", "published_at", "pubDate"),
    "author": ("authors",),
    "outlet": ("publisher",),
    "language": ("inLanguage",),
    "url": ("mainEntityOfPage",),
}
# JSON-LD writes its text as HTML does ("Opera&ccedil;&atilde;o"): a value taken from an alias is unescaped when it
# holds character references.
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def record_fields(rec: dict) -> dict:
    """The record with DESIGN.md's keys filled from the first alias that holds a value (FIELD_ALIASES); its own
    keys and every other key are kept as they are. Names given as objects or lists ({"name": …}) become text."""
    out = dict(rec)
    for key, aliases in FIELD_ALIASES.items():
        if key == "text" and "maintext" in rec:
            aliases = (*aliases, "description")   # news-please keeps the page's description when it found no main text
        sep = "\n\n" if key == "text" else ", "
        names = ("@id", "url") if key == "url" else ("name",)
        value = _named(out.get(key), sep, names)
        for alias in aliases:
            if value:
                break
            value = _named(rec.get(alias), sep, names)
            if isinstance(value, str) and _ENTITY.search(value):
                value = html.unescape(value)
        if value:
            out[key] = value
    return out


def _named(value: Any, sep: str = ", ", names: tuple[str, ...] = ("name",)) -> Any:
    """A field value as text: an object's first of `names`, a list's items joined by `sep`; other values as they
    are (empty: None)."""
    if isinstance(value, dict):
        value = next((value[n] for n in names if isinstance(value.get(n), str) and value[n].strip()), None)
    elif isinstance(value, list):
        parts = [_named(v, sep, names) for v in value]
        value = sep.join(n.strip() for n in parts if isinstance(n, str) and n.strip()) or None
    if isinstance(value, str) and not value.strip():
        return None
    return value


_VISIBLE = re.compile(r"[^\s\x00-\x1f\x7f\u200b-\u200f\u2028-\u202f\u205f-\u206f\ufeff\ufffd]")


def has_visible_text(text: str) -> bool:
    """Whether the text shows anything: zero-width, control and replacement characters alone do not count."""
    return _VISIBLE.search(text) is not None
