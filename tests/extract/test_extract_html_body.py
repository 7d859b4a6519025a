"""HTML bodies: the chrome trafilatura keeps is left out, and the lead it prunes with teasers is kept.

Real pages of trafilatura's evaluation set (tests/fixtures/extract/README.md); the expected snippets are the
annotators' gold (`with` in the body, `without` out of it), one defect each.
"""
from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from newstrace.extract.chrome import wording_chrome
from newstrace.extract.html import extract_html
from newstrace.extract.options import ExtractOptions

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "extract" / "pages"
norm = lambda s: re.sub(r"\s+", " ", s or "").strip().lower()  # noqa: E731  (the devscore comparison)


def _body(key: str) -> str:
    html = gzip.decompress((PAGES / f"{key}.html.gz").read_bytes()).decode("utf-8", "replace")
    return norm(extract_html(html, f"{key}.html", ExtractOptions()).text)


CASES = [
    # the lead, in an element named as one (TYPO3 teaser-text, WordPress entry-excerpt, chapo, teaser intro, desc)
    ("d020", ["Jede Menge Spaß bereitet es den", "Das Projekt ist eine Kooperationsveranstaltung"], []),
    ("d129", ["Seit Dezember 2015", "Dazu muss das überholte Urheberrecht"], []),
    ("d237", ["Zeit für große Gefühle?", "Im Januar sind Sie verträumt"], ["Auch lesen:"]),
    ("d180", ["wurden Dachboden-Schätze der Kirche St. Johannes versteigert"], []),
    ("d061", ["Pour le néolibéralisme, la retraite"], ["Pour lire la suite", "Pour accéder en illimité"]),
    # the offer box closing a paywalled body: the short lines after the call to subscribe
    ("d061", ["Pour réaliser ce programme"], ["créez votre compte", "1€ * le 1er mois puis 12€ par mois",
                                              "Accès à tous les articles d’AOC par renouvellement mensuel"]),
    # the lead in a teaser element, found once the kicker over the headline that trafilatura kept ("OSV-Bericht",
    # "Zweite Tarifrunde des Öffentlichen Dienstes der Länder beginnt am Montag") and the headline are dropped
    ("d002", ["Wochen kolportiert wurde, ist", "verschoben werden müssen."], ["OSV-Bericht"]),
    ("d071", ["Potsdam die bisherige Sprachlosigkeit", "Verhandlungsort wollen am"], ["Foto: GdP/Hagen Immel"]),
    # a lead trafilatura drops (a bold paragraph), found as the printed line that starts as the page's meta description
    ("d000", ["Entwurf der Europäischen Kommission für einen", "denn die Entsorgung"], ["Quelle: jorisvo / Fotolia.com"]),
    # inside chrome elements: an author box, image captions, a comment and a <template>
    ("d057", ["Ich freue mich wie ein kleines Kind."], ["Ich mag jede Art von Fotografie"]),
    ("d212", ["Der Traum vieler Vanlife- und"], ["Das Wasser aus Bächen und Flüssen", "Die Alstadt Stockholms", "Weitere Tourentipps"]),
    ("d249", ["Für den Mürbeteig:"], ["Für dieses Rezept gibt es noch", "Tipp falls bei euch"]),
    # an infobox beside the article (the same box printed twice: "Das Zentralkomitee der deutschen Katholiken (ZdK) ist …")
    ("d006", ["votierten 41 Delegierte.", "Stil des ZdK-Präsidiums."], ["Zentralkomitee der"]),
    # an article wrapper whose class names chrome ("node--promoted", WordPress "tag-…") keeps its body
    ("d123", ["meldet für 2021 einen Umsatz von 64,2", "Joint Venture Cheval des Andes"], []),
    # a consent dialog's switches (class "sp-dsgvo-…"), inside the article's wrapper
    ("d123", ["meldet für 2021 einen Umsatz von 64,2"], ["Switch zum Einwilligen bzw. Ablehnen des Dienstes Youtube",
                                                         "Analyse / Statistik (1 Dienst)"]),
    # "Diese Artikel könnten euch auch interessieren:" and the links under it
    ("d128", ["Fairer Strick Made in Europe", "Was wäre Wintermode ohne kuschelige Knitwear"],
     ["Diese Artikel könnten euch auch interessieren", "Fairer Strick ist schick – Kuschelige Fair Fashion Pullover"]),
    ("d222", ["Une cible,", "En réaction à la candidature"], ["Image illustrative"]),
    # wording: "Read more" headings and the links under them, copyright and credit lines, a post's meta line
    ("d215", ["GmbH hat sich bei der Ausschreibung"], ["Schon gelesen?", "Luftwaffe hat mit dem Training auf den H145 von NHV begonnen"]),
    ("d185", ["pineapple slices in juice, drained, juice reserved"], ["© 2020 ®/TM General Mills All Rights Reserved"]),
    ("d111", ["The same can’t be"], ["Credit:"]),
    ("d283", ["This effort began in earnest"], ["View Comments", "January 13"]),
    ("d182", ["Wie der Ressortchef am Dienstag "], ["Weitere Artikel zum Thema", "Kommentierte Artikel"]),
    # a box closing the body under its own heading: an author's biography, a press release's contact block
    ("d213", ["Mal sehen, wie es ausgeht."], ["Bianca Praetorius (37) ist Pitch Coach"]),
    ("d242", ["In dem nun gestarteten Projekt soll die Erprobung"], ["Pressekontakt", "presse@bsi.bund.de", "Tel.: 0228-999582-5777"]),
    # a download's file type and size
    ("d098", ["für Substitute für Tabakwaren.", "Beteiligte, die erstmals"], ["PDF"]),
    # a closing run of links to other articles, each after a list mark ("-La angustia …"), with the heading over them
    # ("MEDELLÍN"), and links to other articles set in the text in brackets ("(También puede leer: …)")
    ("d140", ["enmarcado en 6 ejes temáticos relacionados", "El debate fue organizado por estudiantes"],
     ["llenó de empresas de webcam", "graban a una pareja teniendo sexo", "MEDELLÍN", "También puede leer",
      "Le puede interesar"]),
    # a closing run of links to other articles
    ("d024", ["Wusstest ihr, dass die stressabbauende Wirkung von Thermalwasser"],
     ["Ein Roadtrip entlang der Route 66 im Thermen- & Vulkanland", "Herbstlicher Wochenend-Ausflug in die Südoststeiermark"]),
]


