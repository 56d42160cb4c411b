"""Language detection: Hangul share first, then a small script/stop-word detector.

Korean headlines mix Hangul with Latin acronyms (AI, 5G), so a text is Korean when Hangul
syllables make up at least 30% of its letters. Otherwise the script decides (kana -> ja,
Han -> zh, Cyrillic -> ru), and Latin text is told apart by stop words (en, de, fr, es, pt, it).
"""

from __future__ import annotations

import re

_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LETTER = re.compile(r"[^\W\d_]")
_LATIN_WORD = re.compile(r"[A-Za-zÀ-ÿ]+")
_ASCII_NON_LETTER_TO_SPACE = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalpha()})

HANGUL_SHARE_FOR_KOREAN = 0.3

STOPWORDS = {
    "en": set(
        "a the of and to in is for on with that this are we by from as an be it at or our which "
        "can these has have was were not its their new how do".split()
    ),
    "de": set("der die das und ist nicht mit von den zu für auf ein eine des im dem sich".split()),
    "fr": set("le la les et est de des une un du dans pour que qui sur pas au aux avec ce".split()),
    "es": set("el la los las y es de del en que por una un para con se al lo como".split()),
    "pt": set("o a os as e é de do da em que para com uma um não dos das se ao".split()),
    "it": set("il lo la gli le e è di che per con una un del della non si nel".split()),
}


def _languages_of_stopwords() -> dict[str, list[str]]:
    languages: dict[str, list[str]] = {}
    for lang, words in STOPWORDS.items():
        for word in words:
            languages.setdefault(word, []).append(lang)
    return languages


# Stop word -> the languages it counts for, so one pass over the words scores every language.
_LANGUAGES_OF_STOPWORD = _languages_of_stopwords()


def hangul_share(text: str) -> float:
    letters = len(_LETTER.findall(text))
    return len(_HANGUL.findall(text)) / letters if letters else 0.0


def detect(text: str, hint: str = "") -> str:
    """ISO 639-1 code of `text`'s language; `hint` (a source's language) breaks ties; "" if unknown."""
    if not text or not text.strip():
        return hint
    sample = text[:4000]
    if sample.isascii():  # no Hangul, kana, Han or Cyrillic to count: straight to the stop words
        return _latin_language(sample, text, hint)
    n = len(_LETTER.findall(sample))
    if not n:
        return hint
    if len(_HANGUL.findall(sample)) / n >= HANGUL_SHARE_FOR_KOREAN:
        return "ko"
    if len(_KANA.findall(sample)) / n >= 0.1:
        return "ja"
    if len(_HAN.findall(sample)) / n >= 0.3:
        return "zh"
    if len(_CYRILLIC.findall(sample)) / n >= 0.3:
        return "ru"
    return _latin_language(sample, text, hint)


def _latin_language(sample: str, text: str, hint: str) -> str:
    if sample.isascii():  # the same words as _LATIN_WORD finds, split in C rather than by regex
        words = sample.translate(_ASCII_NON_LETTER_TO_SPACE).split()
    else:
        words = _LATIN_WORD.findall(sample)
    if not words:
        return hint
    # Acronyms are not stop words: "LA-Pose", "AU-LLM", "CE" in English titles read as la, au, ce.
    words = [word.lower() for word in words if not word.isupper()]
    scores = dict.fromkeys(STOPWORDS, 0)  # in STOPWORDS order: max() below keeps the first best
    for word in words:
        languages = _LANGUAGES_OF_STOPWORD.get(word)
        if languages:
            for lang in languages:
                scores[lang] += 1
    best = max(scores, key=scores.__getitem__)
    if scores[best] == 0:
        # Titles without stop words ("Diffusion Transformers for 3D Scenes"): trust the hint,
        # else call ASCII text English.
        return hint or ("en" if text.isascii() else "")
    if hint and scores.get(hint, 0) == scores[best]:
        return hint
    if best != "en" and scores[best] < 2 and text.isascii():
        # One stray word ("Non-Linear", "Per-Token", "un$^2$CLIP") does not make an ASCII title
        # Italian or French; text in those languages has several stop words (and accents).
        return hint or "en"
    return best
