"""Entity mentions of the seed reports: types, aliases merged, places geocoded or kept without coordinates."""
from facts_seeds import annotate_text, seed_enrichments


def _canon(e, text):
    return {m.canonical for m in e.mentions if m.text.strip() == text or m.text.strip().endswith(text)}


def test_surname_and_title_resolve_to_the_full_name():
    mt, ld = seed_enrichments()
    for e in (mt, ld):
        lk = [m for m in e.mentions if m.canonical == "Alexander Lukashenko"]
        assert {"Lukashenko", "Alexander Lukashenko"} <= {m.text for m in lk}
        assert all(m.type == "PERSON" for m in lk)
    # "Belarusian leader Alexander Lukashenko": the title is an alias of the person
    assert any(m.text == "Belarusian leader" and m.canonical == "Alexander Lukashenko" for m in ld.mentions)
    assert any(m.text == "Khrenin" and m.canonical == "Viktor Khrenin" for m in mt.mentions)


def test_particle_names_are_kept_whole():
    _, ld = seed_enrichments()
    assert any(m.canonical == "Ursula von der Leyen" and m.type == "PERSON" for m in ld.mentions)
    assert not any(m.text == "Leyen" for m in ld.mentions)


def test_places_geocoded_and_unknown_places_kept():
    mt, ld = seed_enrichments()
    grodno = [m for m in mt.mentions if m.text == "Grodno"]
    assert grodno and grodno[0].lat is not None and grodno[0].country == "Belarus"
    minsk = [m for m in ld.mentions if m.text == "Minsk"]
    assert minsk and all(m.type == "GPE" and m.lat is not None for m in minsk)
    bruzgi = [m for m in ld.mentions if m.text == "Bruzgi"]
    assert bruzgi and bruzgi[0].type in ("FAC", "GPE", "LOC") and bruzgi[0].lat is None


def test_offsets_point_into_the_article_text():
    from facts_seeds import seed_articles
    for art, e in zip(seed_articles(), seed_enrichments()):
        for m in e.mentions:
            if m.start >= 0:
                assert art.text[m.start:m.end] == m.text


def test_acronym_joins_its_spelled_out_organisation():
    e = annotate_text("The European Union met on Monday. The EU said it would act.")
    assert {m.canonical for m in e.mentions if m.text == "EU"} == {"European Union"}


def test_a_title_shared_by_two_people_is_not_an_alias():
    e = annotate_text("French President Emmanuel Macron met Finnish President Sauli Niinisto. "
                      "The president said talks went well.")
    assert not any(m.text.lower() in ("the president", "president") and m.type == "PERSON" for m in e.mentions
                   if m.start > 60)


def test_odd_texts_do_not_stop_the_batch():
    from newstrace.enrich import nlp
    from newstrace.records import Article, Enrichment
    texts = ["", "   \n\n  ", '"""" “ ” "', "\x00\ufffd" * 50, "12,000 12,000 12,000", "Angela Merkel visited Paris."]
    arts = [Article(id=str(i), origin=f"odd{i}", title=None, text=t) for i, t in enumerate(texts)]
    out = [Enrichment(article_id=a.id) for a in arts]
    nlp.annotate(arts, out)
    assert {m.canonical for m in out[-1].mentions} >= {"Angela Merkel", "Paris"}
    assert out[0].mentions == [] and out[0].claims == []


def _typed(e):
    return {(m.canonical, m.type) for m in e.mentions}


def test_proper_noun_before_a_site_or_body_noun_is_a_name():
    e = annotate_text("Three people died at a branch of the Marfin bank in Athens. "
                      "Officials from the Jenkins administration visited the Kraft plant on Monday.")
    got = _typed(e)
    assert ("Marfin bank", "FAC") in got and ("Kraft plant", "FAC") in got
    assert ("Jenkins administration", "ORG") in got


def test_a_town_or_nationality_before_a_site_noun_is_a_description_not_a_name():
    e = annotate_text("A bomb exploded at a Woodburn bank. Woodburn police said a Greek bank closed too.")
    names = {m.canonical for m in e.mentions}
    assert "Woodburn bank" not in names and "Greek bank" not in names


def test_team_name_before_a_role_is_the_team_not_a_person():
    e = annotate_text("Police arrested Chargers defensive tackle Jamal Williams on Sunday in San Diego.")
    got = _typed(e)
    assert ("Jamal Williams", "PERSON") in got
    assert not any(m.type == "PERSON" and "tackle" in m.canonical for m in e.mentions)
    assert ("Chargers", "ORG") in got


def test_a_name_recognised_once_is_found_at_every_occurrence():
    text = ("Lionsgate hired a new director on Monday, the studio said. Critics expect Lionsgate to pay more "
            "this year, and Lionsgate declined to comment.")
    e = annotate_text(text)
    kinds = {m.type for m in e.mentions if m.text == "Lionsgate"}
    n = sum(m.text == "Lionsgate" for m in e.mentions)
    assert n == 3 and len(kinds) == 1


def test_acronym_that_reports_news_is_an_organisation():
    e = annotate_text("The actress checked in late Thursday, TMZ reported, barely making the deadline.")
    assert ("TMZ", "ORG") in _typed(e)
