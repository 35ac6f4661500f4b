"""Reading a description as written: which words name the product, the product's own colour, and who it is for.

One left-to-right scan (a single regular expression, longest word first at each position) finds every
lexicon word with its place, so reading stays linear in the description's length. Then the rules:
* the product is the last product word of the first phrase that names one ("t-shirt dress" is a dress);
  after a product word, a new phrase begins where a part is named ("with", "featuring", "带", "配", …);
* its colour is a colour word of that phrase, the one nearest before the product word (else the first after
  it): "white shirt with black buttons" is white, "黑色纽扣的白色衬衫" is white;
* a pattern word (printed, floral, 印花) is a colour only when no colour is named;
* a word that is also a thing ("coffee", "wine", "rose", …) is a colour only where it modifies a known
  product: "coffee t-shirt" is brown, "coffee mug" has no colour (and no product Vitrine knows);
* "kids" / "children" / "儿童" leave the child's gender open (boys or girls) unless it is stated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.engine.vocab import Vocabulary

KIDS_WORDS = ("kids", "kid", "kids'", "kiddies", "children", "children's", "childrens", "child", "child's",
              "toddler", "toddlers", "儿童", "童装", "小孩", "孩子", "小朋友", "童")
PART_WORDS = ("with", "featuring", "having", "has", "w/", "带有", "配有", "搭配", "带", "配", "附", "镶")
PATTERN_WORDS = frozenset({"printed", "floral", "印花"})
# Colour words that also name things: colours only where they modify the product.
THING_COLOURS = frozenset({
    "coffee", "chocolate", "camel", "cognac", "tan", "ash", "cherry", "olive", "lime", "mint", "rose", "peach",
    "blush", "lavender", "violet", "lilac", "steel", "chrome", "mustard", "lemon", "cream", "nude", "skin", "sand",
    "wine", "rust", "coral", "tangerine", "bronze", "copper", "ebony", "ivory", "charcoal", "turquoise", "aqua",
    "orange", "navy", "denim blue", "melange", "metallic", "khaki"})
KIDS, PART = "kids", "part"


@dataclass(frozen=True)
class Hit:
    """One word found in the description: what it names (attribute + value index, or KIDS / PART) and where."""

    kind: str  # "category" | "colour" | "gender" | KIDS | PART
    index: int
    word: str
    start: int
    end: int


def _alternative(word: str) -> str:
    # Latin words need word boundaries ("men" must not fire inside "women"); CJK words do not have them.
    if re.search(r"[\u3400-\u9fff]", word):
        return re.escape(word)
    return r"(?<![a-z0-9])" + re.escape(word) + r"(?![a-z0-9])"


class Lexicon:
    """Every word of one vocabulary version (plus the rule words) compiled into one scanner."""

    def __init__(self, voc: Vocabulary):
        self.vocabulary = voc
        table: dict[str, tuple[str, int]] = {}
        for w in KIDS_WORDS:
            table[w] = (KIDS, -1)
        for w in PART_WORDS:
            table[w] = (PART, -1)
        for attribute, values in voc.attributes.items():
            for i, v in enumerate(values):
                for w in (v.en, v.zh, *v.words_en, *v.words_zh):
                    table.setdefault(w.lower(), (attribute, i))
        self.table = table
        words = sorted(table, key=lambda w: (-len(w), w))
        self.pattern = re.compile("|".join(_alternative(w) for w in words))

    def scan(self, text: str) -> list[Hit]:
        """Every lexicon word in `text` (already lower-case), left to right, never overlapping."""
        return [Hit(*self.table[m.group(0)], m.group(0), m.start(), m.end()) for m in self.pattern.finditer(text)]


@dataclass(frozen=True)
class Reading:
    """What the words of a description name outright: attribute → (value index, word), and the product phrase."""

    found: dict[str, tuple[int, str]]
    kids: str  # the kids word when the child's gender is left open, else ""
    phrase: tuple[int, int] | None  # span of the phrase that names the product (None: no product word)


def _phrases(hits: list[Hit], length: int) -> list[tuple[int, int]]:
    # A part word starts a new phrase only after a product was named ("黑色带帽卫衣" is one phrase).
    first = next((h.start for h in hits if h.kind == "category"), length)
    bounds = [0] + [h.start for h in hits if h.kind == PART and h.start > first] + [length]
    return list(zip(bounds[:-1], bounds[1:]))


def _product(hits: list[Hit], phrases: list[tuple[int, int]]) -> tuple[Hit | None, tuple[int, int] | None]:
    for a, b in phrases:
        inside = [h for h in hits if h.kind == "category" and a <= h.start < b]
        if inside:
            return inside[-1], (a, b)
    return None, None


def _colour(hits: list[Hit], product: Hit | None, phrase: tuple[int, int] | None) -> Hit | None:
    colours = [h for h in hits if h.kind == "colour"]
    if product is not None:
        colours = [h for h in colours if phrase[0] <= h.start < phrase[1]]
    else:
        colours = [h for h in colours if h.word not in THING_COLOURS]
    named = [h for h in colours if h.word not in PATTERN_WORDS]
    pool = named or colours
    if not pool:
        return None
    if product is None:
        return pool[0]
    before = [h for h in pool if h.start < product.start]
    return before[-1] if before else pool[0]


def _gender(hits: list[Hit], voc: Vocabulary) -> tuple[Hit | None, str]:
    kids = next((h for h in hits if h.kind == KIDS), None)
    stated = next((h for h in hits if h.kind == "gender"), None)
    if kids is None or stated is None:
        return stated, kids.word if kids and not stated else ""
    # "儿童 男款" / "kids' men's style": a child, so boys or girls.
    key = voc.keys("gender")[stated.index]
    child = {"Men": "Boys", "Women": "Girls"}.get(key)
    if child is None or voc.index_of("gender", child) is None:
        return stated, ""
    return Hit("gender", voc.index_of("gender", child), stated.word, stated.start, stated.end), ""


def read(lexicon: Lexicon, text: str) -> Reading:
    """Apply the rules of this module to a lower-case description."""
    hits = lexicon.scan(text)
    product, phrase = _product(hits, _phrases(hits, len(text)))
    colour = _colour(hits, product, phrase)
    gender, kids = _gender(hits, lexicon.vocabulary)
    found = {h.kind: (h.index, h.word) for h in (product, colour, gender) if h is not None}
    return Reading(found, kids, phrase)
