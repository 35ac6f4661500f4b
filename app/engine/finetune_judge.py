"""The "best so far" check of fine-tuning: which EMA snapshot is closest to the shop's photos.

Closeness is the mean-feature distance of a fixed set of generated pictures (one per photo's description) to the
photos, in the bundled attribute classifier's features (trained on real product photos: type, colour, look), else
in the frozen base discriminator's. A snapshot whose pictures are read as the shop's product type much less often
than the base model's (PRODUCT_KEPT) never wins, however close it is. The product type is read by the bundled
look-blind product judge when installed (trained on photos in random backdrops, light and framing, so a T-shirt on
the shop's pink backdrop still counts as a T-shirt; the attribute classifier reads 0.27 of real photos in such a
look as their type: bench/results/look-judge.json), else by the attribute classifier.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import torch

from app.engine.finetune_result import features, mean_feature_distance
from app.engine.imaging import to_uint8

TYPE_JUDGE = "product-judge"  # the look-blind product-type reader (bench/train_classifier.py --looks)
PRODUCT_KEPT = 0.9  # a "best so far" snapshot must paint the shop's product type at least this share as often as the base


class BestSoFar:
    """Mixed into the Finetuner: the check's inputs, the judge, and the best state so far (`self.best`)."""

    def _judge_inputs(self, photo_pixels: np.ndarray, eval_samples: int, g: torch.Generator) -> None:
        """Fixed latents (one per photo's condition, in rounds), the judge, and the photos' own features."""
        self.eval_z = torch.randn(eval_samples, self.cfg.z_dim, generator=g).to(self.device)
        self.eval_c = self.conds[torch.arange(len(self.eval_z)) % len(photo_pixels)]
        self.judge = self._make_judge()
        self.photo_features = self.judge(photo_pixels)
        # The product type each "best so far" picture should show, in the classifier's vocabulary (-1: not named).
        cats = [u.guess("category") for u in self.understandings]
        ck = self._typer.vocabulary.keys("category") if self._typer is not None else []
        own = np.asarray([ck.index(g.key) if g.source == "words" and g.key in ck else -1 for g in cats])
        self.eval_type = own[np.arange(len(self.eval_z)) % len(photo_pixels)]
        self.last_type_accuracy: float | None = None
        self.start_type_accuracy: float | None = None
        self.best: dict | None = None  # {"step", "distance", "state"}
        self.start_distance: float | None = None

    def _make_judge(self) -> Callable[[np.ndarray], np.ndarray]:
        """Features that judge "closer to the shop's photos" (see the module docstring)."""
        self.judge_name = "base discriminator features"
        self._clf = self._load_classifier()
        self._typer = self._load_classifier(TYPE_JUDGE) or self._clf  # guards "best so far" (PRODUCT_KEPT)
        if self.freq.judge == "classifier" and self._clf is not None:
            self.judge_name = "attribute-classifier features"
            return self._clf.unit_features
        return lambda images: features(self.base_D, images)

    def _load_classifier(self, name: str = ""):
        """A classifier among the bundled models (VITRINE_BUNDLED_MODELS respected; None when it is not installed
        there): the attribute classifier, or `name`."""
        try:
            from app.engine.classifier import DIR_NAME, load_classifier
            return load_classifier(self.paths.bundled_models / (name or DIR_NAME))
        except Exception:  # noqa: BLE001 — no classifier installed: the discriminator judges, nothing guards
            return None

    @torch.no_grad()
    def distance(self) -> float:
        """Mean-feature distance of the EMA generator's pictures to the shop photos."""
        self.G_ema.eval()
        imgs = to_uint8(torch.cat([self.G_ema(z, c) for z, c in zip(self.eval_z.split(32), self.eval_c.split(32))]))
        self.last_type_accuracy = self._type_accuracy(imgs)
        return mean_feature_distance(self.judge(imgs), self.photo_features)

    def _type_accuracy(self, imgs: np.ndarray) -> float | None:
        """Share of the check's pictures the classifier reads as the product type their description names."""
        known = self.eval_type >= 0
        if self._typer is None or not known.any():
            return None
        pred = self._typer.run(imgs[known])[1]["category"].argmax(1)
        return float((pred == self.eval_type[known]).mean())

    def _ema_state(self) -> dict[str, torch.Tensor]:
        return {k: v.detach().cpu().clone() for k, v in self.G_ema.state_dict().items()}

    def _start_best(self) -> None:
        """Where the base model stands: the first "best so far"."""
        if self.start_distance is None:
            self.start_distance = self.distance()
            self.start_type_accuracy = self.last_type_accuracy
        if self.best is None:
            self.best = {"step": self.step, "distance": self.start_distance, "state": self._ema_state()}

    def _check_best(self, m: dict) -> None:
        d = self.distance()
        m["distance"] = d
        acc, start = self.last_type_accuracy, self.start_type_accuracy
        if acc is not None:
            m["type_accuracy"] = acc
        product_kept = acc is None or start is None or acc >= PRODUCT_KEPT * start
        if d < self.best["distance"] and product_kept:
            self.best = {"step": self.step, "distance": d, "state": self._ema_state()}
        m["best"] = self.best["distance"]
