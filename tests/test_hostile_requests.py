"""Requests read from files, round two: a 10 MB description, NaN or 1e300 sliders, absurd counts and sizes are
refused at once with the limit named; a picture made by another version of a model says exactly that."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.cli import main
from app.engine.text import TextConditioner
from app.reopen import ReopenError, open_request, unavailable
from app.request_limits import MAX_DESCRIPTION, SLIDER_RANGE
from app.requests import GenerateRequest
from tests.conftest import fake_embedder

REPO = Path(__file__).resolve().parents[1]


def _sidecar(tmp_path: Path, name: str = "pic.json", **request) -> Path:
    data = {"description": "red heels", "seed": 1, "count": 1, **request}
    path = tmp_path / name
    path.write_text(json.dumps({"vitrine": 1, "request": data}), encoding="utf-8")
    return path


def test_a_10_mb_description_in_a_sidecar_is_refused_at_once(tmp_path):
    path = _sidecar(tmp_path, description="红色高跟鞋 " * 1_700_000)
    t0 = time.perf_counter()
    with pytest.raises(ReopenError, match="2,000"):
        open_request(path)
    assert time.perf_counter() - t0 < 5


def test_a_long_description_inside_a_png_is_refused(tmp_path):
    good = GenerateRequest(description="red heels")
    hostile = json.loads(good.to_json())
    hostile["description"] = "x" * 100_000
    import numpy as np
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_itxt("vitrine:request", json.dumps(hostile))
    path = tmp_path / "long.png"
    Image.fromarray(np.zeros((8, 8, 3), np.uint8)).save(path, pnginfo=info)
    with pytest.raises(ReopenError, match="100,000 characters.*2,000"):
        open_request(path)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 1e300, -1e300, SLIDER_RANGE + 0.01])
def test_slider_offsets_must_be_finite_and_in_range(tmp_path, value):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"request": {"description": "red heels", "offsets": {"brightness": value}}})
                    .replace("Infinity", "1e999"))
    with pytest.raises(ReopenError, match="slider"):
        open_request(path)


@pytest.mark.parametrize("field,value", [("count", 10 ** 9), ("size", 10 ** 6), ("size", 1), ("start", -1),
                                         ("truncation", 1e9), ("variation", -3), ("seed", 10 ** 30)])
def test_counts_and_sizes_must_be_within_the_app_limits(tmp_path, field, value):
    with pytest.raises(ReopenError, match="not valid|outside"):
        open_request(_sidecar(tmp_path, **{field: value}))


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=8), st.floats(allow_nan=True, allow_infinity=True), max_size=4))
def test_any_offsets_either_load_within_range_or_are_refused(offsets):
    try:
        req = GenerateRequest.from_dict({"description": "red heels", "offsets": offsets})
    except ValueError:
        return
    assert all(math.isfinite(v) and abs(v) <= SLIDER_RANGE for _, v in req.offsets)


def test_the_regenerate_command_refuses_a_huge_description_quickly(tmp_path):
    path = _sidecar(tmp_path, description="x" * 10_000_000)
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "app", "regenerate", str(path), "--out", str(tmp_path / "o")],
                         cwd=REPO, capture_output=True, text=True, timeout=60,
                         env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "VITRINE_HOME": str(tmp_path / "h"),
                              "VITRINE_LANG": "en"})
    assert out.returncode == 2 and "2,000" in out.stderr and "Traceback" not in out.stderr
    assert time.perf_counter() - t0 < 20


def test_generate_refuses_a_100_kb_description_before_any_work(vitrine_home, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("VITRINE_LANG", "en")
    t0 = time.perf_counter()
    assert main(["generate", "red heels " * 11_000, "--out", str(tmp_path / "o")]) == 2
    assert "at most 2,000 are allowed" in capsys.readouterr().err
    assert time.perf_counter() - t0 < 5


def test_understanding_stays_quick_for_any_length():
    text = TextConditioner(embedder=fake_embedder)
    t0 = time.perf_counter()
    text.understand("navy blue shirt for men " * 50)
    short = time.perf_counter() - t0
    t0 = time.perf_counter()
    u = text.understand("navy blue shirt for men " * 40_000)  # ~1 MB
    assert time.perf_counter() - t0 < max(2.0, 20 * short)
    assert u.guess("category").source == "words"


def test_another_version_of_a_model_is_named_as_such(tiny_engine, monkeypatch):
    monkeypatch.setenv("VITRINE_LANG", "en")
    installed = tiny_engine.registry.find("tiny").model_hash
    req = GenerateRequest(description="red heels", model_id="tiny", model_hash="a4a6ff4f5982")
    why = unavailable(tiny_engine, req)
    assert why.startswith("This picture was made with another version of tiny (a4a6ff…); installed: tiny "
                          f"({installed[:6]}…)")
    monkeypatch.setenv("VITRINE_LANG", "zh")
    assert "另一个版本" in unavailable(tiny_engine, req)
    gone = GenerateRequest(description="red heels", model_id="vitrine-old", model_hash="a4a6ff4f5982")
    monkeypatch.setenv("VITRINE_LANG", "en")
    assert "not installed. Installed: tiny" in unavailable(tiny_engine, gone)
    assert unavailable(tiny_engine, GenerateRequest(description="red heels", model_id="tiny")) is None


def test_a_normal_request_still_round_trips(tmp_path):
    req = GenerateRequest(description="男士深蓝色衬衫", seed=3, count=2, offsets=(("brightness", 1.5),), size=512)
    assert GenerateRequest.from_dict(json.loads(req.to_json())) == req
    longest = GenerateRequest(description="x" * MAX_DESCRIPTION)
    assert GenerateRequest.from_dict(json.loads(longest.to_json())) == longest
