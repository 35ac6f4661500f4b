"""pick_device: the one place that decides where tensors live."""

from __future__ import annotations

from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class DeviceChoice:
    """The device chosen and a sentence for the status bar (why, and what it is)."""

    device: torch.device
    name: str
    note: str = ""


def pick_device(preference: str = "auto") -> DeviceChoice:
    """`auto` → CUDA, then Apple MPS, then CPU; an explicit choice that is not usable falls back to CPU."""
    preference = (preference or "auto").lower()
    try:
        cuda_ok = torch.cuda.is_available()
    except Exception:  # a half-installed driver can make even the question fail
        cuda_ok = False
    if preference in ("auto", "cuda") and cuda_ok:
        try:
            torch.zeros(1, device="cuda")
            return DeviceChoice(torch.device("cuda"), torch.cuda.get_device_name(0))
        except Exception as e:  # a broken driver or unsupported card must never stop the app
            return DeviceChoice(torch.device("cpu"), "CPU", f"GPU not usable ({e.__class__.__name__}); using the CPU")
    mps = getattr(torch.backends, "mps", None)
    if preference in ("auto", "mps") and mps is not None and mps.is_available():
        return DeviceChoice(torch.device("mps"), "Apple GPU (MPS)")
    note = "" if preference in ("auto", "cpu") else f"{preference.upper()} is not available; using the CPU"
    return DeviceChoice(torch.device("cpu"), "CPU", note)
