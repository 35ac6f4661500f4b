"""Vitrine: product photos from a description, painted by a conditional GAN."""
