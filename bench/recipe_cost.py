"""Training cost per recipe from a `bench/recipe_compare.sh` run: steps and images per CPU-second.

    .venv/bin/python bench/recipe_cost.py runs/cmp [--out bench/results/recipe-cost.json]

Reads each recipe's metrics.jsonl (written every 50 steps with the process CPU time) and config.json.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def cost(run: Path) -> dict | None:
    rows = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines() if line.strip()]
    rows = [r for r in rows if r.get("cpu_s")]
    if not rows:
        return None
    last = rows[-1]
    gan = json.loads((run / "model" / "config.json").read_text())["gan"] if (run / "model" / "config.json").exists() else {}
    return {"steps": last["step"], "images": last["images"], "cpu_s": last["cpu_s"],
            "steps_per_cpu_s": round(last["step"] / last["cpu_s"], 3),
            "cpu_s_per_step": round(last["cpu_s"] / last["step"], 2),
            "disc": gan.get("disc", "pixel"), "backbone": gan.get("proj_backbone") if gan.get("disc", "pixel") != "pixel" else None}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("runs", type=Path)
    ap.add_argument("--out", type=Path, default=Path("bench/results/recipe-cost.json"))
    a = ap.parse_args(argv)
    result = {name.name: c for name in sorted(a.runs.iterdir()) if name.is_dir() and (c := cost(name))}
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps({"runs": str(a.runs), "note": "one thread per recipe, batch 32, bf16, side by side "
                                 "on 2 shared cores; cpu_s = process CPU time at the last logged step",
                                 "recipes": result}, indent=2) + "\n")
    for k, v in result.items():
        print(k, v)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
