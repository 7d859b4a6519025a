"""Events coded actor → action → target, place and time words, tied to the sentence."""
from newstrace.enrich.events import NOUN_CATEGORY, VERB_CATEGORY
from facts_seeds import annotate_text, seed_enrichments


def _ev(e, action=None):
    return [c for c in e.claims if c.kind == "event" and (action is None or c.fields["action"] == action)]


def test_joint_drills_by_both_countries_with_place():
    _, ld = seed_enrichments()
    ex = [c for c in _ev(ld, "exercise") if "paratrooper drills" in c.text]
    assert ex, "the drills sentence gave no exercise event"
    f = ex[0].fields
    assert set(f["actors"]) == {"Russia", "Belarus"} and "Poland" in f["places"] and "Friday" in f["time_words"]


def test_joint_drills_with_partner_and_nationality_actors():
    mt, _ = seed_enrichments()
    ex = _ev(mt, "exercise")
    assert any({"Russia", "Belarus"} <= set(c.fields["actors"]) for c in ex)
    assert any("Grodno" in c.fields["places"] for c in ex)


def test_passive_agent_is_the_actor_and_subject_the_target():
    e = annotate_text("The suspect was arrested by police in Paris on Tuesday.")
    ev = _ev(e, "coerce")
    assert ev and ev[0].fields["actors"] == ["police"] and ev[0].fields["targets"] == ["suspect"]
    assert ev[0].fields["places"] == ["Paris"]


def test_deaths_are_outcomes_not_acts():
    e = annotate_text("At least two paratroopers died during the landing.")
    ev = _ev(e, "death")
    assert ev and ev[0].fields["actors"] == [] and "paratroopers" in ev[0].fields["target"]


def test_event_points_at_its_sentence():
    e = annotate_text("Protesters marched in Minsk. Police detained 40 people on Sunday.")
    ev = _ev(e, "coerce")[0]
    assert ev.text == "Police detained 40 people on Sunday."
    assert e.claims and ev.fields["sentence_start"] == len("Protesters marched in Minsk. ")


def test_scheme_is_documented_and_small():
    from newstrace.enrich import events
    cats = set(VERB_CATEGORY.values()) | set(NOUN_CATEGORY.values())
    assert 10 <= len(cats) <= 30
    for c in cats:  # every category appears in the module's documented table
        assert f"| {c}" in events.__doc__


def test_a_verb_of_two_categories_takes_its_subjects():
    quake = _ev(annotate_text("A strong earthquake struck the coast of Iran on Sunday."))
    assert {c.fields["action"] for c in quake} == {"disaster"}  # "struck" is the quake's, not an attack
    raid = _ev(annotate_text("Gunmen struck a police post near the border on Sunday."))
    assert {c.fields["action"] for c in raid if c.fields["lemma"] == "strike"} == {"attack"}


def test_story_events_keep_an_arrest_apart_from_its_charges_and_a_quake_from_its_tsunami():
    from newstrace.link.agreement import cluster_events

    texts = ["Police arrested the singer on Friday. He was charged with drunk driving on Saturday.",
             "The singer was detained on Friday and later indicted for drunk driving.",
             "The earthquake triggered a tsunami. The quake was felt in three countries; the tsunami hit the coast."]
    claims = [c for t in texts for c in _ev(annotate_text(t))]
    groups = [{(claims[i].fields["lemma"]) for i in g} for g in cluster_events(claims)]
    together = lambda a, b: any({a, b} <= g for g in groups)  # noqa: E731
    assert together("arrest", "detain") and together("charge", "indict")
    assert not together("arrest", "charge")
    assert together("earthquake", "quake") and not together("earthquake", "tsunami")
