"""language, normalise, korean, keywords, minhash: the framework-free text pieces."""

from seoulhub.text import keywords, korean, language, minhash, normalise


def test_language_hangul_share_first():
    assert language.detect("삼성전자, AI 반도체 HBM 양산") == "ko"
    assert language.detect("The model is trained on the data") == "en"
    assert language.detect("Le modèle est entraîné sur les données de la ville") == "fr"
    assert language.detect("建国35周年纪念，华表，和平鸽") == "zh"
    assert language.detect("", hint="ko") == "ko"


def test_english_titles_with_acronyms_or_one_stray_word_stay_english():
    # Real arXiv titles the demo had counted as Portuguese, Italian or French.
    for title in [
        "LA-Pose: Latent Action Pretraining Meets Pose Estimation",
        "AU-LLM: Micro-Expression Action Unit Detection via Enhanced LLM-Based Feature Fusion",
        "When Mean CE Fails: Median CE Can Better Track Language Model Quality",
        "Non-Learning Low-Light Stereo Vision",
        "MoLoRA: Composable Specialization via Per-Token Adapter Routing",
        "Deep Learning-Driven Ultra-High-Definition Image Restoration: A Survey",
    ]:
        assert language.detect(title) == "en", title
    assert language.detect("O que é a inteligência artificial e como funciona") == "pt"
    assert language.detect("Il futuro della robotica in Italia e la sua industria") == "it"


def test_language_hint_for_titles_without_stop_words():
    assert language.detect("Diffusion Transformers 3D", hint="en") == "en"


def test_kiwi_keeps_taxonomy_terms_whole():
    toks = korean.tokens("인공지능을 활용한 자율주행차와 컴퓨터비전")
    assert "인공지능" in toks and "자율주행차" in toks and "컴퓨터비전" in toks
    assert "인공" not in toks


def test_korean_tokens_normalise_latin_parts():
    assert "model" in korean.tokens("Large Language Models 도입")


def test_latin_tokens_stem_and_drop_stop_words():
    assert normalise.latin_tokens("The Networks of Cities") == ["network", "city"]


def test_keywords_prefer_repeated_title_terms():
    title = normalise.latin_tokens("Large language models for code repair")
    body = normalise.latin_tokens("Large language models repair code. Large language models help.")
    kws = keywords.extract(title, body)
    assert "language model" in kws or "large language" in kws
    assert len(kws) <= 8


def test_minhash_finds_near_duplicate_not_unrelated():
    a = normalise.latin_tokens("Meet Uzbl a web browser with the unix philosophy that does one thing well")
    b = normalise.latin_tokens("Meet UZBL a web browser with the unix philosophy that does one thing well today")
    c = normalise.latin_tokens("Quarterly bond yields fell across all maturities on Tuesday in Seoul")
    index = minhash.NearDuplicateIndex()
    index.add("a", minhash.signature(a))
    assert index.best_match(minhash.signature(b))[0] == "a"
    assert index.best_match(minhash.signature(c)) is None


def test_minhash_bytes_round_trip():
    sig = minhash.signature(["x", "y", "z", "w"])
    assert minhash.from_bytes(minhash.to_bytes(sig)).jaccard(sig) == 1.0


def test_minhash_signature_equals_datasketch_update_batch():
    """The numpy signature must stay the one datasketch computes, or stored signatures stop matching."""
    from datasketch import MinHash

    for text in (
        "Diffusion models for point cloud completion with sparse convolution and attention",
        "서울시 인공지능 반도체 설계 지원 사업 공고",
        "short title",
    ):
        tokens = normalise.latin_tokens(text) if text.isascii() else korean.tokens(text)
        reference = MinHash(
            num_perm=minhash.NUM_PERM, permutations=minhash._TEMPLATE.permutations, scheme=minhash._TEMPLATE.scheme
        )
        reference.update_batch(list(minhash.shingles(tokens)))
        assert list(minhash.signature(tokens).hashvalues) == list(reference.hashvalues)


def test_feature_hits_resolve_overlaps_like_one_left_to_right_scan():
    from seoulhub.text.techfeatures import feature_hits

    # 이통사 is taken whole; 이통 still counts where it stands alone later on.
    assert feature_hits("이통사 요금 인하, 이통 3사 반발")["telecom-5g-6g"] == ["이통사", "이통"]
    assert feature_hits("Point cloud segmentation of video")["computer-vision"] == [
        "point cloud",
        "segmentation",
        "video",
    ]
    assert feature_hits("pointcloud imagery") == {}