@pytest.mark.parametrize("key,inside,outside", CASES, ids=[c[0] for c in CASES])
def test_body_keeps_the_text_and_leaves_chrome_out(key, inside, outside):
    _holds(key, inside, outside)


def _holds(key: str, inside: list[str], outside: list[str]) -> None:
    """The page's body holds every `inside` snippet and none of the `outside` ones."""
    body = _body(key)
    for s in inside:
        assert norm(s) in body, s
    for s in outside:
        assert norm(s) not in body, s


@pytest.mark.parametrize("text,kind", [
    ("Lesen Sie auch die folgenden Beiträge:", "related"),
    ("Read more", "related"),
    ("Leggi anche", "related"),
    ("Keine Kommentare (Kommentare erscheinen erst nach unserer Freigabe)", "comments"),
    ("3 Comments", "comments"),
    ("Share this article", "share"),
    ("Foto: dpa / Max Muster", "credit"),
    ("Abbildung 4: klassische Schwachschicht.", "credit"),
    ("Zum Newsletter anmelden", "cta"),
    ("Siguenos en Telegram, Instagram, Facebook y Twitter", "cta"),
    ("May 2, 2021 | categories: Travel | 4 Comments", "meta"),
    ("Informationsschreiben vom 14. Oktober 2021 (PDF, 1,2 MB)", "download"),
    ("- Anzeige", "label"),
    ("Zum Vergrößern bitte anklicken", "label"),
    ("Startseite > Politik > Inland", "label"),
    ("Von Max Mustermann", "label"),
    ("By Jane Doe and John Roe", "label"),
    ("(También puede leer: Quintero dijo que en Antioquia también planearían asesinar a Petro)", "related"),
    ("(Le puede interesar: Buscan responsables de bus quemado en Anorí, Antioquia)", "related"),
    ("Diese Artikel könnten euch auch interessieren:", "related"),
    # a byline beside a date, an update notice, a separator (lines of the development pages)
    ("By Evan Symon, August 14, 2020 2:30 pm", "date"),
    ("11.12.2019 - Amelie Loevenich", "date"),
    ("Latest update May 6th, 2022 12:49 AM", "date"),
    ("Article mis à jour le 7 janvier 2020.", "date"),
    ("+++", "mark"),
    # a skip link, an embedded Instagram post's stand-in, image credits, an agency's tag (lines of the development pages)
    ("Hauptinhalt", "label"),
    ("Sieh dir diesen Beitrag auf Instagram an", "label"),
    ("Image credit: www.apple.com/in/", "credit"),
    ("Bildquelle: Peter Ferstl", "credit"),
    ("Photocredits MYMARINI: Christin Schwarzer", "credit"),
    ("(dr/spot)", "credit"),
    ("_____________________", "mark"),
    # a stock picture's credit, a widget's stand-in while it loads, a byline of a label and a handle (d263, d214, d287,
    # d010, d187)
    ("Titelbild: Fachy Marín on Unsplash", "credit"),
    ("featured image: Tetbir Salim via Unsplash", "credit"),
    ("loading...", "label"),
    ("Autor: red", "label"),
    ("von zahlenzauberin", "label"),
    # an embedded post's signature, a gallery's link (d282, d159, d234)
    ("— Elon Musk (@elonmusk) November 4, 2023", "label"),
    ("— Minuto30.com (@minuto30com) May 5, 2022", "label"),
    ("Show all 50", "label"),
])
def test_chrome_wording(text, kind):
    assert wording_chrome(text) == kind


