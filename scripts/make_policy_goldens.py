"""Write the torchvision reference outputs the policy tests compare against (CI has no torchvision).

Run with the benchmark virtualenv (torchvision 0.29.1):

    benchmarks/.venv/bin/python scripts/make_policy_goldens.py

Writes ``tests/data/policies/``:

* ``ops.npz``: a 64x48 RGB crop and a grey crop of bundled photos, and torchvision v2's output for
  every op at a few magnitudes (through the op dispatcher its AutoAugment/RandAugment/TrivialAugment/
  AugMix share), nearest and bilinear, fill 0 and a per-channel fill; ``cases`` (JSON) lists them.
* ``torchvision_tables.json``: torchvision's AutoAugment sub-policies and the magnitude tables of
  its four policies (at 48x64 and 224x224), to check our transcription and ranges.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np
import torch
import torchvision
import torchvision.transforms.v2 as T
from torchvision.transforms import InterpolationMode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from augkit.samples import load_samples  # noqa: E402

OUT = ROOT / "tests" / "data" / "policies"
FILL = (128.0, 64.0, 200.0)

GEOMETRIC = {
    "Rotate": (9.0, -27.0, 76.5, -3.3333333333333335),
    "ShearX": (0.09, -0.3, 0.2, 0.99),
    "ShearY": (-0.09, 0.3, -0.495, 0.04),
    "TranslateX": (9.7, -29.0),
    "TranslateY": (-14.2, 32.0),
}
PIXEL = {
    "Brightness": (-0.99, -0.3, 0.27, 0.9),
    "Color": (-0.99, -0.3, 0.27, 0.9),
    "Contrast": (-0.99, -0.3, 0.27, 0.9),
    "Sharpness": (-0.99, -0.3, 0.27, 0.9),
    "Posterize": (0, 2, 4, 7),
    "Solarize": (1.0, 0.7, 0.2, 0.0),
    "AutoContrast": (0.0,),
    "Equalize": (0.0,),
    "Invert": (0.0,),
    "Identity": (0.0,),
}
GREY = {
    "Rotate": (27.0,),
    "ShearX": (0.3,),
    "Contrast": (-0.5, 0.6),
    "Color": (0.5,),
    "Sharpness": (0.9,),
    "Equalize": (0.0,),
    "AutoContrast": (0.0,),
}


def crops() -> dict[str, np.ndarray]:
    samples = {s.name: s.image for s in load_samples()}
    rgb = np.ascontiguousarray(samples["chelsea"][264:312, 256:320])  # fur, whiskers and shadow: edges, texture, colour
    grey = np.ascontiguousarray(samples["rocket"][312:360, 224:288].mean(axis=2).round().astype(np.uint8))
    return {"rgb": rgb, "grey": grey}


def as_tensor(image: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(image[:, :, None] if image.ndim == 2 else image).permute(2, 0, 1).contiguous()


def run(image: np.ndarray, op: str, magnitude: float, interpolation: str, fill: tuple[float, ...] | None) -> np.ndarray:
    policy = T.RandAugment(fill=None if fill is None else list(fill))
    mode = InterpolationMode.NEAREST if interpolation == "nearest" else InterpolationMode.BILINEAR
    out = policy._apply_image_or_video_transform(as_tensor(image), op, magnitude, interpolation=mode, fill=policy._fill)
    array = out.permute(1, 2, 0).contiguous().numpy()
    return array[:, :, 0] if image.ndim == 2 else array


def golden_outputs(images: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], list[dict[str, object]]]:
    arrays: dict[str, np.ndarray] = dict(images)
    cases: list[dict[str, object]] = []

    def add(source: str, op: str, magnitude: float, interpolation: str, fill: tuple[float, ...] | None) -> None:
        key = f"case{len(cases)}"
        arrays[key] = run(images[source], op, magnitude, interpolation, fill)
        cases.append(
            {"key": key, "image": source, "op": op, "magnitude": magnitude, "interpolation": interpolation, "fill": fill}
        )

    for op, magnitudes in GEOMETRIC.items():
        for magnitude in magnitudes:
            for interpolation in ("nearest", "linear"):
                add("rgb", op, magnitude, interpolation, None)
        add("rgb", op, magnitudes[0], "nearest", FILL)
    for op, magnitudes in PIXEL.items():
        for magnitude in magnitudes:
            add("rgb", op, magnitude, "nearest", None)
    for op, magnitudes in GREY.items():
        for magnitude in magnitudes:
            add("grey", op, magnitude, "nearest", None)
    return arrays, cases


def tables() -> dict[str, object]:
    policies = {
        name: [[list(step) for step in pair] for pair in T.AutoAugment(policy)._policies]
        for name, policy in (
            ("imagenet", T.AutoAugmentPolicy.IMAGENET),
            ("cifar10", T.AutoAugmentPolicy.CIFAR10),
            ("svhn", T.AutoAugmentPolicy.SVHN),
        )
    }
    spaces: dict[str, object] = {}
    for family, cls, bins in (
        ("AutoAugment", T.AutoAugment, 10),
        ("RandAugment", T.RandAugment, 31),
        ("TrivialAugmentWide", T.TrivialAugmentWide, 31),
        ("AugMix", T.AugMix, 10),
    ):
        for height, width in ((48, 64), (224, 224)):
            ops = {}
            for name, (magnitudes_fn, signed) in cls._AUGMENTATION_SPACE.items():
                values = magnitudes_fn(bins, height, width)
                ops[name] = {"signed": bool(signed), "values": None if values is None else [float(v) for v in values.tolist()]}
            spaces[f"{family}@{height}x{width}"] = {"bins": bins, "height": height, "width": width, "ops": ops}
    return {"torchvision": torchvision.__version__, "policies": policies, "spaces": spaces}


def main() -> None:
    torch.set_num_threads(1)
    OUT.mkdir(parents=True, exist_ok=True)
    arrays, cases = golden_outputs(crops())
    arrays["cases"] = np.array(json.dumps({"torchvision": torchvision.__version__, "cases": cases}))
    np.savez_compressed(OUT / "ops.npz", **arrays)
    (OUT / "torchvision_tables.json").write_text(json.dumps(tables(), separators=(",", ":")) + "\n")
    sizes = {p.name: os.path.getsize(p) for p in OUT.iterdir()}
    print(f"{len(cases)} cases; files: {sizes} (total {sum(sizes.values()) / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
