"""One attribute value of a vocabulary: its catalogue key, display names and the words merchants use for it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Value:
    """One attribute value: its catalogue key, display names and the words merchants use for it."""

    key: str
    en: str
    zh: str
    words_en: tuple[str, ...] = ()
    words_zh: tuple[str, ...] = ()


def _split(words: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in words.split(",") if w.strip())


def _v(key: str, en: str, zh: str, words_en: str = "", words_zh: str = "") -> Value:
    """A Value from comma-separated word lists."""
    return Value(key, en, zh, _split(words_en), _split(words_zh))
