"""Vitrine compute core: networks, text conditioning, generation, training (never imports Qt)."""
