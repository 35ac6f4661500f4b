"""One line per model of an `app evaluate` JSON: classifier-FID (× floor), KID, Inception FID, accuracy ÷ ceiling
(EN/ZH category), variety within a description ÷ real. Usage: python bench/eval_summary.py RESULT.json ..."""

from __future__ import annotations

import json
import sys


def rows(path: str) -> list[dict]:
    d = json.load(open(path, encoding="utf-8"))
    floor = d.get("floor_real_train_vs_val", {})
    out = []
    for name, m in d["models"].items():
        dist, acc = m.get("distribution", {}), m.get("accuracy", {})
        r = {"model": m.get("folder", name)}
        for space in ("classifier", "inception"):
            if space in dist:
                r[f"{space}_fid"] = round(dist[space]["fid"], 2)
                r[f"{space}_kid_x1000"] = round(1000 * dist[space]["kid"], 2)
                if space in floor:
                    r[f"{space}_x_floor"] = round(dist[space]["fid"] / floor[space]["fid"], 2)
        for lang in ("en", "zh"):
            if lang in acc:
                r[f"type_{lang}_vs_ceiling"] = round(acc[lang]["relative_to_ceiling"]["category"], 3)
        if "diversity" in m:
            r["variety_vs_real"] = round(m["diversity"]["mean_ratio"], 3)
        out.append(r)
    return out


if __name__ == "__main__":
    for p in sys.argv[1:]:
        for r in rows(p):
            print(json.dumps(r))