@pytest.mark.parametrize("text", [
    "The council voted on Tuesday to repair the bridge, the mayor said.",
    "Related research by the university found that the effect was small.",
    "Sources close to the ministry said the plan would be presented in May, after the elections in the north.",
    "Comments from residents were mostly positive, the council said.",
    "By Monday the river had risen by two metres.",
    "Home owners along the river were told to leave.",
    "(Lea el informe completo, publicado el martes por la fiscalía, que detalla las cifras de homicidios en la región.)",
    # dated entries of a list and notices, not bylines (d086, d206)
    "– 2. November 2019: Forum Neustart Schweiz, Basel",
    "Einsendeschluss: 03.11.2019 (Poststempel)",
    "Am 12. Mai 2021 starb Max Muster in Bern.",
    "(siehe oben)",
    "(2021)",
])
def test_body_wording_is_not_chrome(text):
    assert wording_chrome(text) is None


def test_an_article_whose_paragraphs_carry_a_chrome_class_keeps_its_text():
    """Condé Nast's pages (Wired, The New Yorker on fundus' test set) print every paragraph of the article as
    `<p class="paywall">`: the body lost all but one paragraph (1 of Wired's 77)."""
    paras = "".join(
        f'<p class="paywall">Section {i}: the sleeping bag test went on in the Sierra for a week, at night down to '
        f'minus five degrees, and each bag was weighed and packed by hand before the next night.</p>'
        for i in range(8))
    page = (f"<html><head><title>Best Sleeping Bags</title></head><body><h1>Best Sleeping Bags</h1>"
            f"<article><div class='body__inner-container'><p>John Muir set off for the mountains with some bread and "
            f"tea in a pair of blankets; we took sleeping bags, and tested them for you.</p>{paras}</div></article>"
            f"<div class='paywall-bar'><p>Subscribe to read more: one year for $5</p></div></body></html>")
    a = extract_html(page, "t.html", ExtractOptions())
    assert "John Muir set off" in a.text and all(f"Section {i}: the sleeping bag" in a.text for i in range(8))


def test_a_closing_box_about_the_authors_in_the_plural_is_left_out():
    """makronom.de (d134) closes its article with "Zu den AutorInnen:" and the authors' biographies, which stayed in
    the body (the heading spelled for one author, "Zum Autor", was known). The gold's main text stays."""
    body = _body("d134")
    assert norm("Es besteht ein direkter Zusammenhang") in body
    assert norm("zwischen Rohstoffnutzung und Auswirkungen") in body
    assert norm("Zu den AutorInnen") not in body
    assert norm("Clara Löw arbeitet als Wissenschaftlerin zur Circular Economy") not in body


@pytest.mark.parametrize("key,first,gone", [
    # nnz-online.de: a time, a date, a kicker and the headline above the article (the time and the kicker stayed)
    ("d010", "In Nord wurde am Freitag die neue Spiel- und Freizeitanlage",
     ["Mo, 11:41 Uhr", "Stadt eröffnet Nordpark-Anlage", "Ein Quantensprung für Nordhausen Nord"]),
    # 1000things.at: a category's name and the headline (both stayed)
    ("d024", "Was hilft am besten gegen die niedrigen Temperaturen?", ["- Erholung", "6 Wellnessoasen für eure Auszeit"]),
])
def test_the_lines_printed_over_the_headline_go_with_it(key, first, gone):
    html = gzip.decompress((PAGES / f"{key}.html.gz").read_bytes()).decode("utf-8", "replace")
    a = extract_html(html, f"{key}.html", ExtractOptions())
    assert a.paragraphs[0].startswith(first)
    body = norm(a.text)
    for s in gone:
        assert norm(s) not in body, s


@pytest.mark.parametrize("key,inside,outside", [
    # falstaff.de: the header picture's caption opened the body ("Rust am Westufer des Neusiedler Sees." over
    # "© WSNA", taken for the lead too, credit and all), and the lead ("Auf einen Blick: …"), printed with the
    # headline in a block whose class names a sidebar, was left out
    ("d254", ["Jahr 2020 ist dieses Juwel aus", "Die sanften Hänge des Ruster Hügellands"], ["© WSNA"]),
    # watson.ch: the subheadings trafilatura left out between the paragraphs ("«Storming the Sazerac»"), and another
    # article's teaser it kept, printed far below the article under the most-read list
    ("d275", ["Storming the Sazerac", "mit Schweizer Einschlag"], ["Geht man auf die Anfänge", "Sechzig Jahre lang"]),
    # holzwerken.net: a block's opening line, text set straight in a <div> before a <br>, whose next lines were kept
    ("d106", ["Bei dünneren Plattenwerkstoffen", "Schnitten. Doch es geht auch einfacher..."], ["Sie sind aktuell nicht eingeloggt."]),
    # weisser-ring.de: the list the closing paragraph announces ("So schützen Sie sich vor Einbrechern:")
    ("d113", ["Wenn Sie Ihr Haus verlassen", "seit 2015 kontinuierlich"], ["Zurück zur Übersicht"]),
], ids=["d254", "d275", "d106", "d113"])
def test_where_the_page_prints_the_paragraphs(key, inside, outside):
    """What the page's layout says about trafilatura's body (extract/layout.py); the snippets are the annotators'."""
    _holds(key, inside, outside)


