"""The few-shot data of fine-tuning: the batch (the shop's photos with the conditions read from their descriptions,
wrong descriptions drawn from the catalogue), the "keep the catalogue" generator term, and the preview's inputs.
Mixed into the Finetuner (finetune.py)."""

from __future__ import annotations

import numpy as np
import torch

from app.data.backdrop import border_connected_near_white
from app.data.datasets import condition_from_labels
from app.engine.imaging import to_uint8
from app.engine.networks import frame

COND_DROP = 0.1  # chance per attribute of training a photo as "unspecified" (uniform block)
BACKDROP_MIN = 225  # a backdrop pixel of the base model's picture: every channel at least this (0–255)


def product_mask(x: torch.Tensor) -> torch.Tensor:
    """(B, 3, H, W) pictures in [-1, 1] → (B, 1, H, W) float, 1 on the product (its soft edge included), 0 on the
    near-white backdrop connected to the picture's border (app.data.backdrop, the mask photo import whitens):
    where "keep the catalogue" holds the shop model to the base model, so the backdrop is free to take the shop's
    look on every product."""
    backdrop = np.stack([border_connected_near_white(img, BACKDROP_MIN) for img in to_uint8(x)])
    return torch.from_numpy(1.0 - backdrop[:, None].astype(np.float32)).to(x.device)


class ShopData:
    """Mixed into the Finetuner: what one step learns from."""

    def _condition_blocks(self) -> list[tuple[int, int]]:
        """(start, end) of each attribute's block in a condition vector."""
        blocks, o = [], 0
        for values in self.vocabulary.attributes.values():
            blocks.append((o, o + len(values)))
            o += len(values)
        return blocks

    def _preview_inputs(self, understood: dict, g: torch.Generator) -> None:
        """Preview: 8 seeds of the shop's own look per row, for up to 4 different descriptions of theirs."""
        distinct = list(dict.fromkeys(self.descriptions))[:4]
        self.preview_rows = len(distinct)
        self.preview_z = torch.randn(self.preview_rows * 8, self.cfg.z_dim, generator=g).to(self.device)
        self.preview_c = torch.from_numpy(np.repeat(np.stack([understood[d].condition() for d in distinct]), 8, 0)
                                          ).to(self.device)

    def _drop(self, c: torch.Tensor) -> torch.Tensor:
        c = c.clone()
        for a, b in self.blocks:
            mask = torch.rand(c.shape[0], generator=self.data_gen) < COND_DROP
            if mask.any():
                c[mask.to(c.device), a:b] = 1.0 / (b - a)
        return c

    def _batch(self):
        n, b = len(self.conds), self.req.batch
        idx = torch.randint(0, n, (b,), generator=self.data_gen)
        fake_idx = torch.randint(0, n, (b,), generator=self.data_gen)
        x = self.images[idx.to(self.device)]
        if torch.rand(1, generator=self.data_gen).item() < 0.5:
            x = x.flip(2)
        x = x.permute(0, 3, 1, 2).float() / 127.5 - 1
        c_real, c_fake = self._drop(self.conds[idx.to(self.device)]), self._drop(self.conds[fake_idx.to(self.device)])
        # Wrong descriptions: another category (and colour) of the catalogue, so the model keeps listening.
        voc = self.vocabulary
        lab = np.stack([torch.randint(0, len(v), (b,), generator=self.data_gen).numpy() for v in voc.attributes.values()], 1)
        own = self.conds[idx.to(self.device)][:, self.blocks[0][0]: self.blocks[0][1]].argmax(1).cpu().numpy()
        lab[:, 0] = np.where(lab[:, 0] == own, (lab[:, 0] + 1) % len(voc.keys("category")), lab[:, 0])
        c_wrong = torch.from_numpy(condition_from_labels(lab, vocabulary=voc)).to(self.device)
        return x, c_real, c_fake, c_wrong

    def extra_generator_loss(self) -> torch.Tensor | None:
        """Keep the catalogue: for random descriptions of other products, the pictures stay close (mean squared
        pixel difference) to the base model's for the same latent, so the shop model still paints a red heel
        when asked, instead of the shop's product for every description. keep_where="product": on the product
        only (product_mask), so the shop's backdrop reaches other products too; "everywhere": every pixel."""
        k = self.freq.keep_batch if self.freq.keep_catalogue > 0 else 0
        if k <= 0:
            return None
        lab = np.stack([torch.randint(0, len(v), (k,), generator=self.data_gen).numpy()
                        for v in self.vocabulary.attributes.values()], 1)
        c = torch.from_numpy(condition_from_labels(lab, vocabulary=self.vocabulary)).to(self.device)
        z = torch.randn(k, self.cfg.z_dim, generator=self.data_gen).to(self.device)
        with torch.no_grad():
            target = self.base_G(z, c)
            if self.cfg.look_zoom != 1.0:  # the shop model frames every product its way; compare like with like
                target = frame(target, self.cfg.look_zoom)
            where = product_mask(target) if self.freq.keep_where == "product" else torch.ones_like(target[:, :1])
        return self.freq.keep_catalogue * ((self.G(z, c) - target).pow(2) * where).mean()
