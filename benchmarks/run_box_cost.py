"""What box handling adds to each spatial transform, in microseconds, for 10 boxes.

For every registered spatial transform that supports boxes, built with its ``example()`` arguments:
64 parameter draws are sampled on a 500x375 image holding 10 random boxes (sizes 10-150 px, all
inside the image); the timed call is the work the pipeline does for boxes in that transform,
``apply_bboxes`` plus clipping to the output size plus dropping empty boxes, cycling over the draws.
The pipeline's fixed per-call cost of converting the user's boxes in and out is reported apart (it
is paid once per pipeline, not per transform): ``Compose([HorizontalFlip])`` with 10 boxes minus the
same call without boxes.

Medians of 15 interleaved repeats of ~20 ms each, one thread.

    benchmarks/.venv/bin/python benchmarks/run_box_cost.py    (or the dev venv; augkit only)
"""

from __future__ import annotations

import _single_thread  # noqa: F401  (one thread, before numpy/OpenCV load)

# isort: split
import datetime
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable

import cv2
import numpy as np

import images

sys.path.insert(0, os.path.join(images.REPO, "src"))
import augkit as ak
from augkit.core import boxes as box_ops
from augkit.core.targets import DEFAULT_SETTINGS, prepare
from augkit.core.transform import Transform

HEIGHT, WIDTH, BOXES, DRAWS, TARGET_US = 375, 500, 10, 64, 10.0


def random_boxes(rng: np.random.Generator) -> np.ndarray:
    size = rng.uniform(10, 150, (BOXES, 2))
    corner = rng.uniform(0, 1, (BOXES, 2)) * ([WIDTH, HEIGHT] - size)
    return np.concatenate([corner, corner + size], axis=1)


def box_case(cls: type[Transform], image: np.ndarray, boxes: np.ndarray) -> Callable[[], None]:
    transform = cls.example()
    state = prepare(cls.__name__, DEFAULT_SETTINGS, {"image": image, "bboxes": boxes, "labels": list(range(BOXES))})
    draws = []
    for seed in range(DRAWS):
        params = transform.sample(np.random.default_rng(seed), state)
        out_height, out_width = transform.apply_image(image, params).shape[:2]
        draws.append((params, out_height, out_width))

    def run() -> None:
        for params, out_height, out_width in draws:
            state.boxes, state.box_index = boxes, np.arange(BOXES)
            state.height, state.width = out_height, out_width
            moved = transform.apply_bboxes(boxes, params, HEIGHT, WIDTH)
            state._keep_boxes(box_ops.clip_boxes(moved, out_height, out_width))

    return run


def fixed_cost_cases(image: np.ndarray, boxes: np.ndarray) -> dict[str, Callable[[], None]]:
    flip = ak.Compose([ak.image.HorizontalFlip(p=1.0)], seed=0)
    labels = list(range(BOXES))
    with_boxes = lambda: flip(image=image, bboxes=boxes, labels=labels)  # noqa: E731
    without = lambda: flip(image=image)  # noqa: E731
    return {"pipeline: with 10 boxes": with_boxes, "pipeline: image only": without}


def measure(cases: dict[str, Callable[[], None]], per_call: dict[str, int], repeats: int = 15) -> dict[str, float]:
    numbers = {}
    for name, fn in cases.items():
        fn()
        start = time.perf_counter()
        fn()
        once = max(time.perf_counter() - start, 1e-7)
        numbers[name] = max(1, int(0.02 / once))
    samples: dict[str, list[float]] = {name: [] for name in cases}
    names = list(cases)
    for repeat in range(repeats):
        for name in names[repeat % len(names) :] + names[: repeat % len(names)]:
            fn, number = cases[name], numbers[name]
            start = time.perf_counter()
            for _ in range(number):
                fn()
            samples[name].append((time.perf_counter() - start) / (number * per_call[name]) * 1e6)
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> int:
    cv2.setNumThreads(1)
    image = np.zeros((HEIGHT, WIDTH, 3), np.uint8)
    boxes = random_boxes(np.random.default_rng(0))
    # InstaBoost (it needs instance masks) is left out: its cost is the inpainting, not the boxes
    classes = [
        cls
        for cls in ak.registered_classes()
        if issubclass(cls, Transform) and cls.spatial and "bboxes" in cls.targets and not cls.required_targets
    ]
    cases = {cls.__name__: box_case(cls, image, boxes) for cls in classes}
    per_call = dict.fromkeys(cases, DRAWS)
    fixed = fixed_cost_cases(image, boxes)
    cases.update(fixed)
    per_call.update(dict.fromkeys(fixed, 1))
    result = measure(cases, per_call)
    pipeline_fixed = result.pop("pipeline: with 10 boxes") - result.pop("pipeline: image only")
    stamp = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    lines = [
        f"Box handling per transform, 10 boxes on a 500x375 image, mean over {DRAWS} parameter draws of the "
        "transform's example arguments (median of 15 interleaved repeats), one thread.  ",
        f"{platform.processor() or platform.machine()}, nproc={os.cpu_count()}, Python {platform.python_version()}, "
        f"numpy {np.__version__}, OpenCV {cv2.__version__}, augkit {ak.__version__}; {stamp}.",
        "",
        f"Fixed cost per pipeline call (boxes converted in and out, checked, filtered): {pipeline_fixed:.1f} µs.",
        "",
        "| Transform | µs per transform | <= 10 µs |",
        "|---|--:|:-:|",
    ]
    for name, value in sorted(result.items(), key=lambda item: item[1]):
        lines.append(f"| {name} | {value:.1f} | {'yes' if value <= TARGET_US else 'no'} |")
    text = "\n".join(lines) + "\n"
    print(text)
    out_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
    with open(os.path.join(out_dir, "box_cost.md"), "w") as handle:
        handle.write(text)
    with open(os.path.join(out_dir, "box_cost.json"), "w") as handle:
        json.dump({"date": stamp, "pipeline_fixed_us": pipeline_fixed, "per_transform_us": result}, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
