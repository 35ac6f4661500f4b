"""The files of a finished inversion: reconstruction.png, variation-k.png (each carrying the request that remakes
it), latent.safetensors (one w per picture) and request.json; reading them back and repainting their pictures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import torch

from app.engine.imaging import to_uint8
from app.engine.invert import InvertResult, synthesis_plus
from app.engine.loading import move_latent
from app.engine.requests import GenerateRequest

LATENT_FILE = "latent.safetensors"
REQUEST_FILE = "request.json"


def found_request(result: InvertResult, w: torch.Tensor) -> GenerateRequest:
    """The GenerateRequest that remakes a picture found from a photo (its latent w) with the engine."""
    from app.engine.latent_code import encode_latent

    return GenerateRequest(description=result.description or "product", model_id=result.model_id,
                           model_hash=result.model_hash, size=int(result.reconstruction.shape[0]),
                           latent=encode_latent(w.detach().float().cpu().numpy(), result.condition))


def save_inversion(result: InvertResult, folder: Path) -> list[Path]:
    """Write reconstruction.png, variation-k.png, latent.safetensors (one w per picture) and request.json."""
    from app.engine.files import atomic_save_tensors, atomic_write_bytes, png_bytes

    folder = Path(folder)
    written, latents, pictures = [], {}, {}
    items = [("reconstruction", result.reconstruction, result.w)] + \
            [(f"variation-{i + 1}", p, w) for i, (p, w) in enumerate(result.variations)]
    for name, pixels, w in items:
        # The PNG carries the request that remakes it (with its latent): dropped on Vitrine, it reopens editable.
        request = found_request(result, w)
        path = atomic_write_bytes(folder / f"{name}.png", png_bytes(pixels, request))
        written.append(path)
        latents[name] = w.detach().float().cpu().contiguous()
        pictures[path.name] = name
    latents["condition"] = torch.from_numpy(np.ascontiguousarray(result.condition, np.float32))
    written.append(atomic_save_tensors(folder / LATENT_FILE, latents, metadata={
        "vitrine": "inversion", "model_id": result.model_id, "model_hash": result.model_hash}))
    doc = {"vitrine": 1, "kind": "inversion", "request": result.request.to_dict(), "model_id": result.model_id,
           "model_hash": result.model_hash, "description": result.description, "chosen": result.chosen,
           "condition_source": result.condition_source, "latent_file": LATENT_FILE, "pictures": pictures,
           "per_layer": result.w.dim() == 2, "cancelled": result.cancelled,
           "metrics": {k: round(float(v), 4) for k, v in result.metrics.items()}}
    written.append(atomic_write_bytes(folder / REQUEST_FILE,
                                      json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")))
    return written


def load_inversion(folder: Path) -> tuple[dict, dict[str, torch.Tensor]]:
    """(request.json contents, latents by picture name) of a saved inversion; ValueError if it is not one."""
    from safetensors.torch import load_file

    folder = Path(folder)
    try:
        doc = json.loads((folder / REQUEST_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"{folder} holds no {REQUEST_FILE}.") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ValueError(f"{folder / REQUEST_FILE} is not valid JSON.") from None
    if not isinstance(doc, dict) or doc.get("kind") != "inversion":
        raise ValueError(f"{folder / REQUEST_FILE} does not describe a Vitrine inversion.")
    try:
        latents = load_file(str(folder / doc.get("latent_file", LATENT_FILE)))
    except Exception as e:  # noqa: BLE001
        raise ValueError(f"The latents of {folder} cannot be read ({e}).") from None
    return doc, latents


@torch.no_grad()
def render_latent(engine: Any, w: torch.Tensor, model_id: str = "", model_hash: str = "",
                  offsets: tuple[tuple[str, float], ...] = ()) -> np.ndarray:
    """Paint a stored w ((w_dim,) or (layers, w_dim)), optionally moved along the model's named sliders."""
    model = engine.load(model_id or None)
    if model_hash and not model.model_hash.startswith(model_hash[:12]):
        raise ValueError(f"This picture was made with another version of the model {model_id or model.model_id}.")
    w = w.to(engine.device).float()
    by_name = {d.name: d for d in model.directions}
    for name, value in offsets:
        if name not in by_name:
            raise ValueError(f"The model {model.model_id} has no slider called {name!r}.")
    w = move_latent(w[None], [(by_name[n], v) for n, v in offsets], model.generator.num_layers)
    return to_uint8(synthesis_plus(model.generator, w))[0]


def rerender(engine: Any, folder: Path, name: str = "reconstruction",
             offsets: tuple[tuple[str, float], ...] = ()) -> np.ndarray:
    """Remake picture `name` of a saved inversion (same pixels on the same device), optionally with sliders."""
    doc, latents = load_inversion(folder)
    if name not in latents or name == "condition":
        raise ValueError(f"{folder} has no picture called {name!r}.")
    return render_latent(engine, latents[name], doc.get("model_id", ""), doc.get("model_hash", ""), offsets)
