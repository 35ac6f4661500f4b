"""A latent found from a photo as text: moved to app/engine/latent_code.py. Re-exported here for the app side."""

from app.engine.latent_code import MAX_CHARS, MAX_DIM, MAX_LAYERS, PREFIX, decode_latent, encode_latent  # noqa: F401
