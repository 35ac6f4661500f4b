"""Where Vitrine keeps things: moved to app/engine/paths.py (the engine needs it; the engine imports nothing from
the app). Re-exported here for the app side."""

from app.engine.paths import APP_NAME, REPO_ROOT, AppPaths  # noqa: F401
