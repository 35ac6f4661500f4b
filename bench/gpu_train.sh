#!/usr/bin/env bash
# One device call: train the Vitrine base model (two settings) and the seed-recipe DCGAN side by side
# for the same wall-clock budget on one GPU, then copy the models into $OUT (at most 8 files come back).
# Usage (on the device machine, repo root): bash bench/gpu_train.sh DATA MINUTES
set -u
DATA=${1:-.carry/fashion}; MIN=${2:-7}
export PYTHONUNBUFFERED=1
R=/tmp/runs; mkdir -p $R
nvidia-smi -L; python3 -c "import torch; print('torch', torch.__version__)"
python3 -m app train --data $DATA --out $R/a --batch 128 --lr 2e-4 --budget-minutes $MIN --sample-every 1000 --checkpoint-every 2000 --max-steps 1000000 --model-id vitrine-base > $R/a.log 2>&1 &
python3 -m app train --data $DATA --out $R/b --batch 64 --lr 1e-4 --lr-d 4e-4 --budget-minutes $MIN --sample-every 1000 --checkpoint-every 2000 --max-steps 1000000 --model-id vitrine-base > $R/b.log 2>&1 &
python3 -m app train --data $DATA --out $R/d --recipe dcgan --batch 128 --budget-minutes $MIN --sample-every 1000 --checkpoint-every 2000 --max-steps 1000000 --model-id dcgan-seed > $R/d.log 2>&1 &
wait
for r in a b d; do tail -n 3 $R/$r.log; done
cp $R/a/model/generator.safetensors $OUT/a_generator.safetensors
cp $R/a/model/discriminator.safetensors $OUT/a_discriminator.safetensors
cp $R/b/model/generator.safetensors $OUT/b_generator.safetensors
cp $R/b/model/discriminator.safetensors $OUT/b_discriminator.safetensors
cp $R/d/model/generator.safetensors $OUT/d_generator.safetensors
cd $R && tar cf $OUT/small.tar */model/config.json */metrics.jsonl */samples-latest.png *.log $(ls */samples-*.png | grep -v latest | awk 'NR%3==0') 2>/dev/null
ls -la $OUT
