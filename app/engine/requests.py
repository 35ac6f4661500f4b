"""Frozen request and result types shared by every layer (engine, worker, UI, export, command line).

They live in the engine (which imports nothing from the app); app/requests.py re-exports them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

import numpy as np

REQUEST_SCHEMA = 1
# How a picture above the model's resolution is enlarged: the GAN-trained "sharp" upscaler or the pixel-accurate
# "faithful" one. A request saved before the choice existed was enlarged by the faithful one (see from_dict).
ENLARGE_STYLES = ("sharp", "faithful")


@dataclass(frozen=True)
class GenerateRequest:
    """Every input that determines the pixels of a generation; export writes this same object as metadata.

    Picture k (k = start … start+count-1) uses latent seed `seed + k`; with `variation` > 0 every picture
    is a neighbour of seed's picture instead. With `latent` (a picture found from a photo) the pictures
    start from that latent and the seed only picks the neighbours. `single(i)` remakes picture i alone.
    """

    description: str
    seed: int = 0
    count: int = 1
    model_id: str = ""  # "" → the default model
    model_hash: str = ""  # sha256 prefix of the generator weights; "" → whatever model_id holds now
    offsets: tuple[tuple[str, float], ...] = ()  # latent direction name → slider value (in σ units)
    truncation: float = 0.8  # "creativity": 0 = the typical picture, 1 = full variety
    size: int = 64  # output side in pixels; above the model's resolution the upscaler is used
    overrides: tuple[tuple[str, str], ...] = ()  # attribute → catalogue key chosen by the merchant
    variation: float = 0.0  # > 0: pictures are neighbours of seed's picture at this latent distance
    start: int = 0  # index of the first picture (so one picture of a batch can be remade alone)
    # A latent found from a photo (app.latent_code text): pictures start from it instead of from the seed;
    # a description other than the latent's own moves it by the difference of the two descriptions.
    latent: str = ""
    enlarge: str = "sharp"  # an ENLARGE_STYLES value: which learned upscaler enlarges pictures above the model size
    schema: int = REQUEST_SCHEMA

    def single(self, index: int) -> "GenerateRequest":
        """The request that regenerates picture `index` of this one on its own."""
        return replace(self, start=self.start + index, count=1)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["offsets"] = {k: v for k, v in self.offsets}
        d["overrides"] = {k: v for k, v in self.overrides}
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "GenerateRequest":
        if not isinstance(d, dict) or not isinstance(d.get("description"), str):
            raise ValueError("not a Vitrine generation request")
        known = {f.name for f in fields(cls)}
        d = {k: v for k, v in d.items() if k in known}
        try:
            d["offsets"] = tuple(sorted((str(k), float(v)) for k, v in dict(d.get("offsets") or {}).items()))
            d["overrides"] = tuple(sorted((str(k), str(v)) for k, v in dict(d.get("overrides") or {}).items()))
            for name, kind in (("seed", int), ("count", int), ("size", int), ("start", int), ("truncation", float), ("variation", float)):
                if name in d:
                    d[name] = kind(d[name])
            # Requests written before Sharp existed carry no "enlarge": the faithful upscaler made them.
            d["enlarge"] = str(d.get("enlarge", "faithful"))
            if d["enlarge"] not in ENLARGE_STYLES:
                raise ValueError(f"unknown enlarging style {d['enlarge']!r}")
            if d.get("latent"):
                from app.engine.latent_code import decode_latent
                decode_latent(d["latent"])  # a damaged or hostile latent is refused here, not deep in the engine
            elif "latent" in d:
                d["latent"] = ""
        except (TypeError, ValueError, OverflowError) as e:  # e.g. "seed": 1e400 (inf), "offsets": 5
            raise ValueError(f"not a valid Vitrine generation request ({e})") from None
        try:
            request = cls(**d)
        except TypeError as e:  # a field of the wrong type (e.g. "description": 5 was caught above; "model_id": [])
            raise ValueError(f"not a valid Vitrine generation request ({e})") from None
        from app.engine.request_limits import check

        check(request)  # what a file may ask for: description length, finite in-range sliders, counts and sizes
        return request


@dataclass(frozen=True)
class GeneratedImage:
    """One picture and the request that makes exactly it (count=1)."""

    pixels: np.ndarray  # (H, W, 3) uint8 RGB
    request: GenerateRequest
    index: int = 0  # position inside the batch request it came from
