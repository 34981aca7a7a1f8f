"""Per-series draws and checks shared by the time-series classes (private).

>>> import numpy as np
>>> per_series_uniform(np.random.default_rng(0), (1.0, 1.0), 3)
1.0
>>> len(per_series_uniform(np.random.default_rng(0), (0.0, 1.0), 3))
3
"""

from __future__ import annotations

import numpy as np

from augkit.core.errors import TargetError

__all__ = ["per_series_int", "per_series_uniform", "too_short", "window_steps"]


def per_series_uniform(rng: np.random.Generator, bounds: tuple[float, float], count: int, lanes: int = 1) -> float | list:
    """One value when the range is a single number; else ``count`` uniform draws (a list, or a list of
    ``lanes``-long lists when ``lanes > 1``)."""
    low, high = bounds
    if low == high:
        return float(low)
    draws = low + (high - low) * rng.random((count, lanes) if lanes > 1 else count)
    return draws.tolist()


def per_series_int(rng: np.random.Generator, bounds: tuple[int, int], count: int, lanes: int = 1) -> int | list:
    """As :func:`per_series_uniform` for an inclusive integer range."""
    low, high = bounds
    if low == high:
        return int(low)
    return rng.integers(low, high + 1, size=(count, lanes) if lanes > 1 else count).tolist()


def window_steps(ratio: float, length: int) -> int:
    """``ceil(ratio * length)`` steps, at least 1 (Iwana & Uchida's window sizes).

    >>> window_steps(0.1, 150)
    15
    """
    return max(1, int(np.ceil(ratio * length - 1e-9)))


def too_short(owner: str, length: int, needed: int, what: str) -> TargetError:
    """The error for a series shorter than a transform's window."""
    return TargetError(f"{owner}: target 'series' has {length} steps; {what} needs at least {needed} steps")
