"""Photo import and dataset readers (no Qt)."""
