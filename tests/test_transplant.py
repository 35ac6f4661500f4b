"""Starting a vocabulary-2 run from a vocabulary-1 model (issue #15): a product type both versions know is
painted exactly as before, a type version 1 folded into another starts as that one, and the discriminator's
new minibatch-std input starts switched off."""

from __future__ import annotations

import numpy as np
import torch

from app.data.datasets import condition_from_labels
from app.engine import networks, transplant, vocab

from conftest import TINY_GAN

V1, V2 = vocab.get(1), vocab.get(2)


def _condition(voc, category, colour="Red", gender="Men", n=4):
    labels = np.array([[voc.index_of("category", category), voc.index_of("colour", colour),
                        voc.index_of("gender", gender)]] * n)
    return torch.from_numpy(condition_from_labels(labels, vocabulary=voc))


def test_every_version_2_type_that_version_1_could_read_starts_from_its_column():
    cols = transplant.column_map(V1, V2)
    assert len(cols) == V2.condition_size()
    tshirt = V2.index_of("category", "Tshirts")
    assert cols[tshirt] == V1.index_of("category", "Tshirts")
    colour_offset = len(V2.attributes["category"])
    red = V2.index_of("colour", "Red")
    assert cols[colour_offset + red] == len(V1.attributes["category"]) + V1.index_of("colour", "Red")
    assert sum(c is None for c in cols) <= 4  # only types version 1 could not read at all start blank


def test_a_transplanted_generator_paints_a_known_product_exactly_as_before():
    torch.manual_seed(0)
    old = networks.Generator(networks.GanConfig(**TINY_GAN, cond_dim=V1.condition_size())).eval()
    new = networks.Generator(networks.GanConfig(**TINY_GAN, cond_dim=V2.condition_size())).eval()
    report = transplant.transplant(new, old.state_dict(), transplant.column_map(V1, V2))
    assert report["remapped"] == ["embed.weight"] and not report["fresh"]
    z = torch.randn(4, TINY_GAN["z_dim"])
    with torch.no_grad():
        before = old(z, _condition(V1, "Tshirts"))
        after = new(z, _condition(V2, "Tshirts"))
    assert torch.equal(before, after)


def test_switching_on_condition_norm_keeps_the_pictures_close_after_folding():
    torch.manual_seed(1)
    old = networks.Generator(networks.GanConfig(**TINY_GAN, cond_dim=V2.condition_size())).eval()
    new = networks.Generator(networks.GanConfig(**TINY_GAN, cond_dim=V2.condition_size(), cond_norm=True)).eval()
    cols = transplant.column_map(V2, V2)
    transplant.transplant(new, old.state_dict(), cols)
    c, z = _condition(V2, "Handbags", "Black", "Women"), torch.randn(4, TINY_GAN["z_dim"])
    with torch.no_grad():
        unfolded = (new(z, c) - old(z, c)).abs().mean().item()
        transplant.fold_condition_norm(new, c)
        folded = (new(z, c) - old(z, c)).abs().mean().item()
    assert folded < 1e-4 < unfolded  # one condition: its RMS is the scale, so the fold is exact


def test_the_minibatch_std_channel_starts_with_zero_weights():
    torch.manual_seed(2)
    old = networks.Discriminator(networks.GanConfig(**TINY_GAN, cond_dim=V1.condition_size()))
    new = networks.Discriminator(networks.GanConfig(**TINY_GAN, cond_dim=V2.condition_size(), mbstd_group=4))
    report = transplant.transplant(new, old.state_dict(), transplant.column_map(V1, V2))
    assert not report["fresh"] and report["padded"]
    w = new.final.parametrizations.weight.original
    assert torch.equal(w[:, -1], torch.zeros_like(w[:, -1]))
    assert torch.equal(w[:, :-1], old.final.parametrizations.weight.original)
