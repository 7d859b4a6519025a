"""Quantity claims: value, qualifier, what is counted, whose, the action and who gave the number."""
import pytest

from newstrace.enrich.quantities import count_class, parse_value
from facts_seeds import annotate_text, seed_enrichments


def _q(e):
    return [c for c in e.claims if c.kind == "quantity"]


def test_seed_troop_counts_align_on_the_same_key():
    mt, ld = seed_enrichments()
    a = next(c for c in _q(ld) if c.fields["value"] == 15000)
    assert (a.fields["qualifier"], a.fields["counted"], a.fields["owner"], a.fields["verb"]) == ("some", "soldiers", "Poland", "deploy")
    b = next(c for c in _q(mt) if c.fields["value"] == 15000)
    assert (b.fields["counted"], b.fields["owner"], b.fields["verb"]) == ("troops", "Poland", "deploy")
    assert a.key == b.key  # troops ≈ soldiers


def test_deaths_with_qualifier_and_source():
    mt, _ = seed_enrichments()
    d = next(c for c in _q(mt) if "paratroopers" in (c.fields["counted"] or ""))
    assert d.fields["value"] == 2 and d.fields["qualifier"] == "at least" and d.fields["verb"] == "die"
    assert "Defense Ministry" in (d.fields["source"] or "")


@pytest.mark.parametrize("sentence,value,qualifier", [
    ("Upwards of 2,000 people are stuck at the border.", 2000, "upwards of"),
    ("Police detained around 300 protesters in the capital.", 300, "around"),
    ("The storm destroyed more than 1.5 million homes.", 1_500_000, "more than"),
])
def test_qualifiers_and_values(sentence, value, qualifier):
    q = _q(annotate_text(sentence))
    assert q and q[0].fields["value"] == value and q[0].fields["qualifier"] == qualifier


def test_dates_ages_and_years_are_not_quantities():
    e = annotate_text("On 12 November 2021, the 33-year-old minister spoke for two hours.")
    assert _q(e) == []


def test_according_to_names_the_counter():
    e = annotate_text("There have been 4,500 border crossing attempts since November, according to Polish authorities.")
    q = _q(e)
    assert q and q[0].fields["source"] == "Polish authorities" and q[0].fields["counted_class"] == "attempt"


def test_value_parsing_and_classes():
    assert parse_value(["15,000"]) == 15000
    assert parse_value(["1.5", "million"]) == 1_500_000
    assert parse_value(["two"]) == 2
    assert parse_value(["thousands"]) is None
    assert count_class("soldiers") == count_class("troops") == count_class("servicemen")
