#!/usr/bin/env bash
# Recipe comparison for issue #15: every recipe trained FROM SCRATCH for the same process CPU time
# (--budget-cpu-minutes: fair on a shared machine), then measured together by `app evaluate`.
# Usage: bash bench/recipe_compare.sh DATA CPU_MINUTES OUT_DIR [recipe ...]
# The recipes run side by side, one thread each (OMP_NUM_THREADS=1: no spin-waiting threads inflating CPU time).
# Recipes: old fixed projected projected+pixel control (control = projected on a randomly initialised Lite0).
set -eu
mkdir -p "${3:?out dir}"
DATA=${1:?data folder}; CPU_MIN=${2:?cpu minutes}; OUT=${3:?out dir}; shift 3
RECIPES=${*:-old fixed projected projected+pixel control}
PY=${PY:-.venv/bin/python}
COMMON="--data $DATA --batch 32 --precision bf16 --limit 20000 --sample-every 200 --checkpoint-every 200 --max-steps 1000000 --budget-cpu-minutes $CPU_MIN --ema-rampup 0.05"
. "$(dirname "$0")/recipes.sh"
for r in $RECIPES; do
  recipe_flags "$r"
  name=${r/+/-}
  RESUME=""; [ -f "$OUT/$name/checkpoint/state.json" ] && RESUME="--resume"
  echo "== $r: gan $GAN, diversity $DIV"
  OMP_NUM_THREADS=${OMP_NUM_THREADS:-1} $PY -m app train $COMMON --out "$OUT/$name" --gan "$GAN" --diversity-weight $DIV \
    --model-id "cmp-$name" $RESUME > "$OUT/$name.log" 2>&1 &
done
wait
for r in $RECIPES; do echo "== $r"; tail -n 2 "$OUT/${r/+/-}.log"; done
