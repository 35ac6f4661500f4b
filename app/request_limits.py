"""What a request may ask for: moved to app/engine/request_limits.py. Re-exported here for the app side."""

from app.engine.request_limits import (MAX_COUNT, MAX_DESCRIPTION, MAX_NAME, MAX_SEED, MAX_SLIDERS,  # noqa: F401
                                       MAX_SIZE, MAX_START, MAX_TRUNCATION, MAX_VARIATION, MIN_SIZE, SLIDER_RANGE,
                                       RequestLimitError,
                                       check, check_description, problems)
