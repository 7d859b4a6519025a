"""Pages that are a notice in place of the article: a bot check, a paywall or login wall, a cookie-consent text.

A crawler that is blocked gets the same notice for every article of a site ("We recorded a huge amount of
connections from the IP address you are connecting from…"): stored as articles, those notices would be copies of one
another and one story, and "who copied whom" would name them. They are refused with the reason instead, so the
input is kept in quarantine and the message says what the page was. A notice is short, and most of its text
is the notice's wording (in several languages); an article that merely mentions cookies or a paywall is neither.
In a JSONL record's text, which is kept, such a notice or a site's furniture box is set aside wherever it sits.
"""
from __future__ import annotations

import re

# the wording of such notices, by kind; matched case-insensitively anywhere in the text
_KINDS = {
    "bot check": r"not a robot|captcha|unusual traffic|ip address|are you a (?:robot|human)|verify (?:that )?you are (?:a )?human|"
                 r"access denied|403 forbidden|request (?:was )?blocked|nie jestem robotem|adres(?:u)? ip|kein roboter|"
                 r"pas un robot|no soy un robot|non sono un robot|я не робот|robot değilim|zugriff verweigert",
    "paywall or login wall": r"subscribe to (?:continue|read)|to continue reading|(?:log|sign) in to (?:continue|read)|reached the limit|"
                             r"free articles?|already a subscriber|subscribers?,? (?:click|log)|register your subscription|"
                             r"complimentary access|jetzt abonnieren|bereits abonnent|veuillez vous connecter|inscrivez-vous|"
                             r"déjà abonné|suscríbete|ya eres suscriptor|abbonati|già abbonato|zaloguj się|войдите|"
                             r"подпишитесь|log out\?|password|remember me|sign in\b|log ?in\b",
    "browser check": r"enable javascript|javascript is disabled|enable cookies|javascript aktivieren|activez javascript",
    "cookie consent": r"we use cookies|wir verwenden (?:auf unserer webseite )?cookies|nous utilisons des cookies|utilizamos cookies|"
                      r"utilizziamo i cookie|używamy plików cookie|datenschutzhinweis|einwilligung|cookies? (?:must be )?enabled|"
                      r"cookie-\w+|\bcookies\b|datenschutz(?:erklärung|bestimmungen|richtlinie)\w*|privacy (?:policy|notice)|"
                      r"persönlichen daten|personal data|akzeptieren und schließen|bitte registrieren|registrieren sie sich|"
                      r"noch keinen zugang",
}
_CUE = re.compile("|".join(f"(?P<k{i}>{p})" for i, p in enumerate(_KINDS.values())), re.I)
# in a record's text also a site speaking of itself or calling the reader to sign up ("Um die Funktion unserer Website
# zu verbessern …", "We'll send breaking news and news alerts to you … Sign up!"): with other phrases of the notices'
# wording around it, the site's furniture. (Not a page's refusal cue: a short page may well say "our newsletter".)
_SITE_VOICE = (r"unsere[rnm]? (?:web)?seite|unsere[rnm]? website|our (?:web)?site|notre site|nuestro sitio(?: web)?|"
               r"nostro sito|naszej stronie|news alerts|sign up\b|newsletter|"
               # a wall's call to read on, and the fields of its form ("Inscrivez-vous maintenant gratuitement pour
               # continuer à lire. / Veuillez vérifier les champs obligatoires marqués en rouge. / Votre e-mail")
               r"continuer à lire|continuer la lecture|um (?:weiter ?zu ?lesen|fortzufahren)|(?:seguir|continuar) leyendo|"
               r"continuare a leggere|pflichtfeld\w*|champs? obligatoires?|required fields?|campos? obligatorios?|"
               r"campi obbligatori|(?:votre|your|ihre) e-?mail(?:-adresse)?\b")
_RECORD_CUE = re.compile(f"{_CUE.pattern}|{_SITE_VOICE}", re.I)
_NAMES = list(_KINDS)
MAX_CHARS = 1500      # a notice is short; an article quoting one is not refused
MIN_SHARE = 0.6       # of the text's characters, in sentences that use the notices' wording
MIN_SHARE_WIDE = 0.4  # the same, for a tail holding 3 or more of the notices' phrases (a consent text explains itself)
CHARS_PER_CUE = 300   # at most this many characters of text for each distinct phrase of a notice
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
# sentences of a copied page run together ("…Datenschutzerklärung.Details Informationen…"): a stop before a capital
# ends a sentence too
_GLUED_SENTENCES = re.compile(r"(?<=[.!?])\s+|(?<=[a-zà-ÿа-яё][.!?])(?=[A-ZÀ-ÖØ-ÞА-ЯЁ])|\n+")


def _dense(phrases: int, chars: int, sentences: list[str], min_share: float, cue: re.Pattern = _CUE) -> bool:
    """Whether a text of `chars` characters reads as a notice: at least 2 distinct phrases of the notices' wording, one
    for every CHARS_PER_CUE characters (2–5 of them in 150–450 characters), in sentences holding `min_share` of its text."""
    if phrases < 2 or phrases * CHARS_PER_CUE < chars:
        return False
    return sum(len(p) for p in sentences if cue.search(p)) / max(1, sum(map(len, sentences))) >= min_share


def access_notice(text: str | None) -> str | None:
    """The kind of notice a page's text is ("bot check", …) with the wording found, or None for an article."""
    text = (text or "").strip()
    if not text or len(text) > MAX_CHARS:
        return None
    found = {m.group(0).lower(): _NAMES[int(m.lastgroup[1:])] for m in _CUE.finditer(text)}
    if not _dense(len(found), len(text), [p for p in _SENTENCES.split(text) if p.strip()], MIN_SHARE):
        return None
    kinds = sorted(set(found.values()), key=list(found.values()).count, reverse=True)
    return f"{kinds[0]} ({', '.join(sorted(found)[:4])})"


