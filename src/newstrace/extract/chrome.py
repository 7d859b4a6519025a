"""Page chrome that trafilatura keeps in an HTML body, and the lead it drops.

Three general signs, read from the page before trafilatura prunes it:
- where a paragraph sits: every place the page prints it is inside an element that names chrome by its tag
  (aside, nav, footer, figcaption, form) or by a class/id token (related, newsletter, share, comments, author box,
  caption, credit, tags, breadcrumb, sidebar, widget...), an element that is not the article's own wrapper;
- what a short paragraph says: the wording sites use for chrome in many languages ("Lesen Sie auch", "Read more",
  "Keine Kommentare", "Zum Newsletter anmelden", "Foto: …", "© …"), and the links listed after such a heading;
- the lead: a standfirst set between the headline and the body in an element named as one (teaser text,
  excerpt, chapo, intro, abstract...), which trafilatura prunes with other teasers.
"""
from __future__ import annotations

import re

from lxml import etree

# class/id tokens that name chrome (matched at the start of a word of the attribute: "post-tags", "relatedPosts")
_CHROME_NAME = re.compile(
    r"(?<![a-z])(?:related|relatedposts|similar-?(?:posts|articles)|read-?more|more-?(?:articles|stories|news)|"
    r"newsletter|subscri(?:be|ption)|signup|sign-up|paywall|donat(?:e|ion)|promo(?:tion|box|s)?(?![a-z])|"
    r"shar(?:e|ing|iff|edaddy)|social|addtoany|"
    r"comments?|kommentare?|disqus|"
    r"author-?(?:box|bio|info|about|description)|about-?(?:the-?)?author|sabox|bio(?:graphy)?(?![a-z])|"
    r"(?:wp-)?caption|credits?(?![a-z])|copyright|bildunterschrift|"
    r"tags(?![a-z])|tag(?![a-z-])|tag-?(?:list|cloud|links)|keywords|schlagw|"
    r"breadcrumbs?|pagination|sidebar|affiliate|trending|tendencias|most-?(?:read|viewed|popular)|didascalia|dida(?![a-z]))",
    re.I)
_NAMED = etree.XPath("//body//*[@class or @id]")
_TAGGED = etree.XPath("//body//aside | //body//nav | //body//footer | //body//figcaption | //body//form | //body//template")
_ANCHORS = etree.XPath("//body//a")
_TEXT_TAGS = None   # set from html.py (the elements whose text is visible)


def _squash(s: str) -> str:
    return "".join(s.split()).lower()


def _body_text(p: str) -> str:
    """A paragraph of trafilatura's text as the page prints it (list and table marks left out), squashed."""
    p = p.strip()
    if p.startswith("- "):
        p = p[2:]
    return _squash(p.replace("|", ""))


def _text(el, tags) -> str:
    return "".join(el.itertext(*tags)) if tags else "".join(el.itertext())


def chrome_regions(tree, paragraphs: list[str], tags) -> list[str]:
    """The squashed texts of the page's chrome elements (outermost ones), leaving out any that holds half the body's
    text or more (an article wrapper named "has-comments" or "post-share": the chrome elements inside it count)."""
    found = [el for el in _NAMED(tree) if _CHROME_NAME.search(" ".join(filter(None, (el.get("class"), el.get("id")))))]
    found += _TAGGED(tree)
    if not found:
        return []
    body = [t for t in map(_body_text, paragraphs) if t]
    total = sum(map(len, body))
    chosen = set(found)
    out = []
    for el in found:
        if any(a in chosen for a in el.iterancestors()):
            continue
        t = _squash(_text(el, tags))
        if not t or 2 * sum(len(b) for b in body if b in t) >= total:
            chosen.discard(el)   # a wrapper: the chrome elements inside it count on their own
            continue
        out.append(t)
    return out


# short paragraphs whose wording is chrome (headings over links to other articles, calls to subscribe, comment
# counts, share and print labels, photo credits); at the start of the paragraph, case-insensitive
_RELATED_HEAD = re.compile(
    r"^(?:lesen sie (?:auch|mehr|hier|weiter)|auch lesen|mehr (?:zum thema|dazu|lesen|erfahren|von|aus)|"
    r"weitere (?:artikel|beiträge|informationen|themen|nachrichten|news|meldungen|links|tipps|\w*tipps)|"
    r"weiterlesen|schon gelesen|das könnte sie (?:auch )?interessieren|passend (?:dazu|zum thema)|"
    r"kommentierte artikel|meistgelesen|"
    r"read (?:also|next)|related (?:articles|posts|stories|content|reading)|see also|more (?:from|on|stories|news)|"
    r"you (?:may|might) (?:also )?(?:like|enjoy)|recommended for you|also read|further reading|"
    r"(?:à )?lire aussi|voir aussi|pour aller plus loin|sur le même sujet|leggi anche|potrebbe interessarti|"
    r"lea también|(?:le|te) puede interesar|ver también|lees ook|meer lezen|läs också|læs også|les også|"
    r"czytaj (?:też|także)|читайте также)\b", re.I)
