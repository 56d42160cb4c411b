"""minhash: signatures stay datasketch's values, and the banded index answers as MinHashLSH does."""

import random

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHash, MinHashLSH
from hypothesis import given, settings
from hypothesis import strategies as st

from seoulhub.text import minhash

VOCABULARY = (
    "graph neural network model language large training data learning diffusion attention "
    "benchmark robot policy agent 인공지능 반도체 서울시 지원 사업 발표 기업 투자 "
    "quantum e.g u.s.a 3.14 naïve café"
).split()


def reference(tokens):
    """datasketch's own MinHash of the shingles as the module's docstring defines them."""
    grams = (
        {" ".join(tokens).encode()}
        if len(tokens) < 2
        else {" ".join(tokens[i : i + 2]).encode() for i in range(len(tokens) - 1)}
    )
    m = MinHash(num_perm=128)
    m.update_batch(list(grams))
    return m, grams


def assert_same_as_datasketch(tokens):
    sig = minhash.signature(tokens)
    if not tokens:
        assert sig is None
        return
    ref, grams = reference(tokens)
    assert minhash.shingles(tokens) == grams
    assert sig.hashvalues.dtype == np.uint32
    assert sig.hashvalues.tolist() == ref.hashvalues.tolist()
    assert minhash.to_bytes(sig) == ref.hashvalues.astype("<u4").tobytes()
    assert sig.jaccard(ref) == 1.0 and LeanMinHash(ref).jaccard(sig) == 1.0


@pytest.mark.parametrize("length", [*range(0, 20), 25, 40, 80, 250, 330])
def test_signature_equals_datasketch_for_every_length(length):
    rng = random.Random(length)
    assert_same_as_datasketch([rng.choice(VOCABULARY) for _ in range(length)])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=8), max_size=60))
def test_signature_equals_datasketch_for_any_tokens(tokens):
    # Any strings: empty tokens, spaces inside tokens, repeated shingles, non-BMP characters.
    assert_same_as_datasketch(tokens)


def test_the_same_headline_at_12_and_at_11_tokens_is_a_near_duplicate():
    # One shingle scheme for every length: the longer scheme used to start at 12 tokens, and the
    # pair then shared no shingle at all.
    twelve = "samsung starts mass production of 3nm chips for ai servers in korea".split()
    eleven = twelve[:-1]
    assert len(twelve) == 12 and len(eleven) == 11
    a, b = minhash.signature(twelve), minhash.signature(eleven)
    assert a.jaccard(b) >= minhash.THRESHOLD
    index = minhash.NearDuplicateIndex()
    index.add("twelve", a)
    assert index.best_match(b)[0] == "twelve"
    index.add(
        "other", minhash.signature("seoul city opens a new startup campus for robotics firms next spring".split())
    )
    assert index.best_match(b)[0] == "twelve"


def test_signature_of_real_looking_texts():
    for text in (
        "Diffusion models for point cloud completion with sparse convolution and attention",
        "We propose a graph neural network for molecular property prediction. The model is trained on "
        "large data and a graph neural network baseline is compared; results show the graph neural "
        "network generalises.",
        "서울시 인공지능 반도체 설계 지원 사업 공고",
        "short title",
        "x",
    ):
        assert_same_as_datasketch(text.lower().replace(".", " ").replace(";", " ").split())


def near_duplicate_corpus(seed=7, bases=600):
    """Token lists with perturbed copies at various distances, plus a crowd of near-identical ones."""
    rng = random.Random(seed)
    texts = []
    for _ in range(bases):
        base = [rng.choice(VOCABULARY) + str(rng.randrange(40)) for _ in range(rng.choice([3, 8, 11, 12, 30, 120]))]
        texts.append(base)
        for edits in (1, 2, 4, 8):
            copy = list(base)
            for _ in range(edits):
                op, i = rng.randrange(3), rng.randrange(len(copy))
                if op == 0:
                    copy[i] = rng.choice(VOCABULARY)
                elif op == 1:
                    copy.insert(i, rng.choice(VOCABULARY))
                elif len(copy) > 1:
                    del copy[i]
            texts.append(copy)
    crowd = [rng.choice(VOCABULARY) for _ in range(60)]
    texts += [crowd[:-1] + [str(i)] for i in range(30)]  # > 8 candidates: the stacked comparison
    return texts


