"""Time-series augmentation: magnitude and time transforms, mixing and class-guided warping, drawn
per series on ``(N, T, C)`` batches; see :mod:`augkit.timeseries.base`.

>>> import numpy as np, augkit as ak
>>> batch = np.random.default_rng(0).standard_normal((8, 100, 3)).astype(np.float32)
>>> ak.timeseries.WindowWarp(p=1.0)(series=batch, rng=0)["series"].shape
(8, 100, 3)
"""

from augkit.timeseries import functional
from augkit.timeseries.base import SeriesTransform
from augkit.timeseries.magnitude import AddNoise, Drift, Jitter, MagnitudeWarp, Quantize, Rotation, Scaling
from augkit.timeseries.mixing import SPAWNER, DiscriminativeGuidedWarp, MixUp, RandomGuidedWarp
from augkit.timeseries.time import Convolve, Crop, Dropout, Permutation, Pool, Resize, Reverse
from augkit.timeseries.warping import TimeWarp, WindowSlice, WindowWarp

__all__ = [
    "SPAWNER",
    "AddNoise",
    "Convolve",
    "Crop",
    "DiscriminativeGuidedWarp",
    "Drift",
    "Dropout",
    "Jitter",
    "MagnitudeWarp",
    "MixUp",
    "Permutation",
    "Pool",
    "Quantize",
    "RandomGuidedWarp",
    "Resize",
    "Reverse",
    "Rotation",
    "Scaling",
    "SeriesTransform",
    "TimeWarp",
    "WindowSlice",
    "WindowWarp",
    "functional",
]
