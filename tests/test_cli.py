"""The command line end to end: pictures, sidecars, manifest, model list and one-sentence errors."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

import numpy as np
from PIL import Image

from app.cli import main
from app.output import read_request


def test_generate_writes_pngs_and_sidecars(vitrine_home, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["generate", "navy blue shirt for men", "--count", "3", "--seed", "5", "--out", str(out)]) == 0
    pngs = sorted(out.glob("*.png"))
    assert len(pngs) == 3
    for p in pngs:
        assert Image.open(p).size == (64, 64)
        side = json.loads(p.with_suffix(".json").read_text(encoding="utf-8"))
        assert side["request"]["description"] == "navy blue shirt for men"
        assert side["request"]["model_id"] == "tiny"
        assert read_request(p) == read_request(p.with_suffix(".json"))
    assert not list(out.glob(".*partial"))


def test_generate_from_prompt_csv_writes_manifest(vitrine_home, tmp_path):
    prompts = tmp_path / "p.csv"
    prompts.write_text("prompt_id,prompt\nshirt,navy blue shirt for men\nbag,\"女士黑色手提包, 皮革\"\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["generate", "--prompts", str(prompts), "--count", "2", "--seed", "10", "--out", str(out)]) == 0
    rows = list(csv.DictReader(open(out / "manifest.csv", encoding="utf-8")))
    assert [r["prompt_id"] for r in rows] == ["shirt", "shirt", "bag", "bag"]
    assert [int(r["seed"]) for r in rows] == [10, 11, 10, 11]
    for r in rows:
        assert (out / r["file_name"]).exists()
    # Same seed, different prompts: different pictures.
    a = np.asarray(Image.open(out / rows[0]["file_name"]))
    b = np.asarray(Image.open(out / rows[2]["file_name"]))
    assert not np.array_equal(a, b)


def test_models_lists_the_bundled_model(vitrine_home, capsys):
    assert main(["models"]) == 0
    text = capsys.readouterr().out
    assert "tiny" in text and "64" in text and "bundled" in text


def _error(capsys, argv):
    code = main(argv)
    err = capsys.readouterr().err.strip()
    return code, err


def test_errors_are_one_sentence_and_leave_nothing(vitrine_home, tmp_path, capsys):
    out = tmp_path / "out"
    code, err = _error(capsys, ["generate", "shirt", "--model", "nope", "--out", str(out)])
    assert code != 0 and "no model called 'nope'" in err and err.count("\n") == 0
    code, err = _error(capsys, ["generate", "  ", "--out", str(out)])
    assert code != 0 and "empty" in err
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    code, err = _error(capsys, ["generate", "shirt", "--out", str(blocker / "sub")])
    assert code != 0 and "cannot be written" in err
    bad = tmp_path / "bad.csv"
    bad.write_text("id,text\n1,shirt\n", encoding="utf-8")
    code, err = _error(capsys, ["generate", "--prompts", str(bad), "--out", str(out)])
    assert code != 0 and "prompt_id,prompt" in err
    assert not out.exists() or not any(out.iterdir())


def test_python_dash_m_app_runs(vitrine_home, tmp_path):
    out = tmp_path / "o"
    env = {**os.environ}
    r = subprocess.run([sys.executable, "-m", "app", "generate", "red heels", "--count", "1", "--out", str(out)],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert len(list(out.glob("*.png"))) == 1
    r = subprocess.run([sys.executable, "-m", "app", "generate", "red heels", "--model", "missing", "--out", str(out)],
                       capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 2 and r.stderr.startswith("vitrine: ")
