"""Time-series augmentation: magnitude and time transforms, mixing and class-guided warping, drawn
per series on ``(N, T, C)`` batches; see :mod:`augkit.timeseries.base`.
"""

from augkit.timeseries.base import SeriesTransform

__all__ = ["SeriesTransform"]
