"""Benchmark inputs: real RGB photos at about 500x375, decoded once per library.

Sources, in this order:

1. the photos augkit ships (``augkit.samples.load_samples()``, or the files under
   ``src/augkit/samples/images/`` if the package is not importable yet), used as they are;
2. the larger colour photos bundled in the scikit-image wheel, which ``setup_env.sh`` extracts
   into ``benchmarks/.data/skimage/``.  From each we cut several different 375x500 windows at
   random scales, so the pool holds many distinct images rather than a few repeated ones (repeats
   would sit in the CPU cache and flatter every library).

Every library then gets its own copy of the pool in its native layout:
numpy HWC uint8 (augkit, Albumentations), CHW uint8 tensors (torchvision) and float32 CHW
tensors scaled to [0, 1] (Kornia).
"""

from __future__ import annotations

import glob
import os

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SAMPLES_DIR = os.path.join(REPO, "src", "augkit", "samples", "images")
SKIMAGE_DIR = os.path.join(HERE, ".data", "skimage")

HEIGHT, WIDTH = 375, 500

# Colour photographs in the scikit-image wheel (not the synthetic or grey ones).
SKIMAGE_PHOTOS = (
    "astronaut.png",
    "chelsea.png",
    "coffee.png",
    "motorcycle_left.png",
    "motorcycle_right.png",
    "rocket.jpg",
    "hubble_deep_field.jpg",
    "retina.jpg",
    "ihc.png",
)


def _read_rgb(path: str) -> np.ndarray:
    bgr = cv2.imread(path, cv2.IMREAD_COLOR)
    if bgr is None:
        raise OSError(f"cannot decode {path}")
    return np.ascontiguousarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))


def _augkit_samples() -> list[tuple[str, np.ndarray]]:
    """The photos shipped with augkit (through its API when it is importable)."""
    try:
        from augkit.samples import load_samples  # type: ignore[import-not-found]

        out = []
        for i, sample in enumerate(load_samples()):
            name = getattr(sample, "name", str(i))
            img = np.asarray(getattr(sample, "image", sample))
            if img.ndim == 3 and img.shape[2] == 3 and img.dtype == np.uint8:
                out.append((f"augkit:{name}", np.ascontiguousarray(img)))
        if out:
            return out
    except Exception:  # not importable yet, or a different return shape: read the files
        pass
    return [(f"augkit:{os.path.basename(p)}", _read_rgb(p)) for p in sorted(glob.glob(os.path.join(SAMPLES_DIR, "*.jpg")))]


def _random_window(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A HEIGHTxWIDTH window of ``img`` at a random scale (area resampling, then a random crop)."""
    h, w = img.shape[:2]
    cover = max(HEIGHT / h, WIDTH / w)  # smallest scale whose result still covers the window
    scale = cover * rng.uniform(1.0, 1.6) if cover < 1.0 else cover * rng.uniform(1.0, 1.15)
    nh, nw = max(HEIGHT, round(h * scale)), max(WIDTH, round(w * scale))
    interp = cv2.INTER_AREA if scale < 1.0 else cv2.INTER_CUBIC
    resized = cv2.resize(img, (nw, nh), interpolation=interp)
    y = int(rng.integers(0, nh - HEIGHT + 1))
    x = int(rng.integers(0, nw - WIDTH + 1))
    return np.ascontiguousarray(resized[y : y + HEIGHT, x : x + WIDTH])


def build_pool(n: int, seed: int = 0) -> tuple[list[np.ndarray], list[str]]:
    """``n`` distinct RGB HWC uint8 photos of about 500x375, and where each came from."""
    rng = np.random.default_rng(seed)
    shipped = _augkit_samples()
    large = [
        (f"skimage:{name}", _read_rgb(os.path.join(SKIMAGE_DIR, name)))
        for name in SKIMAGE_PHOTOS
        if os.path.exists(os.path.join(SKIMAGE_DIR, name))
    ]
    if not shipped and not large:
        raise SystemExit("no photos found: run `bash benchmarks/setup_env.sh` first")
    images: list[np.ndarray] = []
    names: list[str] = []
    for name, img in shipped[:n]:
        images.append(img)
        names.append(name)
    sources = large or shipped
    i = 0
    while len(images) < n:
        name, img = sources[i % len(sources)]
        images.append(_random_window(img, rng))
        names.append(f"{name}#window{i // len(sources)}")
        i += 1
    return images, names


def as_numpy_hwc(images: list[np.ndarray]) -> list[np.ndarray]:
    """A private copy of the pool (each library works on its own arrays)."""
    return [np.ascontiguousarray(img.copy()) for img in images]


def as_torch_chw_uint8(images: list[np.ndarray]):
    import torch

    return [torch.from_numpy(img).permute(2, 0, 1).contiguous() for img in images]


def as_torch_chw_float(images: list[np.ndarray]):
    import torch

    return [(torch.from_numpy(img).permute(2, 0, 1).to(torch.float32) / 255.0).contiguous() for img in images]


if __name__ == "__main__":
    imgs, srcs = build_pool(24)
    for img, src in zip(imgs, srcs, strict=True):
        print(f"{src:45s} {img.shape} {img.dtype} mean={img.mean():.1f}")
