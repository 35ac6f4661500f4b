#!/usr/bin/env bash
# Build Vitrine for Linux: dist/vitrine/ (PyInstaller one-folder app with models and resources), a .desktop entry
# and the icon, packed as dist/vitrine-<version>-linux-<arch>[-cuda].tar.gz.
#
#   installer/build-linux.sh            CPU PyTorch (works everywhere; smallest bundle)
#   installer/build-linux.sh --cuda     CUDA PyTorch from PyPI (NVIDIA GPUs; adds ~3 GB of CUDA libraries)
#   VITRINE_TORCH=cuda installer/build-linux.sh   same as --cuda
#
# Other knobs (environment): PYTHON (default python3.11 or python3), VITRINE_TORCH_SPEC (pip requirement for torch;
# cpu: the local +cpu wheel if pip's find-links has one, else torch==2.14.1; cuda: torch==2.14.1), VITRINE_TORCH_INDEX (pip index for torch; default: the
# PyTorch CPU index https://download.pytorch.org/whl/cpu for cpu unless a local +cpu wheel is on pip's find-links,
# PyPI for cuda), VITRINE_BUILD_DIR (default installer/build), KEEP_VENV=0 to recreate the build venv (default: reuse it).
# The build venv holds only the app's run-time dependencies + PyInstaller, never the test extras.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
START=$(date +%s)

VARIANT="${VITRINE_TORCH:-cpu}"
for arg in "$@"; do
  case "$arg" in
    --cuda) VARIANT=cuda ;;
    --cpu) VARIANT=cpu ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done
case "$VARIANT" in cpu|cuda) ;; *) echo "VITRINE_TORCH must be cpu or cuda, not $VARIANT" >&2; exit 2 ;; esac

PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"
BUILD_DIR="${VITRINE_BUILD_DIR:-$ROOT/installer/build}"
VENV="$BUILD_DIR/venv-$VARIANT"
PY="$VENV/bin/python"

if [ "$VARIANT" = cpu ]; then
  # A local CPU wheel (an offline mirror on pip's find-links, as on the build machine used so far: torch 2.13.0)
  # wins; otherwise torch 2.14.1 from PyTorch's CPU index, because the plain PyPI torch for Linux is the CUDA build.
  FIND_LINKS="$("$PYTHON" -m pip config get global.find-links 2>/dev/null || true)"
  LOCAL_WHEEL="$(ls ${FIND_LINKS:-/nonexistent}/torch-*+cpu-cp3*-*.whl 2>/dev/null | sort -V | tail -1 || true)"
  if [ -n "$LOCAL_WHEEL" ] && [ -z "${VITRINE_TORCH_INDEX+x}" ]; then
    LOCAL_VER="$(basename "$LOCAL_WHEEL" | cut -d- -f2 | cut -d+ -f1)"
    TORCH_SPEC="${VITRINE_TORCH_SPEC:-torch==$LOCAL_VER}"
    VITRINE_TORCH_INDEX=""
  else
    TORCH_SPEC="${VITRINE_TORCH_SPEC:-torch==2.14.1}"
    VITRINE_TORCH_INDEX="${VITRINE_TORCH_INDEX-https://download.pytorch.org/whl/cpu}"
  fi
else
  TORCH_SPEC="${VITRINE_TORCH_SPEC:-torch==2.14.1}"
  VITRINE_TORCH_INDEX="${VITRINE_TORCH_INDEX:-}"
fi

echo "== Vitrine Linux build: torch variant $VARIANT ($TORCH_SPEC${VITRINE_TORCH_INDEX:+ from $VITRINE_TORCH_INDEX})"
mkdir -p "$BUILD_DIR"
if [ ! -x "$PY" ] || [ "${KEEP_VENV:-1}" != 1 ] || [ ! -f "$VENV/.vitrine-ready" ]; then
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$PY" -m pip install -q --upgrade pip || true
  if [ -n "$VITRINE_TORCH_INDEX" ]; then
    "$PY" -m pip install -q "$TORCH_SPEC" --index-url "$VITRINE_TORCH_INDEX"
  else
    "$PY" -m pip install -q "$TORCH_SPEC"
  fi
  # The run-time dependencies from pyproject.toml, without torch (installed above) and torchvision (unused).
  mapfile -t DEPS < <("$PY" - <<'PYEOF'
import re, tomllib
deps = tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]
for d in deps:
    if re.split(r"[<>=!~ \[;]", d, 1)[0].lower() not in ("torch", "torchvision"):
        print(d)
