"""Pipeline files: YAML/JSON round trips and the errors a hand-edited file can hit."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import augkit as ak


def pipeline() -> ak.Compose:
    return ak.Compose(
        [
            ak.OneOf([ak.image.RandomCrop(20, 24), ak.image.CenterCrop(16, 16)], weights=[2, 1]),
            ak.image.HorizontalFlip(p=0.5),
            ak.image.RandomBrightnessContrast(brightness=0.1, contrast=(-0.3, 0.2), p=0.8),
            ak.image.Normalize(),
        ],
        bbox_format="yolo",
        min_visibility=0.25,
        keypoint_format="xya",
        keypoint_swap={"left_eye": "right_eye"},
        seed=42,
    )


@pytest.mark.parametrize("suffix", ["yaml", "yml", "json"])
def test_file_round_trip_keeps_every_argument_and_behaviour(tmp_path: Path, suffix: str) -> None:
    pipe = pipeline()
    path = ak.save(pipe, tmp_path / f"pipe.{suffix}")
    loaded = ak.load(path)
    assert loaded.to_dict() == pipe.to_dict()
    image = np.random.default_rng(0).integers(0, 256, (32, 40, 3), dtype=np.uint8)
    np.testing.assert_array_equal(loaded(image=image)["image"], pipe(image=image)["image"])


def test_saved_file_is_readable_plain_data(tmp_path: Path) -> None:
    text = ak.save(pipeline(), tmp_path / "pipe.yaml").read_text()
    assert "!!python" not in text and "name: RandomCrop" in text and "augkit_version" in text
    document = json.loads(ak.save(pipeline(), tmp_path / "pipe.json").read_text())
    assert document["pipeline"]["name"] == "Compose" and document["format"] == 1


def test_hand_written_minimal_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("name: Compose\ntransforms:\n  - name: RandomCrop\n    height: 4\n    width: 4\n")
    pipe = ak.load(path)
    assert pipe(image=np.zeros((8, 8), np.uint8), rng=0)["image"].shape == (4, 4)


def test_unknown_transform_name_suggests_the_right_one(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: Compose\ntransforms:\n  - name: HorizontalFlp\n")
    with pytest.raises(ak.ConfigError, match=r"unknown transform 'HorizontalFlp'\. Did you mean 'HorizontalFlip'"):
        ak.load(path)


def test_misspelled_argument_lists_valid_names(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: Compose\ntransforms:\n  - name: RandomCrop\n    hieght: 4\n    width: 4\n")
    with pytest.raises(ak.ConfigError) as info:
        ak.load(path)
    message = str(info.value)
    assert "transforms[0]" in message and "RandomCrop: unknown argument 'hieght'" in message
    assert "Did you mean 'height'" in message and "Valid arguments: height, width, p" in message


def test_bad_argument_value_names_the_place(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"name": "Compose", "transforms": [{"name": "HorizontalFlip", "p": 2}]}))
    with pytest.raises(
        ak.ConfigError, match=r"transforms\[0\]: HorizontalFlip: argument 'p' expects a probability in \[0, 1\]; got 2"
    ):
        ak.load(path)


def test_yaml_that_constructs_python_objects_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    marker = tmp_path / "pwned"
    path.write_text(f"name: !!python/object/apply:os.system ['touch {marker}']\n")
    with pytest.raises(ak.ConfigError, match=r"line 1: the file asks to construct a Python object"):
        ak.load(path)
    assert not marker.exists()


def test_other_file_errors(tmp_path: Path) -> None:
    with pytest.raises(ak.ConfigError, match="cannot tell the format"):
        ak.save(pipeline(), tmp_path / "pipe.txt")
    with pytest.raises(ak.ConfigError, match="cannot read the pipeline file"):
        ak.load(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(ak.ConfigError, match="not valid JSON"):
        ak.load(broken)
    with pytest.raises(ak.ConfigError, match="missing the 'name' key"):
        ak.from_dict({"transforms": []})
    with pytest.raises(ak.ConfigError, match="'transforms' expects a list"):
        ak.from_dict({"name": "Compose", "transforms": {"name": "HorizontalFlip"}})
