"""Frozen request and result types shared by every layer: they live in app/engine/requests.py (re-exported here).
Progress reports are app.engine.jobs.Progress (the job contract)."""

from __future__ import annotations

from app.engine.requests import ENLARGE_STYLES, REQUEST_SCHEMA, GeneratedImage, GenerateRequest  # noqa: F401
