"""A JSONL record's text loses the site furniture a crawler copied with it (consent box, login wall, sign-up call),
wherever it sits; the report stays, and a record that is all furniture keeps its headline. Texts are real records of
the rated pairs (data/semeval8-pairs-dev.jsonl, trimmed), split into title and text as devscore pairs feeds them."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from newstrace.extract import extract_document
from newstrace.extract.notice import strip_notices
from newstrace.records import RawDocument


def _record(rec: dict):
    raw = RawDocument(id="x", origin="crawl.jsonl#line=1", data=json.dumps(rec).encode(), media_type="application/x-article+json",
                      first_seen=datetime(2030, 1, 1, tzinfo=timezone.utc))
    return extract_document(raw)


AT_COOKIES = ("OK\n\nWir verwenden auf unserer Webseite Cookies und pseudonyme Analysetechniken, um unseren Internetauftritt "
              "möglichst benutzerfreundlich zu gestalten. Weitere Informationen, auch zur Deaktivierung von Cookies, finden Sie "
              "in unseren Datenschutzhinweisen.\n\nZur Datenschutzerklärung")
FR_LOGIN_WALL = ("Veuillez vous connecter !\n\nVous n'avez pas encore accès aux archives ?\n\nInscrivez-vous maintenant "
                 "gratuitement pour continuer à lire.\n\nVeuillez vérifier les champs obligatoires marqués en rouge.\n\n"
                 "Votre e-mail Suivant")
SIGN_UP = "We'll send breaking news and news alerts to you as as they happen!\n\nSign up!"


@pytest.mark.parametrize("rid,title,text,notice_start", [
    # a button's label left over ("OK") was the whole text
    ("1484158967", "Einigung über erste schwarz-grüne Regierung in Österreich", AT_COOKIES, "Wir verwenden"),
    # a login wall with its form's fields and questions between the notice sentences
    ("1502697321fr", "Justin Bieber vend des tacos à partir d'un camion \"délicieux\"", FR_LOGIN_WALL, "Veuillez vous connecter"),
    # a newsletter's sign-up call
    ("1493969076", "Dramatic video shows lightning as Philippines volcano erupts", SIGN_UP, "We'll send breaking news"),
])
def test_a_record_that_is_all_furniture_keeps_its_headline(rid, title, text, notice_start):
    art = _record({"id": rid, "title": title, "text": text})
    assert art.text == title
    assert any(b.startswith(notice_start) for b in art.boilerplate)


def test_a_sign_up_box_between_the_headline_and_the_report_is_set_aside():
    report = ("The Body Coach Joe Wicks has announced he will be holding live daily PE lessons for kids to help keep children "
              "fit and healthy while they are not at school during the coronavirus pandemic.\n\nJoe made his \"exciting "
              "announcement\" earlier today and said that with all schools now closed after today he was going to become the "
              "\"nation's PE teacher\".")
    box = ("Sign up to FREE email alerts from Mirror - The Coronavirus Briefing Subscribe Thank you for subscribing We have "
           "more newsletters Show me See our privacy notice Invalid Email")
    art = _record({"id": "1553027990", "title": "Coronavirus: Body Coach's Joe Wicks to hold live daily PE lessons for kids",
                   "text": f"The video will start in 8 Cancel\n\n{box}\n\n{report}"})
    assert art.text == "The video will start in 8 Cancel\n\n" + report
    assert art.boilerplate == [box]


@pytest.mark.parametrize("rid,text,headline,notice_word", [
    # a login wall glued to the headline on one line
    ("1502697321", "Justin Bieber verkauft Tacos aus einem „Yummy“-Truck Bitte registrieren!Sie haben noch keinen Zugang zum "
     "Archiv?Registrieren Sie sich jetzt kostenlos, um fortzufahren.Bitte überprüfen Sie die rot markierten Pflichtfelder.",
     "Justin Bieber verkauft Tacos aus einem „Yummy“-Truck", "registrieren"),
    # a consent text glued to the headline: ten pages of one site shared it and were one story
    ("1558913813", "Schweiz schränkt Export von Schutzausrüstung ein Um die Funktion unserer Website zu verbessern und die "
     "relevantesten Nachrichten und anvisiere Werbung anzuzeigen, sammeln wir technische anonymisierte Informationen über "
     "Sie, einschließlich der Instrumente unserer Partner. Für detaillierte Datenverarbeitungsinformationen, siehe "
     "Datenschutzerklärung.Details Informationen überTechnologien, die wir verwenden, sind in den Regeln der Cookies-Nutzung "
     "und der automatischen Anmeldung zu finden. Indem Sie „Akzeptieren und schließen“ anklicken, stimmen Sie ausdrücklich "
     "der Verarbeitung Ihrer persönlichen Daten zu, damit das beschriebene Ziel erreicht wird.",
     "Schweiz schränkt Export von Schutzausrüstung ein", "Website"),
])
def test_a_notice_glued_to_the_headline_leaves_the_headline(rid, text, headline, notice_word):
    art = _record({"id": rid, "text": text})
    assert art.text.startswith(headline) and len(art.text.split()) <= len(headline.split()) + 3
    assert notice_word not in art.text
    assert art.boilerplate and notice_word in art.boilerplate[0]


def test_a_report_about_cookies_and_paywalls_keeps_its_text():
    """Sentences inside a paragraph of a report that name cookies, login walls and subscriptions are the report's: only
    a box of its own (opening a line and ending one), dense with the notices' wording, is furniture."""
    para = ("Regulators in Brussels said on Monday that news sites may no longer make readers accept tracking cookies before "
            "they can read an article. Publishers answered that paywalls and login walls pay for journalism; one editor "
            "said: 'If you want to read on, subscribe to continue reading, as readers have always paid.' The rules take "
            "effect next year, after a consultation with the industry.")
    rest = ("The commission had consulted publishers, consumer groups and national regulators for two years before it "
            "drafted the rule, which now goes to the member states. ") * 6
    text = "EU bans cookie walls on news sites\n\nThe ban was announced in Brussels. " + para + "\n\n" + rest.strip()
    assert strip_notices(text) == (text, [])
    assert _record({"id": "r", "text": text}).text == text
