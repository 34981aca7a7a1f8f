"""``augkit demo``: augment the bundled sample photos into a folder with a manifest and a gallery.

>>> from augkit.demo import demo_pipeline
>>> demo_pipeline().bbox_format
'coco'
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

import augkit as ak
from augkit.core.errors import AugkitError
from augkit.report.gallery import GalleryItem, write_gallery
from augkit.samples import load_samples

__all__ = ["MARKER", "demo_pipeline", "run_demo"]

#: File that marks a folder as written by ``augkit demo`` (only such folders are ever rewritten).
MARKER = ".augkit-demo"


def demo_pipeline(seed: int = 0) -> ak.Compose:
    """The pipeline the demo applies: crop, flips or a quarter turn, brightness and contrast."""
    return ak.Compose(
        [
            ak.image.RandomCrop(300, 300),
            ak.image.HorizontalFlip(p=0.5),
            ak.OneOf([ak.image.VerticalFlip(p=1.0), ak.image.RandomRotate90(p=1.0)], p=0.3),
            ak.image.RandomBrightnessContrast(brightness=(-0.25, 0.25), contrast=(-0.25, 0.25), p=0.8),
        ],
        bbox_format="coco",
        min_visibility=0.3,
        seed=seed,
    )


def _prepare_output(output: Path) -> None:
    if output.exists() and not output.is_dir():
        raise AugkitError(f"augkit demo: output {output} exists and is not a folder; choose another --output")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).exists():
        raise AugkitError(
            f"augkit demo: output folder {output} is not empty and was not written by augkit demo; "
            "refusing to write into it (choose another --output)"
        )
    (output / "images").mkdir(parents=True, exist_ok=True)
    (output / "originals").mkdir(exist_ok=True)
    (output / MARKER).write_text("written by augkit demo\n", encoding="utf-8")


def _write_image(path: Path, rgb: np.ndarray) -> None:
    temporary = path.with_name(path.stem + ".tmp" + path.suffix)
    if not cv2.imwrite(str(temporary), cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 92]):
        raise AugkitError(f"augkit demo: could not write {path}")
    os.replace(temporary, path)


def _voc(boxes: np.ndarray) -> list[list[float]]:
    out = np.asarray(boxes, dtype=np.float64).reshape(-1, 4).copy()
    out[:, 2:] += out[:, :2]
    return out.round(2).tolist()


def run_demo(
    output: str | Path = "augkit-demo",
    copies: int = 4,
    seed: int = 0,
    pipeline: ak.BaseTransform | None = None,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Augment every bundled sample ``copies`` times; return the path of the HTML gallery."""
    out_dir = Path(output)
    _prepare_output(out_dir)
    pipe = pipeline if pipeline is not None else demo_pipeline(seed)
    ak.save(pipe, out_dir / "pipeline.yaml")
    pipeline_hash = hashlib.sha256(json.dumps(pipe.to_dict(), sort_keys=True).encode()).hexdigest()
    rows = []
    manifest_lines = []
    samples = load_samples()
    for sample_index, sample in enumerate(samples):
        original_name = f"originals/{sample.name}.jpg"
        _write_image(out_dir / original_name, sample.image)
        height, width = sample.image.shape[:2]
        original = GalleryItem(sample.name, original_name, height, width, _voc(sample.bboxes), sample.labels)
        source_hash = hashlib.sha256(sample.path.read_bytes()).hexdigest()
        copies_items = []
        for copy in range(copies):
            index = sample_index * copies + copy
            out = pipe(
                image=sample.image,
                bboxes=sample.bboxes,
                labels=sample.labels,
                rng=ak.rng_for(seed, 0, index),
                record=True,
            )
            name = f"images/{sample.name}_{copy:02d}.jpg"
            _write_image(out_dir / name, out["image"])
            h, w = out["image"].shape[:2]
            copies_items.append(
                GalleryItem(f"{sample.name} #{copy}", name, h, w, _voc(out["bboxes"]), out["labels"], out["applied"])
            )
            manifest_lines.append(
                json.dumps(
                    {
                        "output": name,
                        "source": f"augkit/samples/images/{sample.path.name}",
                        "source_sha256": source_hash,
                        "index": index,
                        "copy": copy,
                        "seed": seed,
                        "epoch": 0,
                        "pipeline_sha256": pipeline_hash,
                        "size": [h, w],
                        "bboxes_coco": np.asarray(out["bboxes"]).round(3).tolist(),
                        "labels": out["labels"],
                        "applied": out["applied"],
                    },
                    allow_nan=False,
                )
            )
        rows.append((original, copies_items))
        if progress is not None:
            progress(f"[{sample_index + 1}/{len(samples)}] {sample.name}: {copies} copies")
    manifest = out_dir / "manifest.jsonl"
    temporary = manifest.with_name("manifest.jsonl.tmp")
    temporary.write_text("\n".join(manifest_lines) + "\n", encoding="utf-8")
    temporary.replace(manifest)
    return write_gallery(out_dir / "index.html", rows, title="augkit demo")
