"""The real engine: a GenerateRequest becomes pictures; one instance owns the loaded model and the device."""

from __future__ import annotations

import math
import time
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Generator

import numpy as np
import torch
from PIL import Image

from app.engine import vocab
from app.engine.checkpoints import ModelError, read_config
from app.engine.device import DeviceChoice, pick_device
from app.engine.fast_synthesis import lean_synthesis
from app.engine.imaging import to_uint8
from app.engine.jobs import JobControl, Phase, Progress, run_job
from app.engine.latents import truncate, w_average, z_for
from app.engine.loading import Direction, LoadedModel, load_model, move_latent
from app.engine.registry import ModelInfo, Registry
from app.engine.latent_code import decode_latent
from app.engine.messages import say
from app.engine.text import MAX_READ_CHARS, TextConditioner, Understanding
from app.engine.requests import ENLARGE_STYLES, GeneratedImage, GenerateRequest
from app.engine.generators import is_style, style_layers

MAX_COUNT = 256
MAX_SIZE = 4096
# Every synthesis call runs exactly this many rows, and picture g of a request (g = start + k) always sits in
# row g % SYNTH_BATCH, padded with zeros around it: the kernels see the same shapes and the picture the same
# row whether it is made alone or inside a batch of 16 or 64, so its pixels never depend on the batch, while
# a batch still fills the cores (one picture at a time left most of them idle).
SYNTH_BATCH = 16
Upscaler = Callable[[np.ndarray], np.ndarray]  # (N, r, r, 3) uint8 → (N, 4r, 4r, 3) uint8


class GenerationError(Exception):
    """A request that cannot be carried out; the message is one sentence for the merchant."""


def resize(images: np.ndarray, size: int) -> np.ndarray:
    """High-quality (Lanczos) resize of (N, h, w, 3) uint8 pictures to size × size."""
    if images.shape[1] == size:
        return images
    return np.stack([np.asarray(Image.fromarray(im).resize((size, size), Image.Resampling.LANCZOS)) for im in images])


def synthesis_spans(start: int, count: int, batch: int = SYNTH_BATCH) -> list[tuple[int, int, int]]:
    """(first, end, slot) for each synthesis call: pictures first…end-1 of a request, picture g = start + k at
    row g % batch. A request aligned to the batch (start 0, count 16) takes one call; a lone picture one call."""
    spans, k = [], 0
    while k < count:
        slot = (start + k) % batch
        n = min(batch - slot, count - k)
        spans.append((k, k + n, slot))
        k += n
    return spans