def test_a_header_caption_is_not_the_first_paragraph():
    html = gzip.decompress((PAGES / "d254.html.gz").read_bytes()).decode("utf-8", "replace")
    a = extract_html(html, "d254.html", ExtractOptions())
    assert a.paragraphs[0].startswith("Auf einen Blick: Jahrhundertelang war der edelsüße Ruster Ausbruch")


def test_a_meta_box_inside_the_article_is_chrome():
    """selbst.de (d156): a how-to's meta box (class "article-inline-box--meta": difficulty, cost, time) stayed in the
    body, its short lines being parts of longer lines elsewhere ("Einfach" in "einfach"); the gold lists "Einfach"
    as chrome. Short paragraphs are now counted as whole texts of the page, every one printed inside chrome."""
    html = gzip.decompress((PAGES / "d156.html.gz").read_bytes()).decode("utf-8", "replace")
    a = extract_html(html, "d156.html", ExtractOptions())
    for line in ("Einfach", "25 - 100 €", "1-2 Tage"):
        assert line not in a.paragraphs, line
    assert any(p.startswith("Sie wollen Ihren Biomüll kompostieren") for p in a.paragraphs)


def test_a_closing_contact_block_without_a_heading_is_left_out():
    """springer.com (d097): a press release closed by its contact, a name line and "tel … | e-mail" with no heading
    over them, which stayed in the body (the contact block under "Pressekontakt" was known). The gold's text stays."""
    html = gzip.decompress((PAGES / "d097.html.gz").read_bytes()).decode("utf-8", "replace")
    a = extract_html(html, "d097.html", ExtractOptions())
    assert "tel +49 611 7878 394 | karen.ehrhardt@springer.com" not in a.paragraphs
    assert "Karen Ehrhardt-Dreier | Springer Nature | Communications" not in a.paragraphs
    body = norm(a.text)
    for s in ("Corona-Verordnung des Landes Hessen statt.", "AG sowie die Berlin Hyp", "Wiesbaden werden Fachzeitschriften,"):
        assert norm(s) in body, s


@pytest.mark.parametrize("text", ["Pressekontakte:", "Pressekontakt"])
def test_the_heading_of_a_contact_block(text):
    assert chrome_closing_box(text)


def chrome_closing_box(text: str) -> bool:
    from newstrace.extract.chrome import _CLOSING_BOX
    return _CLOSING_BOX.match(text.strip("-|–•: ")) is not None


def test_what_closes_the_body_after_a_list_of_other_articles_is_left_out():
    """peppermynta.de (d128): after "Diese Artikel könnten euch auch interessieren:" and its links, the site's offer
    ("Kennt ihr schon unseren Brandfinder? …") stayed as the body's last paragraph; the gold lists it as chrome."""
    body = _body("d128")
    assert norm("Kennt ihr schon unseren Brandfinder?") not in body
    assert norm("Was wäre Wintermode ohne kuschelige Knitwear") in body
    assert norm("Fairer Strick Made in Europe") in body


def test_a_closing_paragraph_pointing_to_another_article_is_left_out():
    """baumeister.de (d280): the body closed on another project's teaser ending "Mehr zu dem spannenden Umbau lesen
    Sie hier: Holborn Community Center." (a link to that article); the gold lists it as chrome."""
    body = _body("d280")
    assert norm("Nicht aus den Siebzigern") not in body
    for s in ("Am Südufer des Walensees", "Das Sportzentrum erhielt auch", "Im Bestand liegt der Schwerpunkt"):
        assert norm(s) in body, s


def test_a_syndicated_articles_note_over_it_is_its_opening():
    """salon.com (d111): "This post originally appeared on Grist.", printed between the byline and the article,
    was left out; the gold counts it as main text."""
    html = gzip.decompress((PAGES / "d111.html.gz").read_bytes()).decode("utf-8", "replace")
    a = extract_html(html, "d111.html", ExtractOptions())
    assert a.paragraphs[0] == "This post originally appeared on Grist."
    assert a.paragraphs[1].startswith("Just a week into the new year")
