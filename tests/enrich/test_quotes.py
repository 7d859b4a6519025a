"""Quotes with their speaker resolved to an entity and the reporting verb."""
from facts_seeds import annotate_text, seed_enrichments


def _quotes(e):
    return [c for c in e.claims if c.kind == "quote"]


def test_seed_quotes_attributed():
    mt, ld = seed_enrichments()
    hot = [c for c in _quotes(mt) if "hotheads" in c.fields["words"]]
    assert hot and hot[0].fields["speaker"] == "Viktor Khrenin" and hot[0].fields["verb"] == "add"
    # split across three sentences, speaker named by "she" after a sentence naming her
    vdl = [c for c in _quotes(ld) if "not a migration crisis" in c.fields["words"]]
    assert vdl and vdl[0].fields["speaker"] == "Ursula von der Leyen" and vdl[0].fields["verb"] == "say"
    assert "This will not succeed" in vdl[0].fields["words"]


def test_straight_quotes_inverted_order():
    e = annotate_text('"We will rebuild every house in the town," said Mayor John Smith on Tuesday.')
    q = _quotes(e)
    assert len(q) == 1 and q[0].fields["speaker"] == "John Smith"


def test_quote_without_attribution_in_its_sentence_uses_previous_sentence():
    e = annotate_text('Prime Minister Jane Doe addressed parliament on Monday and said:\n'
                      '"The budget will protect every pensioner in the country."')
    q = _quotes(e)
    assert q and q[0].fields["speaker"] == "Jane Doe"


def test_scare_quotes_are_not_quotes():
    e = annotate_text('The ministry called the drills "snap" exercises.')
    assert _quotes(e) == []
