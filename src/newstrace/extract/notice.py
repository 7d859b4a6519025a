"""Pages that are a notice in place of the article: a bot check, a paywall or login wall, a cookie-consent text.

A crawler that is blocked gets the same notice for every article of a site ("We recorded a huge amount of
connections from the IP address you are connecting from…"): stored as articles, those notices would be copies of one
another and one story, and "who copied whom" would name them. They are refused with the reason instead, so the
input is kept in quarantine and the message says what the page was. A notice is short, and most of its text
is the notice's wording (in several languages); an article that merely mentions cookies or a paywall is neither.
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
_NAMES = list(_KINDS)
MAX_CHARS = 1500      # a notice is short; an article quoting one is not refused
MIN_SHARE = 0.6       # of the text's characters, in sentences that use the notices' wording
MIN_SHARE_WIDE = 0.4  # the same, for a tail holding 3 or more of the notices' phrases (a consent text explains itself)
CHARS_PER_CUE = 300   # at most this many characters of text for each distinct phrase of a notice
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
# sentences of a copied page run together ("…Datenschutzerklärung.Details Informationen…"): a stop before a capital
# ends a sentence too
_GLUED_SENTENCES = re.compile(r"(?<=[.!?])\s+|(?<=[a-zà-ÿа-яё][.!?])(?=[A-ZÀ-ÖØ-ÞА-ЯЁ])|\n+")


def _dense(phrases: int, chars: int, sentences: list[str], min_share: float) -> bool:
    """Whether a text of `chars` characters reads as a notice: at least 2 distinct phrases of the notices' wording, one
    for every CHARS_PER_CUE characters (2–5 of them in 150–450 characters), in sentences holding `min_share` of its text."""
    if phrases < 2 or phrases * CHARS_PER_CUE < chars:
        return False
    return sum(len(p) for p in sentences if _CUE.search(p)) / max(1, sum(map(len, sentences))) >= min_share


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
        if _CUE.search(part):
            break
    else:
        return text, ""
    tail = parts[i:]
    chars = sum(map(len, tail))
    found = {m.group(0).lower() for p in tail for m in _CUE.finditer(p)}
    if chars > MAX_CHARS or not _dense(len(found), chars, tail, MIN_SHARE if len(found) < 3 else MIN_SHARE_WIDE):
        return text, ""
    # cut the original text where the notice's first sentence begins, so the article part keeps its own layout
    start = text.find(tail[0])
    return text[:start].rstrip(), text[start:].strip()
