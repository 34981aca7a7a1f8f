"""`augkit demo`: real sample photos in, images + manifest + gallery out, never clobbering data."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

import augkit as ak
from augkit.cli import main
from augkit.samples import load_samples


def test_samples_are_real_annotated_photos() -> None:
    samples = load_samples()
    assert len(samples) >= 5
    for sample in samples:
        height, width = sample.image.shape[:2]
        assert sample.image.dtype == np.uint8 and sample.image.shape[2] == 3 and min(height, width) >= 300
        assert sample.image.std() > 20, "a photograph, not a flat image"
        boxes = sample.bboxes
        assert len(boxes) == len(sample.labels) >= 1
        assert (
            (boxes[:, 2:] > 0).all()
            and (boxes[:, 0] + boxes[:, 2] <= width).all()
            and (boxes[:, 1] + boxes[:, 3] <= height).all()
        )


def test_demo_writes_images_manifest_and_gallery(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "demo"
    assert main(["demo", "--output", str(out), "--copies", "2", "--seed", "7"]) == 0
    samples = load_samples()
    lines = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert len(lines) == 2 * len(samples)
    pipe = ak.load(out / "pipeline.yaml")
    by_name = {s.path.name: s for s in samples}
    for entry in lines:
        written = cv2.imread(str(out / entry["output"]))
        assert written is not None and list(written.shape[:2]) == entry["size"]
        sample = by_name[Path(entry["source"]).name]
        # the record in the manifest reproduces the output exactly (before JPEG encoding)
        again = pipe.replay(entry["applied"], image=sample.image, bboxes=sample.bboxes, labels=sample.labels)
        np.testing.assert_allclose(again["bboxes"], entry["bboxes_coco"], atol=1e-3)
        assert again["labels"] == entry["labels"]
        # and so does the per-sample generator named in the manifest
        fresh = pipe(
            image=sample.image,
            bboxes=sample.bboxes,
            labels=sample.labels,
            rng=ak.rng_for(entry["seed"], entry["epoch"], entry["index"]),
        )
        np.testing.assert_array_equal(fresh["image"], again["image"])
    page = (out / "index.html").read_text()
    assert page.count("<figure") == 3 * len(samples) and "<rect" in page and "originals/chelsea.jpg" in page
    assert "open" in capsys.readouterr().out


def test_demo_refuses_to_write_into_a_foreign_folder(tmp_path: Path) -> None:
    precious = tmp_path / "data"
    precious.mkdir()
    (precious / "thesis.txt").write_text("do not touch")
    assert main(["demo", "--output", str(precious), "--copies", "1"]) == 1
    assert sorted(p.name for p in precious.iterdir()) == ["thesis.txt"]
    assert (precious / "thesis.txt").read_text() == "do not touch"


def test_demo_can_run_again_in_its_own_folder(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    assert main(["demo", "--output", str(out), "--copies", "1"]) == 0
    first = (out / "manifest.jsonl").read_text()
    assert main(["demo", "--output", str(out), "--copies", "1"]) == 0
    assert (out / "manifest.jsonl").read_text() == first


def test_demo_with_a_pipeline_file(tmp_path: Path) -> None:
    path = ak.save(ak.Compose([ak.image.Resize(64, 80)], bbox_format="coco"), tmp_path / "p.yaml")
    out = tmp_path / "demo"
    assert main(["demo", "--output", str(out), "--copies", "1", "--pipeline", str(path)]) == 0
    entry = json.loads((out / "manifest.jsonl").read_text().splitlines()[0])
    assert entry["size"] == [64, 80]
