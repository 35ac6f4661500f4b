"""Hostile files and kill -9 through the real command line: every case must end in a clear message or a correct
result — never a traceback, a hang (> 20 s) or a silently wrong picture.

Each case runs `python -m app …` in a fresh Vitrine home (the bundled models of this checkout, shop models
copied from vitrine-base and damaged on purpose) and is judged: "clear" (exit ≠ 0, one `vitrine:` sentence,
no traceback), "correct" (exit 0 and the output checked), or a failure ("traceback", "hang", "wrong").

Run: .venv/bin/python bench/hostile.py   → bench/results/hostile.json
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
HANG_S = 20.0
OUT = REPO / "bench" / "results" / "hostile.json"


class Bench:
    def __init__(self, root: Path):
        self.root = root
        self.home = root / "home"
        self.models = self.home / "data" / "models"
        self.models.mkdir(parents=True)
        self.env = {**os.environ, "VITRINE_HOME": str(self.home), "VITRINE_LANG": "en", "PYTHONPATH": str(REPO),
                    "QT_QPA_PLATFORM": "offscreen", "OMP_NUM_THREADS": "2"}
        self.results: list[dict] = []

    def cli(self, *args: str, timeout: float = 120.0, env: dict | None = None) -> tuple[int | None, str, str, float]:
        t0 = time.perf_counter()
        try:
            p = subprocess.run([sys.executable, "-m", "app", *args], cwd=REPO, capture_output=True, text=True,
                               timeout=timeout, env={**self.env, **(env or {})})
            return p.returncode, p.stdout, p.stderr, time.perf_counter() - t0
        except subprocess.TimeoutExpired:
            return None, "", "", time.perf_counter() - t0

    def case(self, name: str, args: list[str], expect: str, check=None, contains: str = "", hang_s: float = HANG_S,
             timeout: float = 120.0) -> None:
        """expect "clear" (a refusal with `contains` in it) or "correct" (exit 0 and check(stdout) true)."""
        rc, out, err, secs = self.cli(*args, timeout=timeout)
        if rc is None or secs > hang_s:
            verdict = "hang"
        elif "Traceback" in err:
            verdict = "traceback"
        elif expect == "either" and rc != 0:  # a refusal is right here, when it says why
            verdict = "clear" if "vitrine:" in err and contains.lower() in err.lower() else "wrong"
        elif expect == "either":
            verdict = "correct" if check is None or check(out, err) else "wrong"
        elif expect == "clear":
            verdict = "clear" if rc != 0 and "vitrine:" in err and contains.lower() in err.lower() else "wrong"
        else:
            verdict = "correct" if rc == 0 and (check is None or check(out, err)) else "wrong"
        self.results.append({"case": name, "verdict": verdict, "expected": expect, "exit": rc,
                             "seconds": round(secs, 2), "message": (err.strip().splitlines() or [""])[-1][:300]})
        print(f"{verdict:>9}  {secs:5.1f}s  {name}", flush=True)

    def shop_model(self, name: str, **changes) -> Path:
        folder = self.models / name
        shutil.copytree(REPO / "models" / "vitrine-base", folder)
        cfg = json.loads((folder / "config.json").read_text())
        for k, v in changes.items():
            if isinstance(v, dict) and isinstance(cfg.get(k), dict):
                cfg[k].update(v)
            else:
                cfg[k] = v
        cfg["id"] = cfg["name"] = name
        (folder / "config.json").write_text(json.dumps(cfg))
        return folder


def _sidecar(path: Path, **request) -> Path:
    path.write_text(json.dumps({"vitrine": 1, "request": {"description": "red heels", "seed": 1, **request}}))
    return path


def model_cases(b: Bench) -> None:
    damaged = {"bad-gan": {"gan": "x"}, "huge-res": {"gan": {"resolution": 1e9}},
               "huge-channels": {"gan": {"g_channels": [10 ** 7, 256, 128, 64, 32]}},
               "huge-z": {"gan": {"z_dim": 10 ** 12}}, "format-9": {"format_version": 9},
               "escape": {"files": {"../../../etc/hostname": "0" * 64}}}
    for name, changes in damaged.items():
        b.shop_model(name, **changes)
    b.shop_model("good")
    listed = lambda out, err: "good" in out and "vitrine-base" in out and out.count("DAMAGED") == len(damaged)  # noqa: E731
    b.case("models lists damaged models with reasons and keeps the others", ["models"], "correct", listed)
    for name in damaged:
        b.case(f"generate --model {name}", ["generate", "red heels", "--model", name, "--out", str(b.root / "o")],
               "clear", contains="damaged")
    b.case("models --export of a config naming ../../../etc/hostname",
           ["models", "--export", "escape", str(b.root / "escape.vitrine")], "clear", contains="damaged")
    ok = b.cli("models", "--export", "good", str(b.root / "good.vitrine"))[0] == 0
    data = bytearray((b.root / "good.vitrine").read_bytes()) if ok else bytearray(b"PK")
    data[len(data) // 2] ^= 0xFF  # inside a weight file: its bytes no longer match the listing's CRC-32
    (b.root / "lying.vitrine").write_bytes(bytes(data))
    b.case(".vitrine whose listing lies (bad CRC-32)", ["models", "--import", str(b.root / "lying.vitrine"), "--as", "x"],
           "clear", contains="damaged")
    b.case("models --delete a damaged model", ["models", "--delete", "bad-gan"], "correct",
           lambda out, err: not (b.models / "bad-gan").exists())


def request_cases(b: Bench) -> None:
    r = b.root
    b.case("regenerate: 10 MB description in a sidecar", ["regenerate", str(_sidecar(r / "long.json", description="x" * 10_000_000)),
                                                          "--out", str(r / "o")], "clear", contains="2,000")
    b.case("export: 10 MB description in a sidecar", ["export", str(r / "long.json"), "--to", str(r / "l")], "clear",
           contains="2,000")
    b.case("generate: 100 kB description", ["generate", "red heels " * 11_000, "--out", str(r / "o")], "clear",
           contains="2,000")
    for label, value in (("NaN", "NaN"), ("1e300", "1e300"), ("inf", "Infinity")):
        path = r / f"slider-{label}.json"
        path.write_text('{"request": {"description": "red heels", "offsets": {"brightness": %s}}}' % value)
        b.case(f"regenerate: slider offset {label}", ["regenerate", str(path), "--out", str(r / "o")], "clear",
               contains="slider")
    for field, value in (("count", 10 ** 9), ("size", 10 ** 6)):
        b.case(f"regenerate: {field} {value}", ["regenerate", str(_sidecar(r / f"{field}.json", **{field: value})),
                                                "--out", str(r / "o")], "clear", contains="not valid")
    other = _sidecar(r / "other.json", model_id="vitrine-base", model_hash="0123456789ab")
    b.case("regenerate: made by another version of vitrine-base", ["regenerate", str(other), "--out", str(r / "o")],
           "clear", contains="another version of vitrine-base")
    good = _sidecar(r / "good.json", model_id="vitrine-base", description="red heels for women")
    b.case("regenerate: an honest sidecar still works", ["regenerate", str(good), "--out", str(r / "good-out")], "correct",
           lambda out, err: len(list((r / "good-out").glob("*.png"))) == 1)


def _grey16(path: Path) -> Path:
    a = np.full((64, 96), 30000, np.uint16)
    a[:, :10] = 0
    Image.fromarray(a).save(path, format="TIFF")
    return path


def _rotated(path: Path) -> Path:
    a = np.full((40, 80, 3), 255, np.uint8)
    a[:8] = (220, 0, 0)
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.fromarray(a).save(path, format="JPEG", exif=exif.tobytes(), quality=95)
    return path


def image_cases(b: Bench) -> None:
    r = b.root
    grey, rot = _grey16(r / "grey16.tif"), _rotated(r / "phone.jpg")

    def not_white(out, err):
        g = np.asarray(Image.open(r / "up" / "grey16.png").convert("L"))
        return 90 < float(np.median(g)) < 140

    def upright(out, err):
        a = np.asarray(Image.open(r / "up2" / "phone.png").convert("RGB")).astype(int)
        return a[80, 110:118, 0].mean() > 150 and a[80, 110:118, 1].mean() < 100 and a[80, 42:50].min() > 200

    b.case("upscale: 16-bit grey TIFF", ["upscale", str(grey), "--out", str(r / "up"), "--size", "160", "--style", "faithful"], "correct", not_white)
    b.case("upscale: EXIF orientation 6", ["upscale", str(rot), "--out", str(r / "up2"), "--size", "160", "--style", "faithful"], "correct", upright)
    b.case("invert: 16-bit grey TIFF", ["invert", str(grey), "--out", str(r / "inv"), "--steps", "1", "--variations", "0"],
           "correct", lambda out, err: (r / "inv" / "reconstruction.png").exists(), hang_s=60)
    photos = r / "shop-photos"
    photos.mkdir()
    for i in range(6):
        a = np.full((96, 96, 3), 255, np.uint8)
        a[20:76, 30:66] = (200 - 20 * i, 30, 40)
        Image.fromarray(a).save(photos / f"red-heels-{i}.png")

    def changed(out, err):
        cfg = json.loads((b.models / "two-steps" / "config.json").read_text())
        base = json.loads((REPO / "models" / "vitrine-base" / "config.json").read_text())
        return cfg["files"]["generator.safetensors"] != base["files"]["generator.safetensors"]

    b.case("finetune: 2 steps never saves an unchanged copy of the base",
           ["finetune", "--photos", str(photos), "--name", "two-steps", "--max-steps", "2", "--preset", "quick"],
           "either", changed, contains="not yet closer", hang_s=300, timeout=400)
    (r / "dir.png").mkdir()
    b.case("finetune --photos dir.png (a folder)", ["finetune", "--photos", str(r / "dir.png"), "--name", "x"], "clear",
           contains="usable photo")


def kill_cases(b: Bench, n: int = 8) -> None:
    """Export killed at random points; the next start (any command) settles it: the whole batch or nothing."""
    rng = random.Random(0)
    files = []
    for i in range(4):
        files.append(_sidecar(b.root / f"k{i}.json", model_id="vitrine-base", seed=i, description="red heels for women"))
    cmd = [sys.executable, "-m", "app", "export", *map(str, files), "--preset", "custom", "--size", "256", "--to"]
    t0 = time.perf_counter()
    subprocess.run(cmd + [str(b.root / "listing-timed")], cwd=REPO, env=b.env, capture_output=True)
    full = time.perf_counter() - t0  # kill points spread over a whole run (a few after it ends)
    done = [x for x in (b.root / "listing-timed").iterdir() if not x.name.startswith(".")]
    b.results.append({"case": f"export of 4 pictures, not killed ({len(done)} files)", "expected": "correct",
                      "verdict": "correct" if len(done) == 2 * len(files) else "wrong", "exit": 0,
                      "seconds": round(full, 2), "message": ""})
    for k in range(n):
        to = b.root / f"listing-{k}"
        p = subprocess.Popen(cmd + [str(to)], cwd=REPO, env=b.env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.4, 1.1) * full)
        p.send_signal(signal.SIGKILL)
        p.wait()
        b.cli("models")  # the next start sweeps
        visible = [x for x in to.iterdir() if not x.name.startswith(".")] if to.exists() else []
        hidden = [x for x in to.iterdir() if x.name.startswith(".")] if to.exists() else []
        ok = len(visible) in (0, 2 * len(files)) and not hidden
        b.results.append({"case": f"export killed at a random point #{k + 1} ({len(visible)} files after the sweep)",
                          "verdict": "correct" if ok else "wrong", "expected": "correct", "exit": -9, "seconds": 0,
                          "message": ""})
        print(f"{'correct' if ok else 'wrong':>9}  kill #{k + 1}: {len(visible)} files", flush=True)


def main() -> int:
    t0 = time.time()
    with tempfile.TemporaryDirectory(prefix="vitrine-hostile-") as tmp:
        b = Bench(Path(tmp))
        model_cases(b)
        request_cases(b)
        image_cases(b)
        kill_cases(b)
    verdicts = [r["verdict"] for r in b.results]
    summary = {"command": ".venv/bin/python bench/hostile.py", "tried": len(verdicts),
               "clear": verdicts.count("clear"), "correct": verdicts.count("correct"),
               "traceback": verdicts.count("traceback"), "hang": verdicts.count("hang"), "wrong": verdicts.count("wrong"),
               "wall_s": round(time.time() - t0, 1), "cases": b.results}
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{summary['tried']} cases: {summary['clear']} clear, {summary['correct']} correct, {summary['traceback']} "
          f"tracebacks, {summary['hang']} hangs, {summary['wrong']} wrong → {OUT}")
    return 0 if summary["clear"] + summary["correct"] == summary["tried"] else 1


if __name__ == "__main__":
    sys.exit(main())
