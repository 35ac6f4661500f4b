"""The base-model run's curve (issue #15): classifier-FID (× its real-vs-real floor), KID, variety ÷ real and
product type ÷ ceiling per evaluated snapshot, against images seen and CPU seconds, with the shipped model beside.

Usage: .venv/bin/python bench/base_curve.py --out bench/results/base-v2-curve.json \
           --run v2=runs/v2 --run v2a=runs/v2a EVAL.json ...
Each EVAL.json is an `app evaluate` result; a model folder runs/<run>/snaps/step-N is placed at step N of <run>,
whose metrics.jsonl gives images seen and CPU seconds at that step.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_summary import rows  # noqa: E402  (bench/eval_summary.py)


def progress(run_dir: Path) -> dict[int, dict]:
    """step → {"images", "cpu_s"} from a run's metrics.jsonl."""
    out = {}
    for line in (run_dir / "metrics.jsonl").read_text(encoding="utf-8").splitlines():
        m = json.loads(line)
        if "step" in m and "images" in m:
            out[m["step"]] = {"images": m["images"], "cpu_s": round(m.get("cpu_s", 0.0))}
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("evals", nargs="+")
    ap.add_argument("--run", action="append", default=[], help="NAME=FOLDER of a training run")
    ap.add_argument("--out", required=True)
    ap.add_argument("--note", default="")
    a = ap.parse_args()
    runs = {k: Path(v) for k, v in (r.split("=", 1) for r in a.run)}
    seen = {k: progress(v) for k, v in runs.items()}
    points, shipped = [], None
    for path in a.evals:
        for r in rows(path):
            m = re.search(r"runs/([^/]+)/snaps/step-(\d+)", r["model"])
            if m is None:
                shipped = shipped or {**r, "eval": path}
                continue
            run, step = m.group(1), int(m.group(2))
            near = seen.get(run, {}).get(step) or {}
            points.append({"run": run, "step": step, **near, **r, "eval": path})
    points.sort(key=lambda p: (list(runs).index(p["run"]) if p["run"] in runs else 99, p["step"]))
    result = {"command": "python bench/base_curve.py " + " ".join(sys.argv[1:]), "note": a.note,
              "shipped": shipped, "points": points}
    Path(a.out).write_text(json.dumps(result, indent=1), encoding="utf-8")
    for p in points:
        print(p["run"], p["step"], p.get("cpu_s"), p["classifier_fid"], p.get("variety_vs_real"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
