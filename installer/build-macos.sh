#!/usr/bin/env bash
# Build Vitrine for macOS: dist/Vitrine.app and a disk image dist/Vitrine-<version>-macos-<arch>.dmg.
#
#   installer/build-macos.sh          the default PyPI wheel: Metal (MPS) on Apple silicon, CPU on Intel Macs
#
# Run it on a Mac of the target architecture (arm64 for Apple silicon; PyInstaller does not cross-build).
# Environment: PYTHON (default python3.11), VITRINE_TORCH_SPEC (default torch==2.14.1),
# VITRINE_CODESIGN_ID ("Developer ID Application: …" to sign; unsigned otherwise), VITRINE_NOTARY_PROFILE
# (a `xcrun notarytool store-credentials` profile name to notarise the DMG), KEEP_VENV=0 to recreate the venv.
# The Info.plist entries (bundle id, version, icon, dark mode, high-DPI) are in installer/vitrine.spec → BUNDLE.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
START=$(date +%s)
[ "$(uname -s)" = Darwin ] || { echo "build-macos.sh runs on macOS only (hdiutil, .app bundles)"; exit 2; }

PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
ARCH="$(uname -m)"            # arm64 or x86_64
VARIANT=mps; [ "$ARCH" = arm64 ] || VARIANT=cpu
BUILD_DIR="${VITRINE_BUILD_DIR:-$ROOT/installer/build}"
VENV="$BUILD_DIR/venv-macos-$ARCH"
PY="$VENV/bin/python"
TORCH_SPEC="${VITRINE_TORCH_SPEC:-torch==2.14.1}"   # macOS wheels on PyPI: CPU + MPS, no CUDA

mkdir -p "$BUILD_DIR"
if [ ! -f "$VENV/.vitrine-ready" ] || [ "${KEEP_VENV:-1}" != 1 ]; then
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$PY" -m pip install -q --upgrade pip
  "$PY" -m pip install -q "$TORCH_SPEC"
  DEPS=()
  while IFS= read -r line; do DEPS+=("$line"); done < <("$PY" -c "
import re, tomllib
for d in tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']:
    if re.split(r'[<>=!~ \[;]', d, 1)[0].lower() not in ('torch', 'torchvision'): print(d)")
  "$PY" -m pip install -q "${DEPS[@]}" "pyinstaller>=6.6"
  "$PY" -m pip install -q --no-deps "$ROOT"
  touch "$VENV/.vitrine-ready"
fi
"$PY" -c "import torch; print('torch', torch.__version__, '| MPS built:', torch.backends.mps.is_built(), '| MPS available:', torch.backends.mps.is_available())"
VERSION="$("$PY" -c "import sys; sys.path.insert(0, '.'); from app.about import version; print(version())")"

rm -rf dist/vitrine dist/Vitrine.app
VITRINE_TORCH_VARIANT="$VARIANT" "$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$ROOT/dist" --workpath "$BUILD_DIR/pyinstaller-macos-$ARCH" installer/vitrine.spec

# Quick check: paint one picture with the console entry inside the bundle.
SMOKE="$(mktemp -d)"
QT_QPA_PLATFORM=offscreen VITRINE_HOME="$SMOKE/home" dist/Vitrine.app/Contents/MacOS/vitrine-cli \
  generate "red heels" --count 1 --out "$SMOKE/out"
ls "$SMOKE"/out/*.png >/dev/null
rm -rf "$SMOKE"

if [ -n "${VITRINE_CODESIGN_ID:-}" ]; then  # deep-sign with the hardened runtime (needed for notarisation)
  codesign --force --deep --options runtime --timestamp --sign "$VITRINE_CODESIGN_ID" dist/Vitrine.app
fi

# The disk image: the app and a link to /Applications, compressed (UDZO).
DMG="dist/Vitrine-$VERSION-macos-$ARCH.dmg"
STAGE="$BUILD_DIR/dmg-stage"
rm -rf "$STAGE" "$DMG"; mkdir -p "$STAGE"
cp -R dist/Vitrine.app "$STAGE/"
ln -s /Applications "$STAGE/Applications"
hdiutil create -volname "Vitrine $VERSION" -srcfolder "$STAGE" -ov -format UDZO "$DMG"
rm -rf "$STAGE"
if [ -n "${VITRINE_CODESIGN_ID:-}" ]; then
  codesign --sign "$VITRINE_CODESIGN_ID" --timestamp "$DMG"
  if [ -n "${VITRINE_NOTARY_PROFILE:-}" ]; then
    xcrun notarytool submit "$DMG" --keychain-profile "$VITRINE_NOTARY_PROFILE" --wait
    xcrun stapler staple "$DMG"
  fi
fi
echo "== done in $(( $(date +%s) - START )) s: $DMG ($(du -h "$DMG" | cut -f1)); Vitrine.app $(du -sh dist/Vitrine.app | cut -f1)"