class Engine:
    """Generation engine. Not thread-safe: exactly one thread (the UI worker or the CLI) drives it."""

    def __init__(self, registry: Registry, device: str = "auto", text: TextConditioner | None = None,
                 upscaler_factory: Callable[[torch.device, str], Upscaler | None] | None = None,
                 classifier_dir: Path | None = None):
        self.registry = registry
        self.classifier_dir = classifier_dir  # the attribute classifier (inversion guesses a photo's description)
        self.device_choice: DeviceChoice = pick_device(device)
        self.text = text or TextConditioner()
        self._upscaler_factory = upscaler_factory  # (device, "sharp" | "faithful") → upscaler, None if not installed
        self._upscalers: dict[str, Upscaler | None] = {}  # style → loaded upscaler (both are kept)
        self.last_note = ""  # a sentence about the last generation the merchant should see ("" when none)
        self._model: LoadedModel | None = None
        self._discriminator: tuple[tuple, torch.nn.Module | None] | None = None
        self._classifier: tuple[Any] | None = None  # (classifier or None,) once looked for
        self._w_avg_cache: dict[tuple, torch.Tensor] = {}
        self.last_seconds = 0.0

    @property
    def device(self) -> torch.device:
        return self.device_choice.device

    # ---- models --------------------------------------------------------------------------------
    def models(self) -> list[ModelInfo]:
        return self.registry.list()

    def load(self, model_id: str | None = None) -> LoadedModel:
        """Load (or reuse) a model by id or name; the default model for None."""
        info = self.registry.find(model_id)
        if self._model is None or self._model.folder != info.folder or self._model.model_hash != info.model_hash:
            self._model = None
            self._w_avg_cache.clear()
            self._model = load_model(info.folder, info.id, device=self.device)
            # Channels-last convolutions are about twice as fast on the CPU (oneDNN) and on GPUs; same values.
            self._model.generator.to(memory_format=torch.channels_last)
            self._lean = lean_synthesis(self._model.generator)
        return self._model

    @property
    def current(self) -> LoadedModel | None:
        return self._model

    def discriminator(self, model: LoadedModel) -> torch.nn.Module | None:
        """The model's discriminator, frozen in eval mode (None if it was published without one); kept per model."""
        key = (str(model.folder), model.model_hash)
        if self._discriminator is None or self._discriminator[0] != key:
            self._discriminator = None
            D = load_model(model.folder, with_discriminator=True, device=self.device).discriminator
            self._discriminator = (key, D.eval().requires_grad_(False) if D is not None else None)
        return self._discriminator[1]

    def classifier(self):
        """The attribute classifier from `classifier_dir`, loaded once; None when absent or unreadable."""
        if self._classifier is None:
            clf = None
            folder = self.classifier_dir
            if folder is not None and (Path(folder) / "config.json").exists():
                try:
                    from app.engine.classifier import load_classifier
                    clf = load_classifier(folder)
                except Exception:  # noqa: BLE001 — a broken classifier only means inversion searches instead
                    clf = None
            self._classifier = (clf,)
        return self._classifier[0]

    def directions(self, model_id: str | None = None) -> list[Direction]:
        return self.load(model_id).directions

    def vocabulary(self, model_id: str | None = None) -> vocab.Vocabulary:
        """The product vocabulary of a model: the loaded one for None (else the default model), by id otherwise."""
        if self._model is not None and (not model_id or model_id == self._model.model_id):
            return self._model.vocabulary
        try:
            info = self.registry.find(model_id)
            return vocab.for_config(read_config(info.folder), info.id)
        except ModelError:
            if model_id:
                raise
            return vocab.get()  # no model installed: read in the current vocabulary

    def understand(self, description: str, overrides: dict[str, str] | None = None,
                   model_id: str | None = None) -> Understanding:
        """Read a description in the vocabulary of the model that will paint it (see vocabulary())."""
        return self.text.understand(description, overrides, self.vocabulary(model_id))

    def upscaler(self, style: str = "faithful") -> Upscaler | None:
        """The learned upscaler of `style` ("sharp" | "faithful"), loaded once; None when it is not installed."""
        if style not in self._upscalers and self._upscaler_factory is not None:
            self._upscalers[style] = self._upscaler_factory(self.device, style)
        return self._upscalers.get(style)

    def _enlarger(self, req: GenerateRequest) -> tuple[Upscaler | None, str]:
        """(upscaler, style that will really enlarge) for a request above the model's resolution.

        A picture being remade (its request carries the model's hash) is only ever enlarged by the upscaler it
        names: another one would paint different pixels (with no learned upscaler installed at all: Lanczos). A new request for Sharp falls back to Faithful when
        Sharp is not installed; its pictures then say "faithful" and `last_note` tells the merchant.
        """
        from app.engine.upscalers import display_name, missing_message

        up = self.upscaler(req.enlarge)
        other = "faithful" if req.enlarge == "sharp" else "sharp"
        if up is not None or self._upscaler_factory is None or self.upscaler(other) is None:
            return up, req.enlarge  # None: no learned upscaler installed at all, Lanczos only (as always)
        if req.model_hash or req.enlarge != "sharp":
            raise GenerationError(missing_message(req.enlarge))
        self.last_note = say("upscaler_fallback", sharp=display_name("sharp"), faithful=display_name("faithful"))
        return self.upscaler("faithful"), "faithful"

    # ---- generation ----------------------------------------------------------------------------
    def _check(self, req: GenerateRequest) -> None:
        if not req.description.strip():
            raise GenerationError("Please describe the product first (the description is empty).")
        if len(req.description) > MAX_READ_CHARS:  # the same limit as files and the command line (app.request_limits)
            raise GenerationError(say("description_long", n=len(req.description), limit=MAX_READ_CHARS))
        if not all(math.isfinite(v) and abs(v) <= 3.0 for _, v in req.offsets):  # sliders move at most ±3σ
            raise GenerationError("A slider value must be a number between -3 and 3.")
        if not 1 <= req.count <= MAX_COUNT:
            raise GenerationError(f"The number of pictures must be between 1 and {MAX_COUNT}.")
        if not 16 <= req.size <= MAX_SIZE:
            raise GenerationError(f"The picture size must be between 16 and {MAX_SIZE} pixels.")
        if not 0.0 <= req.truncation <= 2.0:
            raise GenerationError("Creativity must be between 0 and 2.")
        if req.enlarge not in ENLARGE_STYLES:
            raise GenerationError("The enlarging must be “sharp” or “faithful”.")

    def _w_avg(self, model: LoadedModel, c: torch.Tensor) -> torch.Tensor:
        key = (model.model_hash, tuple(np.round(c.cpu().numpy(), 6).tolist()))
        if key not in self._w_avg_cache:
            self._w_avg_cache[key] = w_average(model.generator, c)
        return self._w_avg_cache[key]

    def _latents_from_photo(self, model: LoadedModel, req: GenerateRequest, c: torch.Tensor) -> torch.Tensor:
        """w for a request that starts from a latent found from a photo (req.latent).

        Another description moves the latent by the difference of the two descriptions' average w (same
        description: exactly no move); variations add seeded steps of the description's own spread.
        """
        G = model.generator
        if not is_style(G):
            raise GenerationError(f"The model {model.model_id} cannot edit pictures found from a photo.")
        try:
            w0, c0 = decode_latent(req.latent)
        except ValueError as e:
            raise GenerationError(f"This picture's latent cannot be read ({e}).") from None
        layers = style_layers(G)
        if w0.shape[-1] != G.cfg.w_dim or c0.shape[0] != c.shape[0] or (w0.ndim == 2 and w0.shape[0] != layers):
            raise GenerationError(f"This picture was found with a different kind of model than {model.model_id}.")
        w0 = torch.from_numpy(w0).to(self.device)
        c0 = torch.from_numpy(c0).to(self.device)
        w0 = w0 + (self._w_avg(model, c) - self._w_avg(model, c0))
        rows = []
        for k in range(req.count):
            w = w0
            if req.variation > 0:
                z = z_for(req.seed, req.start + k, G.cfg.z_dim).to(self.device)
                w = w0 + req.variation * (G.mapping(z[None], c[None])[0] - self._w_avg(model, c))
            rows.append(w)
        return torch.stack(rows)

    def _latents(self, model: LoadedModel, req: GenerateRequest, c: torch.Tensor) -> torch.Tensor:
        """w (or z for mapping-less models) for every picture of the request."""
        G = model.generator
        if req.latent:
            return self._moved(model, req, self._latents_from_photo(model, req, c))
        z = torch.stack([z_for(req.seed, req.start + k, G.cfg.z_dim, req.variation) for k in range(req.count)])
        z = z.to(self.device)
        if not is_style(G):
            return z * req.truncation if req.truncation < 1 else z
        # Row by row, like synthesis below, so a picture never depends on the size of its batch.
        w = torch.cat([G.mapping(z[k: k + 1], c[None]) for k in range(req.count)])
        return self._moved(model, req, truncate(w, self._w_avg(model, c), req.truncation))

    def _moved(self, model: LoadedModel, req: GenerateRequest, w: torch.Tensor) -> torch.Tensor:
        """w moved along the request's sliders."""
        G = model.generator
        by_name = {d.name: d for d in model.directions}
        for name, _ in req.offsets:
            if name not in by_name:
                raise GenerationError(f"The model {model.model_id} has no slider called {name!r}.")
        # A slider with layers moves only those synthesis layers: w becomes per-layer (count, L, w_dim) then.
        return move_latent(w, [(by_name[n], v) for n, v in req.offsets], style_layers(G))

    @torch.no_grad()
    def generate(self, req: GenerateRequest) -> list[GeneratedImage]:
        """Pictures for a request: identical pixels for the same request on the same device."""
        return run_job(self.generate_job(req)) if req.count else []

    def generate_job(self, req: GenerateRequest, control: JobControl | Callable[[], bool] | None = None,
                     chunk: int = 64, exact: bool = True) -> Generator[Progress, None, list[GeneratedImage]]:
        """The job of a request: pictures in chunks of about `chunk` (each Progress's `partial` is the growing list
        of pictures so far), stoppable between chunks; returns the pictures made.

        exact=False (previews only): unpadded synthesis, so pixels may depend on the batch by a level.
        """
        control = JobControl.of(control)
        self._check(req)
        t0 = time.perf_counter()
        model, c, stamped, up = self._understood(req)
        out: list[GeneratedImage] = []
        with torch.no_grad():
            try:
                latents = self._latents(model, req, c)
            except RuntimeError as e:
                if not self._fall_back_to_cpu(e):
                    raise
                model, c = self._model, c.cpu()
                latents = self._latents(model, req, c)
            spans = synthesis_spans(req.start, req.count) if exact else [(0, req.count, None)]
            done = 0
            for i, (a, b, slot) in enumerate(spans):
                if control.should_stop():
                    break
                try:
                    x = self._synthesize_span(model.generator, latents[a:b], c, slot)
                except RuntimeError as e:
                    if not self._fall_back_to_cpu(e):
                        raise
                    model, c, latents = self._model, c.cpu(), latents.cpu()
                    up = self.upscaler(stamped.enlarge) if up is not None else None  # rebuilt on the CPU
                    x = self._synthesize_span(model.generator, latents[a:b], c, slot)
                pixels = self._to_size(to_uint8(x), req.size, up)
                out.extend(GeneratedImage(p, stamped.single(a + j), a + j) for j, p in enumerate(pixels))
                if len(out) - done >= chunk or i == len(spans) - 1:
                    done = len(out)
                    yield Progress(Phase.RUNNING, done, req.count, "generate.pictures", {"done": done, "total": req.count},
                                   partial=out)
        self.last_seconds = time.perf_counter() - t0
        stopped = len(out) < req.count
        yield Progress(Phase.CANCELLED if stopped else Phase.FINISHED, len(out), req.count,
                       "generate.cancelled" if stopped else "generate.finished", {"done": len(out), "total": req.count},
                       partial=out)
        return out

    def _understood(self, req: GenerateRequest) -> tuple[LoadedModel, torch.Tensor, GenerateRequest, Upscaler | None]:
        """The request's model, its condition, the request stamped with the model (id, hash, enlarging) and the
        upscaler for pictures above the model's size."""
        model = self.load(req.model_id)
        if req.model_hash and not model.model_hash.startswith(req.model_hash[:12]):
            raise GenerationError(f"This picture was made with another version of the model {req.model_id or model.model_id}"
                                  f" ({req.model_hash[:12]}); the installed one is {model.model_hash}.")
        u = self.text.understand(req.description, dict(req.overrides), model.vocabulary)
        if u.unknown_product and not req.model_hash:
            # Nothing it knows to paint: say so (in the description's language) instead of painting a blob.
            # A picture being remade (its request carries the model's hash) is remade as it was.
            raise GenerationError(u.unknown_product_message())
        c = torch.from_numpy(u.condition()).to(self.device)
        stamped = req if req.model_hash else replace(req, model_id=req.model_id or model.model_id, model_hash=model.model_hash)
        self.last_note, up = "", None
        if req.size > model.resolution:
            up, style = self._enlarger(req)
            stamped = replace(stamped, enlarge=style)
        return model, c, stamped, up

    def _fall_back_to_cpu(self, error: BaseException) -> bool:
        """After a GPU out-of-memory error: move the model to the CPU (once) so the request can be retried there.

        Returns False (the caller re-raises) for any other error, or when the engine already runs on the CPU.
        """
        oom = isinstance(error, torch.cuda.OutOfMemoryError) or "out of memory" in str(error).lower()
        if not oom or self.device.type == "cpu" or self._model is None:
            return False
        try:
            torch.cuda.empty_cache()
        except Exception:  # noqa: BLE001 — only a courtesy to the driver
            pass
        cpu = torch.device("cpu")
        m = self._model
        m.generator.to(cpu)
        if m.discriminator is not None:
            m.discriminator.to(cpu)
        m.directions = [replace(d, vector=d.vector.to(cpu)) for d in m.directions]
        self._w_avg_cache.clear()
        self._upscalers.clear()  # built for the GPU; rebuilt on the CPU when next needed
        self.device_choice = DeviceChoice(cpu, "CPU", f"{self.device_choice.name} ran out of memory; using the CPU")
        return True

    def _synthesize_span(self, G: torch.nn.Module, latents: torch.Tensor, c: torch.Tensor,
                         slot: int | None) -> torch.Tensor:
        """Pictures of `latents` (n rows) synthesised inside one padded SYNTH_BATCH call, from row `slot`
        (slot None: as they are, unpadded)."""
        n = latents.shape[0]
        if slot is None:
            return self._synthesize(G, latents, c)
        padded = latents.new_zeros((SYNTH_BATCH, *latents.shape[1:]))
        padded[slot:slot + n] = latents
        return self._synthesize(G, padded, c)[slot:slot + n]

    def _synthesize(self, G: torch.nn.Module, latent: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
        """latent: (N, w_dim), per-layer (N, L, w_dim) or, for mapping-less models, z."""
        if is_style(G):
            lean = getattr(self, "_lean", None)
            return lean(latent) if lean is not None and self._model is not None and G is self._model.generator \
                else G.synthesis(latent)
        return G(latent, c.expand(latent.shape[0], -1))

    def _to_size(self, pixels: np.ndarray, size: int, up: Upscaler | None) -> np.ndarray:
        """Model pixels → size: once through the learned 4x upscaler when enlarging, then Lanczos (also above 4x)."""
        if size > pixels.shape[1] and up is not None:
            pixels = up(pixels)
        return resize(pixels, size)

