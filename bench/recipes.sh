# Sourced by bench/recipe_compare.sh and bench/gpu_train.sh: the recipes of issue #15 as `app train` flags.
# recipe_flags NAME → sets GAN (JSON network overrides) and DIV (mode-seeking weight); returns 2 if unknown.
FIXED='"cond_norm": true, "mbstd_group": 4'
recipe_flags() {
  case $1 in
    old)             GAN='{}'; DIV=0 ;;
    fixed)           GAN="{$FIXED}"; DIV=3 ;;
    projected)       GAN="{$FIXED, \"disc\": \"projected\"}"; DIV=3 ;;
    projected+pixel) GAN="{$FIXED, \"disc\": \"projected+pixel\"}"; DIV=3 ;;
    control)         GAN="{$FIXED, \"disc\": \"projected\", \"proj_backbone\": \"lite0-random\"}"; DIV=3 ;;
    *) echo "unknown recipe $1" >&2; return 2 ;;
  esac
}