PYEOF
)
  "$PY" -m pip install -q "${DEPS[@]}" "pyinstaller>=6.6"
  # The app itself, so importlib.metadata knows its version inside the bundle (PyInstaller still takes the source
  # from this checkout: pathex puts it first).
  "$PY" -m pip install -q --no-deps "$ROOT"
  touch "$VENV/.vitrine-ready"
fi
"$PY" -c "import torch, PySide6; print('torch', torch.__version__, '| PySide6', PySide6.__version__)"

VERSION="$("$PY" -c "import sys; sys.path.insert(0, '.'); from app.about import version; print(version())")"
ARCH="$(uname -m)"
echo "== PyInstaller (version $VERSION, $ARCH)"
rm -rf dist/vitrine
VITRINE_TORCH_VARIANT="$VARIANT" "$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$ROOT/dist" --workpath "$BUILD_DIR/pyinstaller-$VARIANT" installer/vitrine.spec

# Desktop integration: a .desktop entry and the icon inside the folder, plus an install script for ~/.local.
cp resources/icons/app-vitrine-256.png dist/vitrine/vitrine.png
cp resources/icons/app-vitrine.svg dist/vitrine/vitrine.svg
cat > dist/vitrine/vitrine.desktop <<DESKTOP
[Desktop Entry]
Type=Application
Name=Vitrine
GenericName=Product photo studio
Comment=Paint product photos from a description, offline
Exec=vitrine gui
Icon=vitrine
Terminal=false
Categories=Graphics;2DGraphics;
Keywords=product;photo;GAN;shop;
StartupWMClass=Vitrine
DESKTOP
cat > dist/vitrine/install-desktop-entry.sh <<'INSTALL'
#!/usr/bin/env sh
# Put Vitrine in the desktop menu for this user: ~/.local/bin/vitrine, the .desktop entry and the icon.
set -e
HERE="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$HOME/.local/bin" "$HOME/.local/share/applications" "$HOME/.local/share/icons/hicolor/256x256/apps"
ln -sf "$HERE/vitrine" "$HOME/.local/bin/vitrine"
sed "s|^Exec=vitrine|Exec=\"$HERE/vitrine\"|" "$HERE/vitrine.desktop" > "$HOME/.local/share/applications/vitrine.desktop"
cp "$HERE/vitrine.png" "$HOME/.local/share/icons/hicolor/256x256/apps/vitrine.png"
command -v update-desktop-database >/dev/null && update-desktop-database "$HOME/.local/share/applications" || true
echo "Installed: run 'vitrine' or pick Vitrine from the menu."
INSTALL
chmod +x dist/vitrine/install-desktop-entry.sh

# Licences, the LGPL notice for Qt/PySide6 and the data provenance (app/about.py) beside the program.
"$PY" -c "import sys; sys.path.insert(0, '.'); from app.about import about_text; print(about_text())" > dist/vitrine/NOTICE.txt

SUFFIX=""; [ "$VARIANT" = cuda ] && SUFFIX="-cuda"
TARBALL="dist/vitrine-$VERSION-linux-$ARCH$SUFFIX.tar.gz"
echo "== packing $TARBALL"
tar -C dist -czf "$TARBALL" vitrine

# AppImage only when appimagetool is already on this machine (it is not downloaded here).
if command -v appimagetool >/dev/null 2>&1; then
  APPDIR="$BUILD_DIR/Vitrine.AppDir"; rm -rf "$APPDIR"; mkdir -p "$APPDIR/usr"
  cp -a dist/vitrine "$APPDIR/usr/vitrine"
  cp dist/vitrine/vitrine.desktop dist/vitrine/vitrine.png "$APPDIR/"
  printf '#!/bin/sh\nexec "$(dirname "$(readlink -f "$0")")/usr/vitrine/vitrine" "$@"\n' > "$APPDIR/AppRun"
  chmod +x "$APPDIR/AppRun"
  ARCH="$ARCH" appimagetool "$APPDIR" "dist/Vitrine-$VERSION-$ARCH$SUFFIX.AppImage"
else
  echo "== appimagetool not found: no AppImage (the tar.gz is the Linux deliverable)"
fi

END=$(date +%s)
echo "== done in $((END - START)) s"
echo "bundle folder: $(du -sh dist/vitrine | cut -f1)   tarball: $(du -h "$TARBALL" | cut -f1)"
echo "biggest parts:"
du -sh dist/vitrine/_internal/* 2>/dev/null | sort -rh | head -8 || true
du -sh dist/vitrine/_internal/torch/lib/* 2>/dev/null | sort -rh | head -5 || true
