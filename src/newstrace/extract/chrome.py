"""Page chrome that trafilatura keeps in an HTML body, and the lead it drops.

Three general signs, read from the page before trafilatura prunes it:
- where a paragraph sits: every place the page prints it is inside an element that names chrome by its tag
  (aside, nav, footer, figcaption, form, template) or by a word of its class (related, newsletter, share, comments,
  author box, caption, credit, tags, breadcrumb, sidebar, infobox, affiliate, a cookie or consent dialog, a meta
  box...), an element that is not the article's own wrapper (one holding half the body or more);
- what a short paragraph says: the wording sites use for chrome in many languages ("Lesen Sie auch", "Read more",
  "Keine Kommentare", "Zum Newsletter anmelden", "Foto: …", "© …", a date or a share-button line alone, a post's
  meta line, an update notice, a byline beside a date, a separator such as "+++"), the links listed after a "Read
  more" heading and what closes the body after them, a run of links closing the body, a closing paragraph that ends
  on a link to another article ("… lesen Sie hier: …"), a contact block closing the body, and the short lines of an
  offer box after a call to subscribe;
- the lead: a standfirst set between the headline and the body in an element named as one (teaser text,
  excerpt, chapo, intro, abstract...), which trafilatura prunes with other teasers.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from functools import lru_cache
from itertools import accumulate

from lxml import etree

from .dates import UPDATED, calendar_words, date_line

class _Words:
    """Words in class values, found at the start of a word of the attribute ("post-tags", "relatedPosts",
    "wp-caption"), each written `word` (the whole word), `word*` (a word starting so) or `word!` (the whole word,
    no hyphen after it: "tag" but not WordPress's "tag-<slug>" post classes). Searched with str.find over the page's
    distinct values joined (a page has thousands of elements: a regex call for each costs several percent of the
    whole extraction)."""

    def __init__(self, spec: str):
        self.words = [(w.rstrip("*!"), w[-1] if w[-1] in "*!" else "") for w in spec.split()]

    def at(self, joined: str) -> list[int]:
        """Offsets in the joined, lower-cased values where one of the words starts."""
        out = []
        n = len(joined)
        for w, kind in self.words:
            i = joined.find(w)
            while i >= 0:
                end = i + len(w)
                if (i == 0 or not ("a" <= joined[i - 1] <= "z")) and (
                        kind == "*" or end >= n or not ("a" <= joined[end] <= "z" or (kind == "!" and joined[end] == "-"))):
                    out.append(i)
                i = joined.find(w, end)
        return out


# class/id words that name chrome
CHROME_NAME = _Words(
    "related* similarposts* similar-posts* similararticles* similar-articles* readmore* read-more* morearticles* "
    "more-articles* morestories* more-stories* morenews* more-news* "
    "newsletter* subscribe* subscription* signup* sign-up* paywall-* donate* donation* promo promos promotion promobox "
    "share* sharing* shariff* social* addtoany* comment* kommentar* disqus* "
    "authorbox* author-box* authorbio* author-bio* authorinfo* author-info* authorabout* author-about* "
    "authordescription* author-description* aboutauthor* about-author* abouttheauthor* about-the-author* sabox* bio "
    "biography caption* credit credits copyright* bildunterschrift* "
    "tags tag! taglist* tag-list* tagcloud* tag-cloud* taglinks* tag-links* keywords* schlagw* "
    "breadcrumb* pagination* sidebar* affiliate* trending* tendencias* mostread* most-read* mostviewed* most-viewed* "
    "mostpopular* most-popular* didascalia* dida wp-embedded-content* infobox* "
    "cookie* consent* gdpr* dsgvo* meta*")
# class/id words that name a lead or standfirst (trafilatura prunes "teaser" blocks, and with them many a lead)
_LEAD_NAME = _Words("teaser* intro* excerpt* chapo* abstract* standfirst* lead lede summary* desc description* "
                    "documentdescription* deck dek subtitle*")
_NOT_LEAD = re.compile(r"author|(?<![a-z])bio|related|comment|kommentar", re.I)
_CLASSED = etree.XPath("//body//*[@class]")
# elements whose class or id names comments: a comment, its author, a comment list, a "recent comments" widget
_COMMENTED = etree.XPath("//body//*/@class[contains(translate(., 'COMENT', 'coment'), 'comment')]/.. | "
                         "//body//*/@id[contains(translate(., 'COMENT', 'coment'), 'comment')]/..")
CHROME_TAGS = ("aside", "nav", "footer", "figcaption", "form", "template")   # elements that are chrome by their tag


class Names:
    """The class values of one page, searched for words over the distinct values joined (far fewer than the page's
    elements; no regex per element). (Ids were tried too: on the development pages they found nothing the classes
    did not, at a fifth more of this step's time.) Also the elements whose class or id names comments (`commented`),
    read in the same walk over the body's elements."""

    def __init__(self, tree):
        self.tree = tree
        body = tree.find("body")
        self.body = body if body is not None else tree
        # the elements under the page's <body> (XPath's //body//*: the document's body, wherever `tree` is in it),
        # their classes and ids read in one walk (half the cost of the two XPath queries, whose tests run on every
        # attribute); XPath on a page with several bodies
        bodies = list(tree.getroottree().getroot().iter("body"))
        if len(bodies) > 1:
            self.carriers = _CLASSED(tree)
            self.values = [el.get("class") for el in self.carriers]
            self.commented = _COMMENTED(tree)
        else:
            self.carriers, self.values, self.commented = [], [], []
            for el in bodies[0].iterdescendants(etree.Element) if bodies else ():
                c, i = el.get("class"), el.get("id")
                if c is not None:
                    self.carriers.append(el)
                    self.values.append(c)
                    # (lower() finds "comment" where translate() of its letters does: no other letter lowers to them)
                    if "comment" in c.lower():
                        self.commented.append(el)
                        continue
                if i is not None and "comment" in i.lower():
                    self.commented.append(el)
        self.distinct = list(dict.fromkeys(self.values))
        self.joined = "\n".join(self.distinct).lower()
        self.ends = list(accumulate(len(v) + 1 for v in self.distinct))
        self.found: dict[int, list] = {}

    def find(self, words: _Words) -> list:
        """The elements whose class holds one of the words, in document order (found once per page and words)."""
        found = self.found.get(id(words))
        if found is None:
            found = self.found[id(words)] = self._find(words)
        return found

    def _find(self, words: _Words) -> list:
        hits = {self.distinct[bisect_right(self.ends, i)] for i in words.at(self.joined)} if self.joined else ()
        if not hits:
            return []
        return [el for v, el in zip(self.values, self.carriers) if v in hits]


def squash(s: str) -> str:
    return "".join(s.split()).lower()


def squash_lines(page_lines: list[str]) -> str:
    """The page's lines joined, spaces out, lower case (to find where it prints a paragraph)."""
    return "".join(page_lines).replace(" ", "").lower()


@lru_cache(maxsize=4096)
def body_text(p: str) -> str:
    """A paragraph of trafilatura's text as the page prints it (list and table marks left out), squashed."""
    # (remembered: each paragraph is asked for by several steps, 48,763 times for 300 pages' 9,519 paragraphs)
    p = p.strip()
    if p.startswith("- "):
        p = p[2:]
    return squash(p.replace("|", ""))


# the elements whose text a reader sees (script, style, template and the like left out by not being named)
TEXT_TAGS = ("body", "p", "div", "span", "a", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "time", "strong", "em",
             "b", "i", "small", "figcaption", "section", "article", "header", "footer", "main", "aside", "label", "dd",
             "dt", "blockquote", "font", "u", "abbr", "cite", "address", "pre", "code", "center", "sup", "sub", "mark",
             "q", "s", "del", "ins", "caption", "legend", "summary", "figure", "nav", "ul", "ol", "dl", "table", "tr",
             "tbody", "form", "br")


def visible_text(el) -> str:
    """The visible text of an element, its text nodes joined."""
    return "".join(el.itertext(*TEXT_TAGS))


def chrome_regions(names: Names, paragraphs: list[str], elements: list | None = None) -> list[str]:
    """The squashed texts of the page's chrome elements (outermost ones), leaving out any that holds half the body's
    text or more (an article wrapper named "has-comments" or "post-share": the chrome elements inside it count);
    the elements themselves are added to `elements` when given."""
    found = names.find(CHROME_NAME)
    tagged = list(names.body.iter(*CHROME_TAGS))
    if tagged:
        found = sorted(dict.fromkeys(found + tagged), key=lambda el: el.sourceline or 0)   # (outer ones first)
    if not found:
        return []
    body = [t for t in map(body_text, paragraphs) if t]
    total = sum(map(len, body))
    chosen = set(found)
    out = []
    for el in found:
        if any(a in chosen for a in el.iterancestors()):
            continue
        t = squash(visible_text(el))
        if not t or 2 * sum(len(b) for b in body if b in t) >= total:
            chosen.discard(el)   # a wrapper: the chrome elements inside it count on their own
            continue
        out.append(t)
        if elements is not None:
            elements.append(el)
    return out


# short paragraphs whose wording is chrome (headings over links to other articles, calls to subscribe, comment
# counts, share and print labels, photo credits); at the start of the paragraph, case-insensitive
RELATED_HEAD = re.compile(
    r"^(?:lesen sie (?:auch|mehr|hier|weiter)|auch lesen|mehr (?:zum thema|dazu|lesen|erfahren|von|aus)|"
    r"weitere (?:artikel|beiträge|informationen|themen|nachrichten|news|meldungen|links|tipps|\w*tipps)|"
    r"weiterlesen|schon gelesen|das könnte sie (?:auch )?interessieren|passend (?:dazu|zum thema)|"
    r"kommentierte artikel|meistgelesen|"
    r"read (?:also|next)|related (?:articles|posts|stories|content|reading)|see also|more (?:from|on|stories|news)|"
    r"you (?:may|might) (?:also )?(?:like|enjoy)|recommended for you|also read|further reading|"
    r"(?:à )?lire aussi|voir aussi|pour aller plus loin|sur le même sujet|leggi anche|potrebbe interessarti|"
    r"lea también|(?:le|te) puede interesar|ver también|lees ook|meer lezen|läs också|læs også|les også|"
    r"czytaj (?:też|także)|читайте также|"
    # lists of other articles and the links between posts, as blog and CMS templates label them
    r"ähnliche (?:beiträge|artikel|posts|themen)|verwandte (?:artikel|beiträge|links|themen)|(?:am )?meist(?:en)? gelesen|"
    r"am häufigsten gelesen|neueste (?:beiträge|artikel|meldungen)|letzte (?:beiträge|meldungen|artikel)|beliebte beiträge|"
    r"auch interessant|(?:das|dies(?:e[rs]?)?(?: \w+)?) könnten? (?:dich|sie|euch) (?:auch )?(?:noch )?interessieren|weiterführende links|alle (?:meldungen|artikel|beiträge)|"
    r"(?:vorherige[rs]?|nächste[rs]?) (?:beitrag|artikel)|zurück zu(?:r|m)? |nach oben|zum seitenanfang|"
    r"latest (?:articles|news|posts|stories)|most (?:popular|read|viewed)|recent (?:posts|articles)|popular (?:posts|articles|videos)|"
    r"more stories|(?:previous|next) (?:post|article)|back to top|"
    r"vous aimerez aussi|dans la même rubrique|à lire également|sur le même thème|(?:article )?(?:précédent|suivant)|"
    r"veja também|leia também|noticias para ti|artículos relacionados|notizie correlate|articoli correlati|"
    r"también (?:puede|podría) (?:leer|interesar)|lea (?:además|también))\b", re.I)
# words that are a heading over links or sources only when they are the whole heading ("Related", "Quellen:")
RELATED_WORD = re.compile(
    r"^(?:related|read more|recommended|zum thema|quellen(?:angaben)?|quellenverzeichnis|sources?|references|"
    r"literatur|leer más|mehr)\s*(?::.*)?$", re.I)
# a label alone: an advertisement's, an image's "click to enlarge"
_LABEL = re.compile(r"^(?:anzeige|werbung|advertisement|advertising|sponsored(?: content)?|gesponsert|publicité|publicidad|"
                    r"pubblicità|paid content|contenido patrocinado|enlaces patrocinados|"
                    # a skip link ("Hauptinhalt", "Skip to main content") and an embedded post's stand-in text
                    r"hauptinhalt|(?:direkt )?zum (?:haupt)?inhalt(?: springen| wechseln)?|skip to (?:the )?(?:main )?content|"
                    r"skip to main|aller au contenu(?: principal)?|saltar al contenido(?: principal)?|vai al contenuto|"
                    r"(?:sieh|seht|sehen sie) (?:dir|euch|sich) diesen beitrag auf instagram an|view this post on instagram|"
                    r"voir cette publication sur instagram|ver esta publicación en instagram|"
                    r"visualizza questo post su instagram):?$|"
                    r"(?:zum )?vergrößern|click to enlarge|bild vergrößern|agrandir l'image|ampliar imagen|"
                    # a widget's stand-in while it loads, a gallery's link ("Show all 50")
                    r"(?:loading|wird geladen|lädt|chargement|cargando|caricamento)\s*(?:\.\.\.|…)?$|"
                    r"(?:show all|view all|alle) \d+(?: (?:photos|pictures|images|bilder|fotos))?(?: anzeigen)?$", re.I)
# the signature an embedded post prints under its text: "— Elon Musk (@elonmusk) November 4, 2023"
_EMBED_SIGNATURE = re.compile(r"^[—–-]\s*[^()]{1,80}\(@\w{1,30}\)\s+\w+\.? \d{1,2},? \d{4}$")
# a breadcrumb trail printed as a line ("Startseite > Politik > Inland")
_BREADCRUMB = re.compile(r"^(?:home|startseite|start|accueil|inicio|homepage)\s*[>»›/|]", re.I)
# a byline alone: a label and two to four capitalised names ("Von Max Mustermann", "By Jane Doe and John Roe")
# (or a label and one short handle: "Autor: red", "von zahlenzauberin")
_HANDLE_BYLINE = re.compile(r"^(?i:von|by|autor(?:in)?\s*:|author\s*:|text\s*:)\s*@?(?=[\w.-]*[a-zäöüß])[a-zäöüß0-9._-]{2,20}$")
_BYLINE = re.compile(r"^(?i:von|by|par|por|di|door|av|text|autor(?:in)?|author)\s*:?\s+"
                     r"(?:[A-ZÄÖÜ][\w'.-]+\s+){1,3}[A-ZÄÖÜ][\w'.-]+(?:\s*(?:,|und|and|&|et|y|e)\s*(?:[A-ZÄÖÜ][\w'.-]+\s+){1,3}[A-ZÄÖÜ][\w'.-]+)*$")
# a download's description: its file type and size ("Informationsschreiben (PDF, 38 KB)", "PDF | 1,2 MB")
# a disclosure of paid links, which sites print over or under a post ("Bei den Verlinkungen handelt es sich um Affiliate
# Links", "* Links mit Sternchen sind sogenannte Affiliate-Links: …", "We may receive compensation when you click on links
# to those products", "Cet article contient des liens affiliés"): its wording is fixed by the disclosure rules, so it
# is told however long it runs (up to DISCLOSURE_MAX characters)
_DISCLOSURE = re.compile(r"\baffiliate[- ]?links?\b|\b(?:may|might|could) (?:receive|earn)(?: us)? (?:compensation|a (?:small )?"
                         r"(?:commission|fee))|\breceives? compensation\b|\badvertising disclosure\b|"
                         r"\bliens? (?:affiliés?|d'affiliation)\b|\benlaces? de afiliados?\b|\blinks? (?:affiliati|di affiliazione)\b|"
                         r"\blinks? de afiliados?\b|\berhalten? (?:wir|ich) (?:ggf\. |eventuell |möglicherweise )?eine (?:kleine )?provision\b",
                         re.I)
DISCLOSURE_MAX = 400
# what every match of _DISCLOSURE holds, lower case (a cheap test that spares the regex's scan of most paragraphs)
_DISCLOSURE_WORDS = ("affili", "afiliad", "compensation", "commission", " fee", "disclosure", "provision")
_DOWNLOAD = re.compile(r"(?<![a-z])(?:pdf|docx?|xlsx?|pptx?|odt|zip|mp3|mp4|epub)\b.{0,20}?\b\d+(?:[.,]\d+)?\s?[kmg]i?b\b", re.I)
_DOWNLOAD_WORDS = ("pdf", "doc", "xls", "ppt", "odt", "zip", "mp3", "mp4", "epub")
# the heading of a box that closes an article: the author's biography, a press release's contact block
_CLOSING_BOX = re.compile(
    r"(?:über (?:den autor|die autorin|die autoren|uns)|zur person|(?:der|die) autor(?:in)?|zu(?:m|r) autor(?:in)?|"
    # the authors in the plural and its gender-inclusive spellings ("Zu den AutorInnen", "Über die Autor*innen")
    r"(?:über die|zu den|die) autor(?:en|innen|\*innen|:innen|_innen)|"
    r"about (?:the )?authors?|about us|(?:press|media) (?:contact|enquiries|inquiries)|"
    r"(?:presse|medien)?kontakte?(?: für (?:die )?(?:presse|medien|rückfragen))?|pressestelle|"
    r"(?:ihr |ihre )?ansprechpartner(?:in)?(?: für (?:die )?(?:presse|medien)(?:fragen|anfragen)?)?|"
    r"für rückfragen|rückfragehinweis|contact(?: presse| médias)?|à propos de l'auteur|l'auteur|"
    r"sobre el autor|(?:contacto|contatto) (?:de )?(?:prensa|stampa)|informazioni sull'autore)$", re.I)
# the note over a syndicated article, saying where it was first published
_SOURCE_NOTE = re.compile(r"(?:this (?:post|article|story|piece) (?:was )?(?:originally|first) (?:appeared|published|ran)|"
                          r"(?:dieser|der) (?:artikel|beitrag|text) (?:erschien|ist) (?:zuerst|ursprünglich|erstmals)|"
                          r"(?:cet article|ce texte) a (?:d'abord|initialement|été initialement) (?:été )?publié|"
                          r"este (?:artículo|texto) (?:fue publicado|apareció) originalmente)", re.I)
# what every match of _SOURCE_NOTE holds, lower case (a cheap test that spares the regex's scan of a whole page's text)
_SOURCE_NOTE_WORDS = ("this post", "this article", "this story", "this piece", "artikel erschien", "artikel ist",
                      "beitrag erschien", "beitrag ist", "text erschien", "text ist", "cet article a", "ce texte a",
                      "este artículo", "este texto")
# the words pointing to another article at the end of a paragraph, before the link to it ("lesen Sie hier: …")
_POINTER = re.compile(r"(?:(?:lesen|erfahren|finden) sie (?:hier|mehr|alles)|mehr (?:dazu|darüber) (?:hier|lesen)|"
                      r"read (?:more|it|the full story) here|more on (?:this|that) here|à lire ici|lea (?:aquí|más))"
                      r"[^:.!?]{0,40}:\s*([^:.!?]{3,120})[.!]?$", re.I)
# an e-mail address, or a phone number with its label or its country code ("Tel. 030 / 269 97- 361", "+41 31 370 70 00")
_CONTACT = re.compile(r"[\w.+-]+@[\w-]+\.[a-z]{2,}|(?:\b(?:tel|phone|telefon|fon|fax|mobil)\b\.?:?\s*|\+\d)[\d /().–-]{6,}\d",
                      re.I)
# calls to subscribe, donate, follow or log in (lower case, anywhere in a short paragraph: plain substrings, which
# a loop of `in` tests finds faster than one regex of alternatives)
_CTA = ("newsletter", "abonnier", "jetzt anmelden", "jetzt registrieren", "jetzt bestellen", "jetzt testen",
        "jetzt abonnieren", "im abo ", "im abo,", "e-paper", "exklusive angebote", "subscribe", "sign up", "support us",
        "support our", "consider supporting", "donate", "spenden sie", "unterstützen sie", "folgen sie uns", "follow us",
        "siguenos", "síguenos", "suivez-nous", "seguici", "pour lire la suite", "pour accéder", "réservé aux abonnés",
        "für abonnenten", "we need your help", "jetzt helfen", "make a contribution", "möchten sie weiterlesen",
        "ich bin abonnent", "folgt uns", "folge uns", "folgt mir", "folge mir", "nos siga", "follow blog via",
        "get a weekly summary",
        # a registration wall's offer ("Create an account or sign in to continue with your reading experience.")
        "sign in to continue", "sign in to read", "log in to continue", "register to unlock", "register for free",
        "registering for free", "create a free account", "already have an account", "already a subscriber",
        # a call to give ("Ihr Beitrag hilft, unsere Berichterstattung noch weiter auszubauen …")
        "support independent journalism", "ihr beitrag hilft", "ihre spende hilft", "deine spende hilft",
        "your contribution helps", "your support helps")
# what a widget prints in place of its content or in answer to the reader, the same on every site that embeds it ("This
# video has failed to load.", "To view this video please enable JavaScript", "A welcome email is on its way. If you
# don't see it, please check your junk folder.", "There was an error, please provide a valid email address.")
_WIDGET_STATE = ("failed to load", "has not loaded yet", "enable javascript", "javascript is disabled",
                 "check your junk folder", "check your spam folder", "valid email address", "signing you up",
                 "thanks for signing up", "thank you for signing up", "by signing up, you", "javascript aktivieren", "activer javascript",
                 "habilitar javascript")
# an embed's consent placeholder, which stands where a video, post or graphic of another site would be ("Externer
# Inhalt", "Empfohlener redaktioneller Inhalt", "An dieser Stelle findest du einen externen Inhalt von YouTube, …",
# "Ich bin damit einverstanden, dass mir externe Inhalte angezeigt werden"): a call to accept, like the ones above
_EMBED_CONSENT = ("externer inhalt", "externen inhalt", "externe inhalte", "empfohlener redaktioneller inhalt",
                  "dass mir inhalte von", "external content", "third-party content", "contenu externe",
                  "contenido externo", "contenuto esterno", "externe inhoud")
_COMMENTS = re.compile(
    r"^(?:keine kommentare|\d+ kommentare?|kommentare? ?\(?\d*\)?$|comments? ?\(?\d*\)?$|\d+ comments?|no comments|"
    r"leave a (?:comment|reply)|view comments|(?:schreibe|schreiben sie) einen kommentar|kommentar schreiben|"
    r"sie (?:sind|müssen) (?:aktuell )?(?:nicht )?(?:eingeloggt|angemeldet)|you must be logged in|log in to (?:comment|reply)|"
    r"laisser un commentaire|deja un comentario|lascia un commento|dejá tu comentario|"
    # the comment form's and list's own labels (WordPress and others, as they ship in each language)
    r"(?:die )?kommentarfunktion ist geschlossen|kommentare sind geschlossen|comments are closed|"
    r"du musst angemeldet sein|bitte loggen sie sich|(?:deine|ihre) e-mail-adresse wird nicht veröffentlicht|"
    r"your email address will not be published|votre adresse (?:de messagerie|e-mail|email) ne sera pas publiée|"
    r"tu dirección de correo electrónico no será publicada|il tuo indirizzo email non sarà pubblicato|"
    r"letzte kommentare|recent comments|hinterlasse (?:einen kommentar|eine antwort)|leave a (?:comment|reply)|"
    r"\d+ (?:responses|antworten|reaktionen|réactions)|vos réactions|"
    # a call to comment over the form ("Kommentieren Sie hier", "Share your thoughts and join the conversation …")
    r"(?:jetzt )?kommentieren(?: sie)?(?: hier| jetzt| mit)?[.!:]?$|join the conversation|"
    r"(?:share|leave) your (?:thoughts|comments)|commentez cet article|comenta esta noticia)", re.I)
_SHARE = re.compile(
    r"^(?:teilen|share(?: this)?(?: (?:article|post|story|page))?|drucken|print(?: this)?|artikel (?:teilen|drucken|versenden)|"
    r"e-?mail|tweet|facebook|twitter|whatsapp|pinterest|linkedin|xing|telegram|copy link|link kopieren|partager|"
    r"imprimer|compartir|imprimir|condividi|stampa|teilen mit|teile diesen beitrag(?: auf(?: social media)?)?|(?:beitrag|artikel|seite) teilen|"
    r"diesen (?:beitrag|artikel) teilen|share on \w+|gefällt mir|like this|permalink|twittern)[\s:|,.]*$", re.I)
# a line of share buttons ("teilen twittern E-Mail")
_SHARE_WORDS = frozenset("teilen twittern tweet e-mail email mail facebook twitter whatsapp pinterest linkedin xing telegram "
                         "reddit drucken print share teilen: partager compartir condividi".split())
_CREDIT = re.compile(
    r"\(?(?:fotos?|photos?|bild(?:er)?|images?|credits?|crédits?|quelle|fuente|fonte|abbildung|abb\.|grafik|"
    r"illustration|image illustrative|(?:image|photo|picture|foto)\s?credits?|photocredits?|bildquelle|bildnachweis|"
    r"fotonachweis|fotoquelle|titelbild|titelfoto|beitragsbild|aufmacherbild|headerbild|vorschaubild|bildrechte|"
    r"symbolbild|symbolfoto)\s*:|(?:photocredits?|bildnachweis|fotonachweis)\b|"
    # a stock picture's credit: "Titelbild: Fachy Marín on Unsplash", "Bild von X auf Pixabay"
    r".{0,60}\b(?:on|via|auf|von|from|sur|en) (?:unsplash|pixabay|pexels|shutterstock|istock|adobe ?stock)\.?$|"
    # an agency's or editor's tag closing a report: "(dpa)", "(dr/spot)", "(AFP/red)"
    r"\((?=[^)]*[^\W\d_]{2})[\w.]{2,12}(?:\s?/\s?[\w.]{1,12}){0,3}\)$|"
    r"(?:abbildung|abb\.|figure|fig\.|grafik|tabelle|table|bild|foto|photo|image)\s*\d+\s*[:.]|"
    r"(?:photo(?:graph)? by|foto von|bild via|foto via|image via)\b", re.I)
# a caption closed by a note on what kind of picture it is ("… dürfen wieder öffnen. (Symbolfoto)", "… klein (Symbolbild).",
# "(file photo)", "(foto de archivo)", "(photo d'archives)")
_PICTURE_NOTE = re.compile(r"\((?:(?:archiv|symbol)?(?:bild|foto)|(?:file|archive|stock) (?:photo|picture|image)|foto de archivo|"
                           r"photo d'archives?|foto d'archivio)\)\.?$", re.I)
# a site's rights notice opening with its sign and years, however long the legal text after it ("© 2005-2020 Healthline
# Media a Red Ventures Company. All rights reserved. Our website services, …", "COPYRIGHT © 2021 EL TIEMPO Casa Editorial …")
_RIGHTS_NOTICE = re.compile(r"^(?:copyright\s*©?|©|\(c\))\s*(?:19|20)\d\d\b", re.I)
RIGHTS_MAX = 600
# a picture's own control in its caption ("… der Cider Connection. Zum Vergrößern auf das Bild klicken.", "Click to enlarge")
_ENLARGE = re.compile(r"zum vergrößern|(?:click|tap) to (?:enlarge|expand)|cliquez pour agrandir|clicca per ingrandire|"
                      r"clic para ampliar", re.I)
_ENLARGE_WORDS = ("vergrößern", "to enlarge", "to expand", "agrandir", "ingrandire", "ampliar")
# the letters re.IGNORECASE matches to ASCII ones where str.lower() does not give them (dotless i, long s, Kelvin sign,
# and İ, which lowers to two characters): where a paragraph holds one, a word test on its lower case proves nothing
_ODD_CASE = "İıſ\u212a"   # (escaped: the Kelvin sign reads as a K)


def has_word(low: str, words: tuple[str, ...]) -> bool:
    """Whether a lower-cased text holds one of the words (what a regex's every match holds: the test before it)."""
    return any(w in low for w in words)


_RIGHTS = ("©", "(c) ", "copyright", "all rights reserved", "alle rechte vorbehalten")
# a picture's credit anywhere in a line ("… gepflanzt (Foto: Stadt Nordhausen)", "… Sees. © WSNA", "Bildrechte: IMAGO")
CAPTION_CREDIT = re.compile(r"(?:\b(?:photo|foto|image|picture|bild|credit|crédit|source|quelle|fuente|fonte|bildrechte)s?\s*:|"
                            r"©|\bgetty images\b|\bap photo\b|\(symbolfoto\))", re.I)
# a post's meta line: segments split by | or · of which one is a comment count or a category/tag list
# ("January 13, 2020 | categories: Python | View Comments")
_META_SEGMENT = re.compile(r"^(?:categor(?:y|ies)|tags?|tagged|filed under|posted in|kategorien?|schlagworte?|schlagwörter|"
                           r"rubriken?|abgelegt unter|themen im artikel|mots-clés|etiquetas)\b\s*:?", re.I)
# a meta line alone: "Tags: …", "Abgelegt unter: …", "5 min read", "Lesezeit: 3 Minuten"
_META_LINE = re.compile(r"^(?:(?:categor(?:y|ies)|tags|tagged|filed under|posted in|kategorien?|schlagworte?|schlagwörter|"
                        r"abgelegt unter|themen im artikel|mots-clés|etiquetas)\s*:|\d+\s*min(?:ute)?s?\.? read$|"
                        r"lesezeit\s*:?\s*\d+)", re.I)


# the words of a byline set beside a date ("By Evan Symon, August 14, 2020 2:30 pm", "11.12.2019 - Amelie Loevenich")
_BYLINE_LABELS = frozenset("by von par por di door av on am um at le el il da de posted published publié publicado "
                           "veröffentlicht geschrieben written pm uhr th st nd rd".split())
_LETTERS = re.compile(r"[^\W\d_]+", re.U)


def _dated_byline(t: str) -> bool:
    """A date and a name alone: one to four capitalised words beside the date, labels and month names apart."""
    if date_line(t, max_other_words=6) is None:
        return False
    # a colon past a leading label is a list's entry or a notice ("2. November 2019: Forum Neustart Schweiz, Basel",
    # "Einsendeschluss: 03.11.2019"), not a byline (times of day apart)
    if ":" in re.sub(r"\d:\d", "", re.sub(r"^(?i:by|von|autor(?:in)?|author|text)\s*:", "", t)):
        return False
    months = calendar_words()
    words = [w for w in _LETTERS.findall(t) if w.lower() not in _BYLINE_LABELS and w.lower().rstrip(".") not in months]
    return 1 <= len(words) <= 4 and all(w[:1].isupper() for w in words)


def wording_chrome(p: str) -> str | None:
    """Which kind of chrome a paragraph's wording is, or None."""
    t = " ".join(p.split()).strip("-|–• ")
    n = len(t)
    if not any(c.isalnum() for c in t):
        return "mark"   # a separator printed as text: "*", "+++", "____", "."
    if n <= 80 and (RELATED_HEAD.match(t) or RELATED_WORD.match(t)):
        return "related"
    if n <= 200 and t[:1] in "([" and t[-1:] in ")]" and RELATED_HEAD.match(t[1:].lstrip()):
        return "related"   # a link to another article set in the text: "(También puede leer: …)", "[Lesen Sie auch: …]"
    if n <= 160 and _COMMENTS.match(t):
        return "comments"
    if n <= 40 and _SHARE.match(t):
        return "share"
    if n <= 60 and (_LABEL.match(t) or _BREADCRUMB.match(t) or _BYLINE.match(t) or _HANDLE_BYLINE.match(t)):
        return "label"
    if n <= 140 and "(@" in t and _EMBED_SIGNATURE.match(p.strip()):
        return "label"
    if n <= 80:
        words = t.lower().replace("|", " ").split()
        if len(words) >= 2 and all(w.strip(":,") in _SHARE_WORDS for w in words):
            return "share"
        if _META_LINE.match(t):
            return "meta"
        if n <= 60 and date_line(t, max_other_words=1) is not None:
            return "date"
        # an update notice ("Latest update May 6th, 2022 12:49 AM", "Article mis à jour le 7 janvier 2020."), a date
        # with the byline's name
        # (the date test first: it is cheaper than UPDATED's scan and fails on most lines)
        if date_line(t, max_other_words=4) is not None and UPDATED.search(t) or _dated_byline(t):
            return "date"
    low = t.lower()
    # the word tests before the regexes hold only where lower() and the regexes' IGNORECASE agree on every letter
    odd = any(c in t for c in _ODD_CASE)
    if n <= DISCLOSURE_MAX and (odd or has_word(low, _DISCLOSURE_WORDS)) and _DISCLOSURE.search(t):
        return "disclosure"
    if n <= RIGHTS_MAX and _RIGHTS_NOTICE.match(t):
        return "credit"
    if n > 200:
        return None
    if (_CREDIT.match(t) or _PICTURE_NOTE.search(t) or (odd or has_word(low, _ENLARGE_WORDS)) and _ENLARGE.search(t)
            or any(w in low for w in _RIGHTS)):
        return "credit"
    if any(w in low for w in _CTA) or any(w in low for w in _EMBED_CONSENT):
        return "cta"
    if any(w in low for w in _WIDGET_STATE):
        return "widget"
    if (odd or has_word(low, _DOWNLOAD_WORDS)) and _DOWNLOAD.search(t):
        return "download"
    if "|" in t or "·" in t:
        parts = [x.strip() for x in re.split(r"[|·]", t) if x.strip()]
        if len(parts) >= 2 and any(_COMMENTS.match(x) or _META_SEGMENT.match(x) for x in parts):
            return "meta"
    return None


# the most of a body's text that chrome elements may hold before their names are taken to mean something else
REGION_SHARE = 0.6


def drop_chrome(names: Names, paragraphs: list[str], page_lines: list[str],
                squashed_lines: str | None = None) -> tuple[list[str], list[str]]:
    """(body paragraphs, dropped ones): chrome by where the page prints a paragraph and by its wording
    (`squashed_lines`: the page lines as `squash_lines` joins them, when already made)."""
    if len(paragraphs) < 2:
        return paragraphs, []
    region_elements: list = []
    regions = "\0".join(chrome_regions(names, paragraphs, region_elements))   # (a separator no paragraph holds)
    page = (squash_lines(page_lines) if squashed_lines is None else squashed_lines) if regions else ""
    texts = [body_text(p) for p in paragraphs]
    anchors = None
    keep, dropped = [], []
    after_related = False
    related_at = None
    after_heading = False
    cta_at = None
    placed = [False] * len(paragraphs)
    if regions:
        # chrome elements that would take most of the body are the article's own parts, under a class that names
        # something else (a site's paragraphs each in a "share" element): then where a paragraph sits says nothing,
        # and only its wording counts. ("paywall" alone marks the article's text behind the paywall, as Condé Nast
        # and Jyllands-Posten write it: only "paywall-…" elements, the barrier and its offers, are chrome)
        inside = [bool(sp) and 0 < (n := regions.count(sp)) and page.count(sp) <= n for sp in texts]
        if any(sp and len(sp) < 20 and not x and sp in regions for sp, x in zip(texts, inside)):
            # a short paragraph ("Einfach", a how-to's difficulty in its meta box) is a part of many a longer line:
            # counted as a whole text of the page's (every one printed inside chrome)
            nodes = Counter("".join(t.split()).lower() for el in region_elements for t in el.itertext(*TEXT_TAGS))
            everywhere = Counter("".join(t.split()).lower() for t in page_lines)
            inside = [x or (bool(sp) and len(sp) < 20 and 0 < nodes[sp] and everywhere[sp] <= nodes[sp])
                      for sp, x in zip(texts, inside)]
        if sum(len(p) for p, x in zip(paragraphs, inside) if x) <= REGION_SHARE * sum(map(len, paragraphs)):
            placed = inside
    for i, (p, sp) in enumerate(zip(paragraphs, texts)):
        kind = wording_chrome(p)
        if kind is None and placed[i]:
            kind = "region"
        if kind is None and after_related and sp:
            # the links listed under a "Read more" heading: each paragraph the whole text of a link
            if anchors is None:
                anchors = {squash(a.text_content()) for a in names.body.iter("a")}
            if sp in anchors:
                kind = "related"
        after_related = kind == "related" or (after_related and kind is not None)
        if kind == "related" and after_heading:
            related_at = i   # a link listed under the heading
        after_heading = kind == "related" and bool(RELATED_HEAD.match(" ".join(p.split()).strip("-|–• ")) or
                                                   RELATED_WORD.match(" ".join(p.split()).strip("-|–• ")))
        if kind == "cta" and keep and cta_at is None:
            cta_at = i
        (dropped if kind else keep).append(p)
    # what closes the body after a list of other articles ("Diese Artikel könnten euch auch interessieren:" and its
    # links) is no more the article's: at most two short paragraphs (the site's own offer, "Kennt ihr schon unseren
    # Brandfinder? …")
    if related_at is not None and related_at >= len(paragraphs) // 2:
        kept = set(keep)
        rest = [p for p in paragraphs[related_at + 1:] if p in kept]
        if rest and len(rest) <= 2 and sum(map(len, rest)) <= 400:
            drop = set(rest)
            dropped += [p for p in keep if p in drop]
            keep = [p for p in keep if p not in drop]
    keep_set = set(keep)
    # the offer box closing a paywalled body: short lines after a call to subscribe ("Pour lire la suite…",
    # "créez votre compte", "1€ * le 1er mois puis 12€ par mois")
    if cta_at is not None:
        rest = [p for p in paragraphs[cta_at + 1:] if p in keep_set]
        if rest and len(rest) <= 12 and all(len(p) < 120 for p in rest) and sum(map(len, rest)) <= 800:
            drop = set(rest)
            dropped += [p for p in keep if p in drop]
            keep = [p for p in keep if p not in drop]
    # a box closing the body under its own heading: the author's biography, a press release's contact block (a few
    # short paragraphs after "Über den Autor", "Pressekontakt", "About the author", "Media contact")
    for j in range(max(1, len(keep) - 9), len(keep)):
        rest = keep[j + 1:]
        if len(keep[j]) <= 60 and _CLOSING_BOX.match(" ".join(keep[j].split()).strip("-|–•: ")) and rest \
                and len(rest) <= 8 and sum(map(len, rest)) <= 800:
            dropped += keep[j:]
            keep = keep[:j]
            break
    # a closing paragraph that points to another article, ending on a link to it ("Nicht aus den Siebzigern … ist das
    # folgende Projekt. … Mehr zu dem spannenden Umbau lesen Sie hier: Holborn Community Center.")
    if len(keep) > 2 and len(keep[-1]) <= 500 and (m := _POINTER.search(" ".join(keep[-1].split()))):
        if anchors is None:
            anchors = {squash(a.text_content()) for a in names.body.iter("a")}
        if squash(m.group(1)) in anchors:
            dropped.append(keep.pop())
    # a contact block closing the body without a heading: short lines that are no sentences (a name, an office, an
    # address), one of them giving an e-mail address or a phone number ("tel +49 611 7878 394 | karen.…@springer.com")
    run = 0
    while run < min(8, len(keep) - 2) and len(keep[-1 - run]) <= 100 and not keep[-1 - run].rstrip().endswith((".", "!", "?")):
        run += 1
    if run and any(_CONTACT.search(p) for p in keep[len(keep) - run:]) \
            and sum(map(len, keep[len(keep) - run:])) <= 0.2 * sum(map(len, keep)):
        dropped += keep[len(keep) - run:]
        keep = keep[:len(keep) - run]
    # a run of links closing the body (headlines of other articles, each paragraph a link's whole text, or the
    # link after a list mark the page prints: "-La angustia que vive …"), and a short heading over two or more
    # of them ("MEDELLÍN", the section they come from)
    run = 0
    while len(keep) > 2 and len(keep[-1]) < 150:
        if anchors is None:
            anchors = {squash(a.text_content()) for a in names.body.iter("a")}
        t = body_text(keep[-1])
        if t not in anchors and not ((u := t.lstrip("-–—•·*>»")) and u in anchors):
            break
        dropped.append(keep.pop())
        run += 1
    if run >= 2 and len(keep) > 2 and len(keep[-1]) <= 40 and len(keep[-1].split()) <= 4 \
            and not keep[-1].rstrip().endswith((".", "!", "?", ",", ";")):
        dropped.append(keep.pop())
    if not keep:
        return paragraphs, []
    return keep, dropped




def _has_source_note(text: str) -> bool:
    """Whether a text holds a syndicated article's note on where it was first published (the word test first)."""
    return (any(c in text for c in _ODD_CASE) or has_word(text.lower(), _SOURCE_NOTE_WORDS)) \
        and _SOURCE_NOTE.search(text) is not None


class _Lines:
    """The page's lines squashed (spaces out, lower case), each when first asked for (a search stops early)."""

    def __init__(self, lines: list[str]):
        self.lines, self.done = lines, {}

    def __getitem__(self, i: int) -> str:
        got = self.done.get(i)
        if got is None:
            got = self.done[i] = self.lines[i].replace(" ", "").lower()
        return got


def find_lead(names: Names, paragraphs: list[str], page_lines: list[str], title: str | None,
              description: str | None = None) -> tuple[str, int] | None:
    """The page's lead paragraph when trafilatura left it out: an element named as a lead, or a line that starts as the
    page's declared description (meta/og description, often the lead itself) does, printed after the headline and
    within a few lines before the body's first paragraph, of sentence length, not a link, not already in the body:
    (its text, where it goes in the body)."""
    if not paragraphs:
        return None
    first = body_text(paragraphs[0])[:40]
    candidates = [el for el in names.find(_LEAD_NAME) if el.tag in ("p", "div", "section")] if first else []
    desc = squash(description or "")[:60]
    if not candidates and not (first and len(desc) >= 60) and not (first and _has_source_note("\n".join(page_lines))):
        return None
    squashed = _Lines(page_lines)
    head = -1
    if title:
        nt = squash(title)
        head = next((i for i in range(len(page_lines)) if (l := squashed[i]) and (l in nt or nt in l)
                     and len(l) >= 0.4 * len(nt)), -1)
    # the body's first paragraph where the page prints it after the headline (a short one must be a whole line)
    start = next((i for i in range(head + 1, len(page_lines)) if (l := squashed[i])
                  and (first.startswith(l[:40]) if len(l) >= 15 else first == l)), None)
    if start is None:
        return None
    body = "".join(body_text(p) for p in paragraphs)
    nt = squash(title or "")

    def headed(a) -> bool:
        return len(nt) >= 15 and nt in squash(visible_text(a))

    for el in candidates:
        raw = visible_text(el)
        t = " ".join(raw.split())
        if not (40 <= len(t) <= 1500):
            continue
        st = squash(t)
        if st in body or st[:60] in body:
            continue
        links = sum(len(squash(a.text_content())) for a in el.iter("a"))
        if links > 0.3 * len(st) or "http" in st:
            continue
        # an author's description, a related article's teaser: inside chrome, no lead (a block that prints the
        # headline too is the article's header, whatever its class names: "sidebar__item--header")
        near = [el] + [a for _, a in zip(range(3), el.iterancestors())]
        if any((_NOT_LEAD.search(n) or CHROME_NAME.at(n.lower())) and not headed(a)
               for a, n in ((a, a.get("class") or "") for a in near)):
            continue
        # a picture's caption with its credit ("Rust am Westufer des Neusiedler Sees. © WSNA"), in a "description"
        if wording_chrome(t) is not None or CAPTION_CREDIT.search(t):
            continue
        # where the page prints it: its first text line after the headline, a few lines before the body
        lead_first = next((x for x in (" ".join(s.split()) for s in el.itertext(*TEXT_TAGS) if s and not s.isspace())), "")
        lf = lead_first.replace(" ", "").lower()
        # (or just after a kicker or subtitle line that trafilatura put first)
        pos = next((i for i in range(max(head + 1, start - 15), min(start + 3, len(page_lines))) if squashed[i] == lf), None)
        if pos is None:
            continue
        return t, 0 if pos < start or len(paragraphs) < 2 else 1
    if len(desc) >= 60 and desc not in body:
        for i in range(max(head + 1, start - 15), start):
            if squashed[i].startswith(desc) and len(page_lines[i]) <= 1500:
                return page_lines[i], 0
    # a syndicated article's note over it ("This post originally appeared on Grist."), the opening of its text
    for i in range(max(head + 1, start - 15), start):
        if page_lines[i][:1] in "TtDdCcEe" and _SOURCE_NOTE.match(page_lines[i]):
            for el in names.body.iter("p", "div", "span", "em", "i"):
                t = " ".join(visible_text(el).split())
                if t.startswith(page_lines[i]) and len(t) <= 300 and squash(t) not in body:
                    return t, 0
            break
    return None