# words that are a heading over links or sources only when they are the whole heading ("Related", "Quellen:")
_RELATED_WORD = re.compile(
    r"^(?:related|read more|recommended|zum thema|quellen(?:angaben)?|quellenverzeichnis|sources?|references|"
    r"literatur|leer más|mehr)\s*(?::.*)?$", re.I)
_CTA = re.compile(
    r"(?:newsletter|abonnier|jetzt (?:anmelden|registrieren|bestellen|testen|abonnieren)|im abo\b|e-paper|"
    r"exklusive angebote|subscribe|sign up|support (?:us|our)|consider supporting|donate|spenden sie|unterstützen sie|"
    r"folgen sie uns|follow us|s[ií]guenos|suivez-nous|seguici|pour lire la suite|pour accéder|réservé aux abonnés|"
    r"für abonnenten|we need your help)", re.I)
_COMMENTS = re.compile(
    r"^(?:keine kommentare|\d+ kommentare?|kommentare? ?\(?\d*\)?$|comments? ?\(?\d*\)?$|\d+ comments?|no comments|"
    r"leave a (?:comment|reply)|view comments|(?:schreibe|schreiben sie) einen kommentar|kommentar schreiben|"
    r"sie (?:sind|müssen) (?:aktuell )?(?:nicht )?(?:eingeloggt|angemeldet)|you must be logged in|log in to (?:comment|reply)|"
    r"laisser un commentaire|deja un comentario|lascia un commento)", re.I)
_SHARE = re.compile(
    r"^(?:teilen|share(?: this)?(?: (?:article|post|story|page))?|drucken|print(?: this)?|artikel (?:teilen|drucken|versenden)|"
    r"e-?mail|tweet|facebook|twitter|whatsapp|pinterest|linkedin|xing|telegram|copy link|link kopieren|partager|"
    r"imprimer|compartir|imprimir|condividi|stampa)[\s:|,]*$", re.I)
_CREDIT = re.compile(
    r"^\(?(?:fotos?|photos?|bild(?:er)?|images?|credits?|crédits?|quelle|fuente|fonte|abbildung|abb\.|grafik|"
    r"illustration|image illustrative)\s*:|©|\(c\)\s|\bcopyright\b|all rights reserved|alle rechte vorbehalten|"
    r"^(?:abbildung|abb\.|figure|fig\.|grafik|tabelle|table|bild|foto|photo|image)\s*\d+\s*[:.]", re.I)
# a post's meta line: segments split by | or · of which one is a comment count or a category/tag list
# ("January 13, 2020 | categories: Python | View Comments")
_META_SEGMENT = re.compile(r"^(?:categor(?:y|ies)|tags?|tagged|filed under|posted in|kategorien?|schlagworte?|rubriken?)\b\s*:?", re.I)


def wording_chrome(p: str) -> str | None:
    """Which kind of chrome a paragraph's wording is, or None."""
    t = " ".join(p.split()).strip("-|–• ")
    n = len(t)
    if n <= 80 and (_RELATED_HEAD.match(t) or _RELATED_WORD.match(t)):
        return "related"
    if n <= 160 and _COMMENTS.match(t):
        return "comments"
    if n <= 40 and _SHARE.match(t):
        return "share"
    if n <= 200 and _CREDIT.search(t):
        return "credit"
    if n <= 200 and _CTA.search(t):
        return "cta"
    if n <= 200 and ("|" in t or "·" in t):
        parts = [x.strip() for x in re.split(r"[|·]", t) if x.strip()]
        if len(parts) >= 2 and any(_COMMENTS.match(x) or _META_SEGMENT.match(x) for x in parts):
            return "meta"
    return None


