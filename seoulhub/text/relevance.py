"""Learned digital relevance: is a text about digital technology? -> probability in [0, 1].

Framework-free. Trained by `seoulhub train-relevance` (radar.relevance_training) from the shipped
data (data/relevance/) and stored in data/relevance/model.json, loaded once per process:

* **n-gram score** — a logistic regression on the words and character 2-3-grams of the text
  (NgramModel; Hangul grams keep the word-start mark, so 게임 at a word start and inside 아시안게임
  are different grams). ~15 µs a headline; its logit is a feature of the final model only.
* **provisional** — on EVIDENCE_FEATURES less the n-gram score (left at 0): alias evidence (how
  many strong, medium and weak aliases fired, context words, cue words, the old rule score) and
  whether the text is English. It costs a few microseconds, so the per-item ingest pipeline uses it
  (radar.ingest.process.classify_text) and `seoulhub classify --fast` prints it.
* **final** — the same features plus the multilingual sentence vector (text.embed, 512-d).
  The vector costs ~10 ms per text, so it is applied where vectors are computed in batches:
  the radar's embedding job (radar.tasks.embed_batch), `seoulhub classify` and the classify API.

Alias rules are features, not verdicts: a lone generic word ("game", "security") has a small
learned weight, and the vector decides what the words leave open (basketball "game" vs a video
game). The dense models are fitted by Newton's method on the L2-penalised log-loss (numpy) and
the n-gram model by L-BFGS (scipy, at training time only); nothing is sampled, so a retrain from
the same data gives the same coefficients.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_PATH = Path(__file__).resolve().parents[2] / "data" / "relevance" / "model.json"

EVIDENCE_FEATURES = (
    "strong_aliases",  # distinct aliases of weight 1.0 (cap 3)
    "medium_aliases",  # short aliases and acronyms, weight 0.7-0.8 (cap 3)
    "weak_aliases",  # generic words, weight 0.3 (cap 3)
    "only_weak_aliases",  # 1 when generic words are the only aliases
    "strong_context",  # strong context words (smartphone, 알고리즘 ...) (cap 3)
    "context",  # other context words (cap 5)
    "cue_words",  # technology cue words (text.techfeatures) (cap 4)
    "technologies",  # technologies named by a strong or medium alias or by cue words (cap 4)
    "rule_score",  # the rule-based relevance (radar.ingest.process.relevance)
    "english",  # 1 for English text: English and Korean news differ in base rate and wording
    "ngram_score",  # the NgramModel's logit (0 when no model is loaded)
)
ALIAS_FEATURES = len(EVIDENCE_FEATURES) - 2  # the first ones come from alias evidence alone
STRONG_WEIGHT = 1.0
WEAK_WEIGHT = 0.3


def evidence_features(
    alias_weights: list[float],
    strong_context: int,
    other_context: int,
    cue_words: int,
    technologies: int,
    rule_score: float,
    *,
    english: bool = False,
    ngram_score: float = 0.0,
) -> list[float]:
    """The EVIDENCE_FEATURES of one text; alias_weights has one weight per distinct alias that fired."""
    strong = sum(1 for w in alias_weights if w >= STRONG_WEIGHT)
    weak = sum(1 for w in alias_weights if w <= WEAK_WEIGHT)
    medium = len(alias_weights) - strong - weak
    return [
        min(strong, 3),
        min(medium, 3),
        min(weak, 3),
        1.0 if weak and not strong and not medium else 0.0,
        min(strong_context, 3),
        min(other_context, 5),
        min(cue_words, 4),
        min(technologies, 4),
        rule_score,
        1.0 if english else 0.0,
        ngram_score,
    ]


NGRAM_CHARS = 300  # the headline (training saw headlines), at most this long
_NGRAM_TOKEN = re.compile(r"[0-9a-z]+|[\uac00-\ud7a3]+")


def token_grams(token: str) -> list[str]:
    """The n-gram features of one word: the word ("w:" + word) and its character 2- and 3-grams
    with its boundaries marked ("<게임>" gives "<게", "게임", "임>", "<게임", "게임>")."""
    padded = f"<{token}>"
    return ["w:" + token, *(padded[i : i + n] for n in (2, 3) for i in range(len(padded) - n + 1))]


def ngram_tokens(text: str) -> list[str]:
    return _NGRAM_TOKEN.findall(text[:NGRAM_CHARS].lower())


def char_grams(text: str) -> list[str]:
    """The n-gram features of `text`, a word's grams once per occurrence of the word."""
    return [g for token in ngram_tokens(text) for g in token_grams(token)]


