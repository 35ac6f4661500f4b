"""A picture's pixels never depend on the batch it was painted in, while batches still pay off."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from app.engine.generate import SYNTH_BATCH, Engine, synthesis_spans
from app.engine.jobs import run_job
from app.engine.registry import Registry
from app.engine.text import TextConditioner
from app.paths import REPO_ROOT
from app.requests import GenerateRequest

from conftest import fake_embedder


@pytest.fixture(scope="module")
def base_engine(tmp_path_factory):
    """The shipped base model on the CPU (the text embedder is faked; the lexicon reads these descriptions)."""
    user = tmp_path_factory.mktemp("user-models")
    return Engine(Registry(REPO_ROOT / "models", user), device="cpu", text=TextConditioner(embedder=fake_embedder))


def test_spans_put_every_picture_in_its_own_row_and_fill_aligned_batches():
    assert synthesis_spans(0, 16) == [(0, 16, 0)]
    assert synthesis_spans(0, 64) == [(0, 16, 0), (16, 32, 0), (32, 48, 0), (48, 64, 0)]
    assert synthesis_spans(5, 1) == [(0, 1, 5)]
    assert synthesis_spans(14, 4) == [(0, 2, 14), (2, 4, 0)]
    for start, count in ((0, 1), (3, 40), (15, 17), (100, 64)):
        spans = synthesis_spans(start, count)
        covered = [k for a, b, _ in spans for k in range(a, b)]
        assert covered == list(range(count))
        assert all(slot == (start + a) % SYNTH_BATCH and slot + b - a <= SYNTH_BATCH for a, b, slot in spans)


@pytest.mark.parametrize("count", [16, 64])
def test_picture_alone_is_identical_to_the_same_picture_inside_a_batch(base_engine, count):
    batch = base_engine.generate(GenerateRequest("red leather handbag for women", seed=11, count=count))
    assert len(batch) == count
    for k in sorted({0, 1, 7, 15, count // 2 + 3, count - 1}):
        alone = base_engine.generate(batch[k].request)
        assert alone[0].request.count == 1 and alone[0].request.start == k
        assert np.array_equal(alone[0].pixels, batch[k].pixels), f"picture {k} of {count} changed when made alone"
    # Not a constant picture: the batch holds different products, so the comparison above can fail.
    assert len({b.pixels.tobytes() for b in batch}) == count


def test_unaligned_batches_with_sliders_and_variations_keep_every_picture(base_engine):
    directions = base_engine.load(None).directions
    offsets = ((directions[0].name, 1.5),) if directions else ()
    for req in (GenerateRequest("白色运动鞋", seed=2, count=20, start=9, offsets=offsets),
                GenerateRequest("black watch for men", seed=4, count=17, variation=0.35)):
        batch = base_engine.generate(req)
        for k in (0, 6, 7, len(batch) - 1):
            alone = base_engine.generate(replace(req, start=req.start + k, count=1))
            assert np.array_equal(alone[0].pixels, batch[k].pixels)


def test_slider_previews_look_the_same_as_the_kept_picture(base_engine):
    req = GenerateRequest("red leather handbag for women", seed=11, count=1, start=5)
    kept = base_engine.generate(req)[0].pixels.astype(int)
    preview = run_job(base_engine.generate_job(req, exact=False))[0].pixels.astype(int)  # the slider preview's way
    assert np.abs(preview - kept).max() <= 1  # a level in a rare pixel at most: the same picture to the eye