@pytest.mark.parametrize("threshold", [minhash.THRESHOLD, 0.8])
def test_index_candidates_and_best_match_equal_datasketch_lsh(threshold):
    texts = near_duplicate_corpus()
    sigs = [minhash.signature(t) for t in texts]
    lsh = MinHashLSH(threshold=threshold, num_perm=minhash.NUM_PERM)
    index = minhash.NearDuplicateIndex(threshold)
    assert (index.bands, index.rows) == (lsh.b, lsh.r)
    indexed = range(0, len(sigs), 2)  # half indexed, the other half only queried
    for key in indexed:
        lsh.insert(key, LeanMinHash(seed=1, hashvalues=sigs[key].hashvalues, scheme="affine32"))
        index.add(key, sigs[key])
    assert len(index) == len(indexed)
    crowded = 0
    for sig in sigs:
        expected = set(lsh.query(LeanMinHash(seed=1, hashvalues=sig.hashvalues, scheme="affine32")))
        assert index.candidates(sig) == expected
        crowded += len(expected) > 8
        scores = {key: MinHash.jaccard(sigs[key], sig) for key in expected}
        best = max(scores.values(), default=0.0)
        match = index.best_match(sig)
        if best >= threshold:
            assert match is not None and match[1] == best == scores[match[0]]
        else:
            assert match is None
    assert crowded > 0


def test_lsh_params_are_datasketchs():
    lsh = MinHashLSH(threshold=minhash.THRESHOLD, num_perm=minhash.NUM_PERM)
    assert minhash.lsh_params(minhash.THRESHOLD) == (lsh.b, lsh.r) == (18, 7)


def test_remove_forgets_the_key_and_leaves_no_empty_buckets():
    texts = near_duplicate_corpus(seed=3, bases=150)
    sigs = {i: minhash.signature(t) for i, t in enumerate(texts)}
    sigs["twin"] = minhash.from_bytes(minhash.to_bytes(sigs[0]))  # shares every bucket with key 0
    index = minhash.NearDuplicateIndex()
    for key, sig in sigs.items():
        index.add(key, sig)
    index.add(0, sigs[1])  # an indexed key is not added again
    removed = set(random.Random(1).sample(sorted(sigs, key=str), len(sigs) // 2)) | {0}
    for key in removed:
        index.remove(key)
    index.remove("never indexed")
    for key in removed:
        assert key not in index.candidates(sigs[key])
        match = index.best_match(sigs[key])
        assert match is None or match[0] not in removed
    if "twin" not in removed:  # key 0, its twin, is removed from every bucket they shared
        assert index.best_match(sigs["twin"])[1] == 1.0 and "twin" in index.candidates(sigs["twin"])

    fresh = minhash.NearDuplicateIndex()
    for key, sig in sigs.items():
        if key not in removed:
            fresh.add(key, sig)
    assert len(index) == len(fresh) == len(sigs) - len(removed)
    assert index._buckets == fresh._buckets  # same buckets, a single key never wrapped in a set

    for key in list(sigs):
        index.remove(key)
    assert len(index) == 0 and all(bucket == {} for bucket in index._buckets)
    index.add("again", sigs[0])
    assert index.best_match(sigs[0]) == ("again", 1.0)


def test_best_match_then_add_of_another_signature_uses_that_signatures_bands():
    a = minhash.signature("one two three four five six seven eight nine ten eleven twelve".split())
    b = minhash.signature("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split())
    index = minhash.NearDuplicateIndex()
    assert index.best_match(a) is None
    index.add("b", b)
    assert index.best_match(a) is None
    assert index.best_match(b) == ("b", 1.0)


def test_bytes_round_trip():
    for tokens in (["x"], "a b c d".split(), [str(i) for i in range(50)]):
        sig = minhash.signature(tokens)
        data = minhash.to_bytes(sig)
        assert len(data) == 4 * minhash.NUM_PERM
        for stored in (data, memoryview(data), bytearray(data)):  # what database drivers return
            back = minhash.from_bytes(stored)
            assert back == sig and back.hashvalues.tolist() == sig.hashvalues.tolist()
            assert back.jaccard(sig) == sig.jaccard(back) == 1.0
            assert minhash.to_bytes(back) == data
        index = minhash.NearDuplicateIndex()
        index.add(1, minhash.from_bytes(data))
        assert index.best_match(sig) == (1, 1.0)
    with pytest.raises(ValueError):
        minhash.NearDuplicateIndex().add(1, minhash.from_bytes(data[:-4]))