@dataclass(frozen=True)
class NgramModel:
    """Logistic regression on char_grams; a text's grams are weighted 1/sqrt(how many of them
    the model knows), so a long headline does not outvote a short one. Sums are kept per word
    (a bounded memo), so scoring a headline costs one dictionary look-up a word."""

    weights: dict[str, float] = field(default_factory=dict)
    bias: float = 0.0
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    def _token(self, token: str) -> tuple[float, int]:
        known = [self.weights[g] for g in token_grams(token) if g in self.weights]
        if len(self._memo) > 200_000:
            self._memo.clear()
        hit = self._memo[token] = (sum(known), len(known))
        return hit

    def logit(self, text: str) -> float:
        if not self.weights:
            return 0.0
        total, known = 0.0, 0
        memo = self._memo
        for token in ngram_tokens(text):
            weight, n = memo.get(token) or self._token(token)
            total += weight
            known += n
        return self.bias + (total / math.sqrt(known) if known else 0.0)

    def as_dict(self) -> dict:
        return {"bias": round(self.bias, 6), "weights": {g: round(w, 4) for g, w in sorted(self.weights.items())}}

    @classmethod
    def from_dict(cls, data: dict) -> NgramModel:
        return cls({g: float(w) for g, w in data.get("weights", {}).items()}, float(data.get("bias", 0.0)))


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


@dataclass(frozen=True)
class LinearModel:
    coef: tuple[float, ...]
    bias: float
    threshold: float  # chosen on Korean news (KLUE-YNAT), where digital items are ~6 %
    threshold_en: float = -1  # English: few English training texts, so its own threshold (-1: the same)

    def threshold_for(self, lang: str) -> float:
        return self.threshold_en if lang == "en" and self.threshold_en >= 0 else self.threshold

    def probability(self, features) -> float:
        return _sigmoid(self.bias + sum(c * x for c, x in zip(self.coef, features)))

    def probabilities(self, matrix: np.ndarray) -> np.ndarray:
        z = np.asarray(matrix, dtype=np.float64) @ np.asarray(self.coef) + self.bias
        return 1 / (1 + np.exp(-z))

    def as_dict(self) -> dict:
        return {
            "coef": [round(c, 6) for c in self.coef],
            "bias": round(self.bias, 6),
            "threshold": self.threshold,
            "threshold_en": self.threshold_en,
        }

    @classmethod
    def from_dict(cls, data: dict) -> LinearModel:
        return cls(
            tuple(float(c) for c in data["coef"]),
            float(data["bias"]),
            float(data["threshold"]),
            float(data.get("threshold_en", -1)),
        )