def drop_chrome(tree, paragraphs: list[str], page_lines: list[str], tags) -> tuple[list[str], list[str]]:
    """(body paragraphs, dropped ones): chrome by where the page prints a paragraph and by its wording."""
    if len(paragraphs) < 2:
        return paragraphs, []
    regions = chrome_regions(tree, paragraphs, tags)
    page = "".join(page_lines).replace(" ", "").lower() if regions else ""
    anchors = None
    keep, dropped = [], []
    after_related = False
    for i, p in enumerate(paragraphs):
        sp = _body_text(p)
        kind = wording_chrome(p)
        if kind is None and regions and sp:
            inside = sum(r.count(sp) for r in regions)
            if inside and page.count(sp) <= inside:
                kind = "region"
        if kind is None and after_related and sp:
            # the links listed under a "Read more" heading: each paragraph the whole text of a link
            if anchors is None:
                anchors = {_squash(a.text_content()) for a in _ANCHORS(tree)}
            if sp in anchors:
                kind = "related"
        after_related = kind == "related" or (after_related and kind is not None)
        (dropped if kind else keep).append(p)
    # a run of links closing the body (headlines of other articles, each paragraph a link's whole text)
    while len(keep) > 2 and len(keep[-1]) < 150:
        if anchors is None:
            anchors = {_squash(a.text_content()) for a in _ANCHORS(tree)}
        if _body_text(keep[-1]) not in anchors:
            break
        dropped.append(keep.pop())
    if not keep:
        return paragraphs, []
    return keep, dropped


# elements named as a lead/standfirst (trafilatura prunes "teaser" blocks, and with them many a lead)
_LEAD_NAME = re.compile(r"(?<![a-z])(?:teaser-?text|teaser|intro|excerpt|chapo|abstract|standfirst|lead|lede|summary|"
                        r"desc(?:ription)?(?![a-z])|documentdescription|deck|dek|subtitle)", re.I)
_NOT_LEAD = re.compile(r"author|(?<![a-z])bio|related|comment|kommentar", re.I)
_LEADS = etree.XPath("//body//*[self::p or self::div or self::section][@class or @id]")


def find_lead(tree, paragraphs: list[str], page_lines: list[str], title: str | None, tags) -> tuple[str, int] | None:
    """The page's lead paragraph when trafilatura left it out: an element named as a lead, printed after the headline
    and within a few lines before the body's first paragraph, of sentence length, not a link, not already in the body:
    (its text, where it goes in the body)."""
    if not paragraphs:
        return None
    first = _body_text(paragraphs[0])[:40]
    if not first:
        return None
    squashed = [l.replace(" ", "").lower() for l in page_lines]
    head = -1
    if title:
        nt = _squash(title)
        head = next((i for i, l in enumerate(squashed) if l and (l in nt or nt in l) and len(l) >= 0.4 * len(nt)), -1)
    # the body's first paragraph where the page prints it after the headline (a short one must be a whole line)
    start = next((i for i in range(head + 1, len(squashed)) if (l := squashed[i])
                  and (first.startswith(l[:40]) if len(l) >= 15 else first == l)), None)
    if start is None:
        return None
    body = "".join(_body_text(p) for p in paragraphs)
    for el in _LEADS(tree):
        if not _LEAD_NAME.search(" ".join(filter(None, (el.get("class"), el.get("id"))))):
            continue
        raw = _text(el, tags)
        t = " ".join(raw.split())
        if not (40 <= len(t) <= 1500):
            continue
        st = _squash(t)
        if st in body or st[:60] in body:
            continue
        links = sum(len(_squash(a.text_content())) for a in el.iter("a"))
        if links > 0.3 * len(st) or "http" in st:
            continue
        # an author's description, a related article's teaser: inside chrome, no lead
        near = [el] + [a for _, a in zip(range(3), el.iterancestors())]
        if any(_NOT_LEAD.search(n) or _CHROME_NAME.search(n) for n in (" ".join(filter(None, (a.get("class"), a.get("id")))) for a in near)):
            continue
        # where the page prints it: its first text line after the headline, a few lines before the body
        lead_first = next((x for x in (" ".join(s.split()) for s in el.itertext(*tags) if s and not s.isspace())), "")
        lf = lead_first.replace(" ", "").lower()
        # (or just after a kicker or subtitle line that trafilatura put first)
        pos = next((i for i in range(max(head + 1, start - 15), min(start + 3, len(squashed))) if squashed[i] == lf), None)
        if pos is None:
            continue
        return t, 0 if pos < start or len(paragraphs) < 2 else 1
    return None
