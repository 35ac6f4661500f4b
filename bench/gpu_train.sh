#!/usr/bin/env bash
# One device call (a lent GPU): the issue-#15 recipes from scratch side by side on one GPU for the same wall-clock
# budget each, then the models and their curves copied into $OUT (small files only).
# Usage (device machine, repo root): bash bench/gpu_train.sh DATA MINUTES [recipe ...]
#   DATA: a folder with captions.csv + images-*.tar (carry at most two shards, e.g. .carry/fashion)
#   recipes (bench/recipes.sh): old fixed projected projected+pixel control; default: all five.
# Tested on the CPU with: PY=.venv/bin/python OUT=/tmp/gpu-out DEVICE=cpu bash bench/gpu_train.sh DATA 0.3 fixed
set -u
DATA=${1:-.carry/fashion}; MIN=${2:-7}; shift 2 2>/dev/null || shift $#
RECIPES=${*:-old fixed projected projected+pixel control}
PY=${PY:-python3}; OUT=${OUT:?set OUT (the device tool sets it)}; DEVICE=${DEVICE:-auto}
export PYTHONUNBUFFERED=1
. "$(dirname "$0")/recipes.sh"
R=${RUNS:-/tmp/runs}; mkdir -p "$R" "$OUT"
command -v nvidia-smi >/dev/null && nvidia-smi -L
$PY -c "import torch; print('torch', torch.__version__, 'cuda', torch.cuda.is_available())"
for r in $RECIPES; do
  recipe_flags "$r" || exit 2
  name=${r/+/-}
  $PY -m app train --data "$DATA" --out "$R/$name" --device "$DEVICE" --batch 64 --precision bf16 --lr 2e-4 \
    --budget-minutes "$MIN" --sample-every 1000 --checkpoint-every 2000 --max-steps 10000000 \
    --gan "$GAN" --diversity-weight "$DIV" --model-id "gpu-$name" > "$R/$name.log" 2>&1 &
done
wait
for r in $RECIPES; do
  name=${r/+/-}; tail -n 2 "$R/$name.log"
  mkdir -p "$OUT/$name"
  cp "$R/$name/model/generator.safetensors" "$R/$name/model/config.json" "$R/$name/metrics.jsonl" "$OUT/$name/" 2>/dev/null
  cp "$R/$name/samples-latest.png" "$OUT/$name/" 2>/dev/null
done
ls -la "$OUT"/*
