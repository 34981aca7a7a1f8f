"""Small real photographs with bounding-box annotations, bundled with augkit.

The images are six photographs taken from the scikit-image 0.26.0 sample data
(public domain or CC0, see ``LICENSES.md`` in this folder), resized to about
500x375 (or 375x500) pixels and saved as JPEG. Their boxes, and the keypoints
of the cat, are stored in COCO format in ``annotations.json``.

Example:
    >>> from augkit.samples import load_samples
    >>> samples = load_samples()
    >>> cat = next(s for s in samples if s.name == "chelsea")
    >>> cat.image.shape, cat.image.dtype
    ((375, 500, 3), dtype('uint8'))
    >>> cat.labels
    ['cat', 'eye', 'eye', 'nose']
    >>> cat.bboxes[0].tolist()  # COCO [x, y, width, height], in pixels
    [0.0, 0.0, 481.0, 375.0]

"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

__all__ = ["ANNOTATIONS_FILE", "AUDIO_DIR", "IMAGES_DIR", "SAMPLES_DIR", "Sample", "load_samples", "load_speech"]

SAMPLES_DIR: Path = Path(__file__).resolve().parent
"""Folder holding ``annotations.json``, ``LICENSES.md`` and ``images/``."""

IMAGES_DIR: Path = SAMPLES_DIR / "images"
"""Folder holding the JPEG files; COCO ``file_name`` entries are relative to it."""

ANNOTATIONS_FILE: Path = SAMPLES_DIR / "annotations.json"
"""The COCO annotation file of the samples."""

AUDIO_DIR: Path = SAMPLES_DIR / "audio"
"""Folder holding the CMU ARCTIC speech clips (``arctic_a0007.wav``, ``arctic_a0009.wav``) and ``noise/``."""


def load_speech(name: str = "arctic_a0007") -> tuple[np.ndarray, int]:
    """A bundled speech clip as ``(samples,)`` float32 in [-1, 1) and its sample rate (16 kHz, mono).

    ``arctic_a0007`` is a male voice (4.0 s), ``arctic_a0009`` a female one (3.1 s); CMU ARCTIC, see
    ``LICENSES.md``.

    >>> audio, rate = load_speech()
    >>> audio.shape, audio.dtype, rate
    ((64000,), dtype('float32'), 16000)
    """
    from scipy.io import wavfile

    path = AUDIO_DIR / f"{name}.wav"
    if not path.is_file():
        names = sorted(p.stem for p in AUDIO_DIR.glob("*.wav"))
        raise FileNotFoundError(f"load_speech: no bundled clip {name!r}; expected one of {', '.join(names)}")
    rate, pcm = wavfile.read(path)
    return (pcm.astype(np.float32) * np.float32(1.0 / 32768)), int(rate)


@dataclass(frozen=True, eq=False)
class Sample:
    """One bundled photograph with its annotations.

    Attributes:
        name: Short name of the image (its file name without extension).
        path: Path of the JPEG file.
        image: The decoded image, ``(H, W, 3)`` ``uint8``, RGB order,
            C-contiguous.
        bboxes: ``(N, 4)`` ``float64`` array of COCO boxes
            ``[x, y, width, height]`` in absolute pixels.
        labels: Category name of each box (``len(labels) == N``).
        keypoints: ``(K, 3)`` ``float64`` array of ``[x, y, visibility]``
            rows (COCO visibility: 0 not labelled, 1 hidden, 2 visible), or
            ``None`` when the image has no keypoints.
        keypoint_names: Name of each keypoint row (empty when ``keypoints``
            is ``None``).

    Example:
        >>> from augkit.samples import load_samples
        >>> s = load_samples()[0]
        >>> s.bboxes.shape[0] == len(s.labels)
        True

    """

    name: str
    path: Path
    image: np.ndarray
    bboxes: np.ndarray
    labels: list[str]
    keypoints: np.ndarray | None
    keypoint_names: tuple[str, ...] = ()


def _read_rgb(path: Path) -> np.ndarray:
    """Decode an image file with OpenCV and return it as contiguous RGB uint8."""
    bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if bgr is None:
        msg = f"cannot read sample image {path}"
        raise FileNotFoundError(msg)
    rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    return np.ascontiguousarray(rgb, dtype=np.uint8)


def load_samples() -> list[Sample]:
    """Load every bundled sample photograph with its annotations.

    Images are returned in the order of ``annotations.json`` (by image id).
    Each call decodes the files again, so the arrays may be modified freely.

    Returns:
        One :class:`Sample` per image.

    Example:
        >>> from augkit.samples import load_samples
        >>> [s.name for s in load_samples()]  # doctest: +NORMALIZE_WHITESPACE
        ['astronaut', 'chelsea', 'coffee', 'rocket', 'hubble_deep_field',
         'retina']

    """
    coco: dict[str, Any] = json.loads(ANNOTATIONS_FILE.read_text(encoding="utf-8"))
    categories: dict[int, dict[str, Any]] = {c["id"]: c for c in coco["categories"]}
    by_image: dict[int, list[dict[str, Any]]] = {}
    for ann in sorted(coco["annotations"], key=lambda a: a["id"]):
        by_image.setdefault(ann["image_id"], []).append(ann)

    samples: list[Sample] = []
    for info in sorted(coco["images"], key=lambda i: i["id"]):
        path = IMAGES_DIR / info["file_name"]
        image = _read_rgb(path)
        anns = by_image.get(info["id"], [])
        bboxes = np.array([a["bbox"] for a in anns], dtype=np.float64).reshape(-1, 4)
        labels = [str(categories[a["category_id"]]["name"]) for a in anns]

        rows: list[list[float]] = []
        names: list[str] = []
        for a in anns:
            flat = a.get("keypoints")
            if not flat:
                continue
            rows.extend([float(v) for v in flat[k : k + 3]] for k in range(0, len(flat), 3))
            kp_names = categories[a["category_id"]].get("keypoints", [])
            names.extend(str(n) for n in kp_names)
        keypoints = np.array(rows, dtype=np.float64).reshape(-1, 3) if rows else None

        samples.append(
            Sample(
                name=Path(info["file_name"]).stem,
                path=path,
                image=image,
                bboxes=bboxes,
                labels=labels,
                keypoints=keypoints,
                keypoint_names=tuple(names),
            )
        )
    return samples