def split_notice(text: str) -> tuple[str, str]:
    """The text without a notice that ends it, and that notice ("" when none): a page copied with its consent text or
    paywall after the headline or the first lines ("Two hurt when snowmobile crashed into tree / You have reached the
    limit for free access…"). The notice starts at the first sentence using the notices' wording and runs to the end."""
    parts = [p.strip() for p in _GLUED_SENTENCES.split(text or "") if p and p.strip()]
    for i, part in enumerate(parts):
        if _RECORD_CUE.search(part):
            break
    else:
        return text, ""
    tail = parts[i:]
    chars = sum(map(len, tail))
    found = {m.group(0).lower() for p in tail for m in _RECORD_CUE.finditer(p)}
    if chars > MAX_CHARS or not _dense(len(found), chars, tail, MIN_SHARE if len(found) < 3 else MIN_SHARE_WIDE, _RECORD_CUE):
        return text, ""
    # cut the original text where the notice's first sentence begins, so the article part keeps its own layout
    start = text.find(tail[0])
    return text[:start].rstrip(), text[start:].strip()


# a run of notice sentences inside a record's text (between the headline and the report, or before the report) is
# set aside when it holds RUN_PHRASES distinct phrases of the notices' wording or more, one for every CHARS_PER_CUE
# characters: stricter than a tail's 2, as a report on privacy rules may well name "personal data" and a "privacy
# policy" in one sentence pair. A short sentence between two notice sentences ("Vous n'avez pas encore accès aux
# archives ?", "OK") belongs to the same box
RUN_PHRASES = 3
BUTTON_CHARS = 50
# what is left of a text once its notices are out: fewer words than this and it is a button's label, not a report
MIN_REPORT_WORDS = 4


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence of `text` (split as split_notice does), stripped."""
    spans, at = [], 0
    for m in [*_GLUED_SENTENCES.finditer(text), None]:
        end = m.start() if m else len(text)
        piece = text[at:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            spans.append((at + lead, at + lead + len(piece.strip())))
        at = m.end() if m else end
    return spans


def _notice_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) in `text` of the runs of notice sentences dense enough to be a notice box (RUN_PHRASES)."""
    spans = _sentence_spans(text)
    cued = [bool(_RECORD_CUE.search(text[a:b])) for a, b in spans]
    runs, i, n = [], 0, len(spans)
    while i < n:
        if not cued[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and (cued[j + 1] or (j + 2 < n and cued[j + 2] and spans[j + 1][1] - spans[j + 1][0] <= BUTTON_CHARS)):
            j += 1
        run = [text[a:b] for a, b in spans[i:j + 1]]
        chars = sum(map(len, run))
        found = {m.group(0).lower() for p in run for m in _RECORD_CUE.finditer(p)}
        # a box of its own: it opens a line (or follows the headline on the text's first line) and ends one; sentences
        # inside a paragraph of the report that name cookies or paywalls are the report's
        boxed = (i == 0 or text[spans[i][0] - 1] == "\n") and (j == n - 1 or "\n" in text[spans[j][1]:spans[j + 1][0]])
        if boxed and len(found) >= RUN_PHRASES and chars <= MAX_CHARS and _dense(len(found), chars, run, MIN_SHARE_WIDE, _RECORD_CUE):
            start = spans[i][0]
            if i == 0 and (head := glued_headline(text[start:spans[0][1]])):
                start = text.index(head, start) + len(head)   # the headline the notice follows on its line stays
            runs.append((start, spans[j][1]))
        i = j + 1
    return runs


def strip_notices(text: str) -> tuple[str, list[str]]:
    """The text without the notices in it, wherever they sit, and those notices: one that ends it (split_notice) and
    dense runs of notice sentences before or inside the report (a consent box between the headline and the report, a
    login wall over it). A text left with fewer than MIN_REPORT_WORDS words was all notice ("OK" and a consent text):
    then it is returned empty."""
    if not _RECORD_CUE.search(text or ""):
        return text, []   # (most texts: one search instead of one for each sentence)
    kept, tail = split_notice(text)
    notices = []
    runs = _notice_runs(kept)
    for a, b in reversed(runs):
        notices.insert(0, kept[a:b])
        kept = kept[:a].rstrip() + ("\n\n" if kept[:a].strip() and kept[b:].strip() else "") + kept[b:].lstrip()
    if tail:
        notices.append(tail)
    if notices and len(kept.split()) < MIN_REPORT_WORDS:
        if kept.strip():
            notices.insert(0, kept.strip())
        kept = ""
    return kept, notices


def glued_headline(text: str, max_words: int = 25) -> str:
    """The words before the notices' wording in a text's first line, when a notice follows its headline with no break
    ("Justin Bieber verkauft Tacos aus einem „Yummy“-Truck Bitte registrieren!Sie haben noch keinen Zugang…"): the
    headline of a record that is all notice; "" when the line opens with the notice or runs past `max_words`."""
    first = (text or "").strip().split("\n", 1)[0]
    m = _RECORD_CUE.search(first)
    head = first[:m.start()].strip(" -|–:") if m else ""
    # a notice's own opening clause cut at its cue ("Przykro nam, ale z | adresu IP …") is not a headline: a headline's
    # last clause has 3 words or more
    if len(head.rpartition(",")[2].split()) < 3:
        return ""
    return head if len(head.split()) <= max_words else ""
