#!/usr/bin/env bash
# Issue #15's CPU run, resumable (it continues from its own checkpoint when runs/<out>/checkpoint exists):
#   stage v2:  the shipped vitrine-base transplanted to vocabulary 2 + the fixed recipe (cond_norm, mbstd), lr 1e-4/4e-4
#   stage v2a: an anneal from a v2 snapshot at a quarter of the learning rate
# Usage: T=1 nice -n 10 bash bench/base_v2.sh v2|v2a [INIT]   (INIT for v2a: a v2 snapshot, e.g. runs/v2/snaps/step-4000)
# Snapshots: copy runs/<out>/model after each checkpoint (it is replaced each time); pick one by `app evaluate`
# and bench/base_curve.py, ship with bench/ship_snapshot.py.
set -eu
cd "$(dirname "$0")/.."
STAGE=${1:-v2}; OUT=runs/$STAGE
case $STAGE in
  v2)  INIT=${2:-models/vitrine-base}; LR="--lr 1e-4 --lr-d 4e-4" ;;
  v2a) INIT=${2:?a v2 snapshot}; LR="--lr 3e-5 --lr-d 1.2e-4" ;;
  *) echo "stage: v2 or v2a" >&2; exit 2 ;;
esac
R=""; [ -f "$OUT/checkpoint/state.json" ] && R="--resume"
OMP_NUM_THREADS=${T:-1} exec .venv/bin/python -m app train --data ../shared/datasets/fashion-small-64 --out "$OUT" \
  --init "$INIT" --vocab-version 2 --gan '{"cond_norm": true, "mbstd_group": 4}' --diversity-weight 3 \
  --batch 32 $LR --ema-beta 0.998 --precision bf16 --sample-every 100 --checkpoint-every 100 \
  --max-steps 1000000 --model-id vitrine-base $R
