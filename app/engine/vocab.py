"""The attribute vocabularies a model can be conditioned on (versioned), with English and Chinese words for each value.

A model is conditioned on one vocabulary version for life: its config.json records `vocab_version` (absent = 1,
the 44 product types of the first shipped model) and its condition vector is always built with that version.
New training runs use CURRENT_VERSION. The module-level helpers (ATTRIBUTES, keys, index_of, condition_size)
describe the current version, for new runs and for menus; anything that feeds a model uses `for_config`.
"""

from __future__ import annotations

import json
from pathlib import Path

from app.engine import vocab_v1, vocab_v2
from app.engine.checkpoints import ModelError, read_config
from app.engine.vocab_types import Value

__all__ = ["Value", "Vocabulary", "get", "for_config", "for_run", "version_of", "CURRENT_VERSION", "VERSIONS"]


class Vocabulary:
    """One version of the vocabulary: per attribute its values in condition-vector order, plus alias tables."""

    def __init__(self, version: int, attributes: dict[str, tuple[Value, ...]], aliases: dict[str, dict[str, str]]):
        self.version = version
        self.attributes = attributes  # "category" | "colour" | "gender" → values, in condition order
        self.aliases = aliases  # attribute → {catalogue value: key of this vocabulary}
        self._keys = {a: [v.key for v in values] for a, values in attributes.items()}
        self._index = {a: {k: i for i, k in enumerate(ks)} for a, ks in self._keys.items()}

    def __repr__(self) -> str:
        return f"Vocabulary(version={self.version}, categories={len(self.attributes['category'])})"

    def keys(self, attribute: str) -> list[str]:
        """The catalogue keys of one attribute, in condition-vector order."""
        return list(self._keys[attribute])

    def index_of(self, attribute: str, catalogue_value: str) -> int | None:
        """Map a catalogue value (or an alias of one) to its index, or None when it is not learnable."""
        value = self.aliases[attribute].get(catalogue_value, catalogue_value)
        return self._index[attribute].get(value)

    def value(self, attribute: str, catalogue_value: str) -> Value | None:
        i = self.index_of(attribute, catalogue_value)
        return None if i is None else self.attributes[attribute][i]

    def condition_size(self) -> int:
        """Length of the condition vector: one probability block per attribute."""
        return sum(len(v) for v in self.attributes.values())

    def as_config(self) -> dict[str, list[str]]:
        """The key lists a model's config.json records beside `vocab_version`."""
        return {a: self.keys(a) for a in self.attributes}


def _build(module) -> Vocabulary:
    return Vocabulary(
        {vocab_v1: 1, vocab_v2: 2}[module],
        {"category": module.CATEGORIES, "colour": module.COLOURS, "gender": vocab_v1.GENDERS},
        {"category": module.ALIASES, "colour": module.COLOUR_ALIASES, "gender": vocab_v1.GENDER_ALIASES})


VERSIONS: dict[int, Vocabulary] = {1: _build(vocab_v1), 2: _build(vocab_v2)}
CURRENT_VERSION = 2
LEGACY_VERSION = 1  # what a config without `vocab_version` was made with


def get(version: int | None = None) -> Vocabulary:
    """The vocabulary of `version` (None = the current one); ModelError for a version this Vitrine does not know."""
    if version is None:
        return VERSIONS[CURRENT_VERSION]
    if type(version) is not int or version not in VERSIONS:
        raise ModelError(f"This model was made for product vocabulary version {str(version)[:20]}, which this "
                         f"Vitrine does not know (it knows {', '.join(map(str, VERSIONS))}). Update Vitrine to use it.")
    return VERSIONS[version]


def version_of(config: dict) -> object:
    """The vocabulary version a model or classifier config records (absent = 1, the first shipped vocabulary)."""
    return config.get("vocab_version", LEGACY_VERSION) if isinstance(config, dict) else LEGACY_VERSION


def for_config(config: dict, name: str = "") -> Vocabulary:
    """The vocabulary a model folder's config.json was made with, checked against what it records.

    Raises ModelError (one sentence for the merchant) when the version is unknown, or when the recorded key
    lists or the condition size do not match that version (a model must never be silently re-mapped).
    """
    label = f"The model {name}" if name else "This model"
    try:
        voc = get(version_of(config))
    except ModelError:
        raise ModelError(f"{label} was made for product vocabulary version {str(version_of(config))[:20]}, which "
                         f"this Vitrine does not know (it knows {', '.join(map(str, VERSIONS))}). "
                         "Update Vitrine to use it.") from None
    recorded = config.get("vocabulary") if isinstance(config, dict) else None
    gan = config.get("gan") if isinstance(config, dict) else None
    cond = gan.get("cond_dim", 0) if isinstance(gan, dict) else 0
    if (recorded is not None and recorded != voc.as_config()) or cond not in (0, voc.condition_size()):
        raise ModelError(f"{label} does not match product vocabulary version {voc.version} that it names "
                         "(its products or colours differ); it cannot be used safely.")
    return voc


def for_run(requested: int | None, init: str | Path | None = None, checkpoint: Path | None = None) -> Vocabulary:
    """The vocabulary of a training run: `requested` when given with an --init model (its weights are transplanted,
    see transplant.py), else the --init model's own, else a resumed run's own (its checkpoint folder), else
    `requested` (None: the current version)."""
    if init and requested is not None:
        return get(requested)
    if init:
        return for_config(read_config(Path(init)), Path(init).name)
    state = Path(checkpoint) / "state.json" if checkpoint else None
    if state is not None and state.is_file():
        meta = json.loads(state.read_text(encoding="utf-8"))
        version = (meta.get("request") or {}).get("vocab_version")
        if version is None:  # a run started before vocabularies had versions: its condition size tells which
            cond = (meta.get("gan") or {}).get("cond_dim")
            version = next((v for v, voc in VERSIONS.items() if voc.condition_size() == cond), None)
        if version is not None:
            return get(version)
    return get(requested)


# ---- the current version, for new training runs and menus ---------------------------------------------------
_CURRENT = VERSIONS[CURRENT_VERSION]
CATEGORIES: tuple[Value, ...] = _CURRENT.attributes["category"]
COLOURS: tuple[Value, ...] = _CURRENT.attributes["colour"]
GENDERS: tuple[Value, ...] = _CURRENT.attributes["gender"]
ATTRIBUTES: dict[str, tuple[Value, ...]] = _CURRENT.attributes
ALIASES: dict[str, str] = _CURRENT.aliases["category"]
COLOUR_ALIASES: dict[str, str] = _CURRENT.aliases["colour"]
ALIAS_TABLES: dict[str, dict[str, str]] = _CURRENT.aliases


def keys(attribute: str) -> list[str]:
    """The current version's catalogue keys of one attribute, in condition-vector order."""
    return _CURRENT.keys(attribute)


def index_of(attribute: str, catalogue_value: str) -> int | None:
    """The current version's index of a catalogue value (or alias), or None when it is not learnable."""
    return _CURRENT.index_of(attribute, catalogue_value)


def condition_size() -> int:
    """Length of the current version's condition vector (new training runs)."""
    return _CURRENT.condition_size()
