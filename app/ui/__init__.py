"""Widgets only: each receives the AppState in its constructor and subscribes to its signals."""
