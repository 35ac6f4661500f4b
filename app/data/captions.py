"""Build varied English and Simplified Chinese product descriptions from catalogue attributes."""

from __future__ import annotations

import random

from app.engine import vocab

EN_TEMPLATES = (
    "{colour} {category} for {gender}",
    "{gender}'s {colour} {category}",
    "{colour} {category}",
    "a {colour} {category} for {gender}",
    "{category} in {colour}, {gender}",
    "{gender} {colour} {category}",
    "stylish {colour} {category} for {gender}",
)
ZH_TEMPLATES = (
    "{gender}{colour}{category}",
    "{colour}{category}",
    "{gender}款{colour}{category}",
    "{colour}的{gender}{category}",
    "时尚{gender}{colour}{category}",
)


def caption(attributes: dict[str, str], lang: str = "en", rng: random.Random | None = None,
            vocabulary: vocab.Vocabulary | None = None) -> str:
    """A description of a product with catalogue `attributes` (category, colour, gender keys), in the words of
    `vocabulary` (default: the current one).

    Attributes that are missing or unknown are left out of the sentence.
    """
    rng = rng or random.Random(0)
    voc = vocabulary or vocab.get()
    parts = {}
    for attribute in ("category", "colour", "gender"):
        v = voc.value(attribute, attributes.get(attribute, ""))
        if v is None:
            parts[attribute] = ""
        elif lang == "zh":
            parts[attribute] = rng.choice((v.zh,) + v.words_zh[:1])
        else:
            parts[attribute] = rng.choice((v.en,) + v.words_en[:1])
    template = rng.choice(ZH_TEMPLATES if lang == "zh" else EN_TEMPLATES)
    if not parts["gender"]:
        template = template.replace("{gender}'s ", "").replace(" for {gender}", "").replace("{gender}款", "")
        template = template.replace(", {gender}", "").replace("{gender}", "")
    text = template.format(**parts)
    return " ".join(text.replace(" ,", ",").split()).strip(" ,")