@dataclass(frozen=True)
class RelevanceModel:
    provisional: LinearModel  # on EVIDENCE_FEATURES
    final: LinearModel  # on EVIDENCE_FEATURES + the 512-d sentence vector
    info: dict  # training data and held-out figures, as train-relevance wrote them
    ngram: NgramModel = NgramModel()

    def ngram_score(self, text: str) -> float:
        return round(self.ngram.logit(text), 4)

    def provisional_probability(self, features: list[float]) -> float:
        return self.provisional.probability(features)

    def provisional_verdict(self, features: list[float], lang: str) -> tuple[float, bool]:
        """(relevance rounded to 4 places, digital) from alias evidence (the n-gram column is 0)."""
        return _verdict(self.provisional.probability, features, self.provisional.threshold_for(lang))

    def final_verdict(self, features: list[float], vector, lang: str) -> tuple[float, bool]:
        """(relevance rounded to 4 places, digital) from alias evidence and the sentence vector."""
        return _verdict(lambda f: self.final_probability(f, vector), features, self.final.threshold_for(lang))

    def final_probability(self, features: list[float], vector) -> float:
        row = np.concatenate([np.asarray(features, dtype=np.float64), np.asarray(vector, dtype=np.float64)])
        return float(self.final.probabilities(row[None, :])[0])

    def final_probabilities(self, features: np.ndarray, vectors: np.ndarray) -> np.ndarray:
        return self.final.probabilities(
            np.hstack([np.asarray(features, dtype=np.float64), np.asarray(vectors, dtype=np.float64)])
        )

    def save(self, path: Path = MODEL_PATH) -> None:
        data = {
            "features": list(EVIDENCE_FEATURES),
            "vector_dimensions": len(self.final.coef) - len(EVIDENCE_FEATURES),
            "provisional": self.provisional.as_dict(),
            "final": self.final.as_dict(),
            "info": self.info,
            "ngram": self.ngram.as_dict(),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


_WEAK = EVIDENCE_FEATURES.index("weak_aliases")
_ONLY_WEAK = EVIDENCE_FEATURES.index("only_weak_aliases")


def _without_weak(features: list[float]) -> list[float]:
    if not features[_ONLY_WEAK]:
        return features
    without = list(features)
    without[_WEAK] = without[_ONLY_WEAK] = 0.0
    return without


def _verdict(probability, features: list[float], threshold: float) -> tuple[float, bool]:
    """A generic word never decides alone: when weak aliases are the only aliases and the text
    is digital only with them ("game" in a basketball report), the verdict is taken without them."""
    score = probability(features)
    if score >= threshold and features[_ONLY_WEAK]:
        score = min(score, probability(_without_weak(features)))
    return round(score, 4), score >= threshold


def decide(model: LinearModel, matrix: np.ndarray, threshold: float) -> np.ndarray:
    """The verdicts of RelevanceModel.provisional_verdict / final_verdict for many rows at once
    (rows: evidence features, then the vector for the final model)."""
    matrix = np.asarray(matrix, dtype=np.float64)
    scores = model.probabilities(matrix)
    only_weak = matrix[:, _ONLY_WEAK] > 0
    if only_weak.any():
        without = matrix[only_weak].copy()
        without[:, [_WEAK, _ONLY_WEAK]] = 0.0
        scores[only_weak] = np.minimum(scores[only_weak], model.probabilities(without))
    return scores >= threshold


def load(path: Path = MODEL_PATH) -> RelevanceModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("features") != list(EVIDENCE_FEATURES):
        raise ValueError(f"{path} was trained on other features; run `seoulhub train-relevance`")
    return RelevanceModel(
        LinearModel.from_dict(data["provisional"]),
        LinearModel.from_dict(data["final"]),
        data.get("info", {}),
        NgramModel.from_dict(data.get("ngram", {})),
    )


@lru_cache(maxsize=1)
def default_model() -> RelevanceModel:
    """The shipped model; read once per process."""
    return load()


def fit_logistic(
    x: np.ndarray,
    y: np.ndarray,
    *,
    l2: float | np.ndarray = 1.0,
    positive_weight: float = 1.0,
    iterations: int = 50,
    sample_weight: np.ndarray | None = None,
) -> tuple[np.ndarray, float]:
    """L2-penalised logistic regression by Newton's method (deterministic). `l2` may be one value
    per column; the bias is not penalised. Row weights: `sample_weight` if given, else
    `positive_weight` for positive rows and 1 for the others. Returns (coef, bias)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1))])
    penalty = np.append(np.broadcast_to(np.asarray(l2, dtype=np.float64), (d,)), 0.0)
    weights = np.where(y > 0, positive_weight, 1.0) if sample_weight is None else np.asarray(sample_weight, float)
    w = np.zeros(d + 1)
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-(xb @ w)))
        gradient = xb.T @ (weights * (p - y)) + penalty * w
        hessian = (xb * (weights * p * (1 - p))[:, None]).T @ xb + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return w[:-1], float(w[-1])


def best_threshold(probabilities: np.ndarray, gold: np.ndarray, share: float | None = None) -> float:
    """The threshold (a multiple of 0.01) with the best F1 on (probabilities, gold); with `share`,
    the best F1 as if positives made up that share of the items (prf_at_share)."""
    gold = np.asarray(gold, dtype=bool)
    best, best_value = 0.5, -1.0
    for t in np.arange(0.05, 0.96, 0.01):
        predicted = np.asarray(probabilities) >= t
        value = (prf(predicted, gold) if share is None else prf_at_share(predicted, gold, share))["f1"]
        if value > best_value + 1e-12:
            best, best_value = round(float(t), 2), value
    return best


def prf_at_share(predicted, gold, share: float) -> dict:
    """Precision, recall and F1 if positives made up `share` of the items (negatives reweighted):
    a development set richer in positives than the news stream would flatter precision."""
    predicted = np.asarray(predicted, dtype=bool)
    gold = np.asarray(gold, dtype=bool)
    tp, fp = float(np.sum(predicted & gold)), float(np.sum(predicted & ~gold))
    fn = float(np.sum(~predicted & gold))
    fp *= share and (1 - share) / share * gold.sum() / max((~gold).sum(), 1)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"share": share, "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def prf(predicted, gold) -> dict:
    predicted = np.asarray(predicted, dtype=bool)
    gold = np.asarray(gold, dtype=bool)
    tp = int(np.sum(predicted & gold))
    fp = int(np.sum(predicted & ~gold))
    fn = int(np.sum(~predicted & gold))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}
