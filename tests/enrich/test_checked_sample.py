"""Precision of entities and quote speakers on 40 articles checked by hand (tests/fixtures/facts/)."""
import pytest

from hand_checked import COARSE, checked_sample  # tests/enrich/hand_checked.py


@pytest.fixture(scope="module")
def checked():
    return checked_sample()


def test_all_forty_articles_are_checked(checked):
    fixture, enr = checked
    assert len(fixture) >= 40 and set(fixture) == set(enr)


def test_entity_precision_and_recall_against_hand_checks(checked):
    fixture, enr = checked
    tp = fp = unjudged = 0
    found = expected = 0
    for aid, e in enr.items():
        pred = {(m.canonical, COARSE[m.type]) for m in e.mentions if m.type in COARSE}
        ok = {tuple(x) for x in fixture[aid]["correct"]}
        bad = {tuple(x) for x in fixture[aid]["wrong"]}
        tp += len(pred & ok)
        fp += len(pred & bad)
        unjudged += len(pred - ok - bad)   # never judged: counted against precision
        # each real entity (an entity accepted under one of its types) found at least once
        names = {n for n, _ in ok} | {n for n, _ in map(tuple, fixture[aid]["missed"])}
        expected += len(names)
        found += len({n for n, t in pred if (n, t) in ok})
    precision = tp / (tp + fp + unjudged)
    recall = found / expected
    print(f"entity precision {precision:.3f} (tp={tp} fp={fp} unjudged={unjudged}), recall {recall:.3f}")
    assert precision >= 0.80
    assert recall >= 0.80


def test_quote_speakers_against_hand_checks(checked):
    fixture, enr = checked
    right = total = 0
    for aid, e in enr.items():
        for prefix, speaker in fixture[aid]["quotes"]:
            total += 1
            q = [c for c in e.claims if c.kind == "quote" and c.fields["words"].startswith(prefix)]
            right += bool(q) and q[0].fields["speaker"] == speaker
    print(f"quote speakers right {right}/{total}")
    assert total >= 25 and right / total >= 0.75
