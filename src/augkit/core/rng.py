"""Random generators keyed to the sample, never to the worker.

>>> a = rng_for(seed=42, epoch=0, index=7).random()
>>> b = rng_for(seed=42, epoch=0, index=7).random()
>>> a == b
True
"""

from __future__ import annotations

from numbers import Integral

import numpy as np

from augkit.core.errors import ArgumentError, describe

__all__ = ["as_generator", "draw_seed", "rng_for", "uniform"]


def rng_for(seed: int, epoch: int = 0, index: int = 0) -> np.random.Generator:
    """The generator for sample ``index`` of ``epoch`` in a run seeded with ``seed``.

    The key is a SeedSequence of ``[index, epoch, seed]``, so the same sample gets the same draw
    whatever the worker count, the engine, retries or the order samples are processed in.
    """
    for name, value in (("seed", seed), ("epoch", epoch), ("index", index)):
        if not isinstance(value, Integral) or isinstance(value, bool) or value < 0:
            raise ArgumentError(f"rng_for: argument {name!r} expects an integer >= 0; got {describe(value)}")
    return np.random.default_rng([int(index), int(epoch), int(seed)])


def as_generator(owner: str, rng: object) -> np.random.Generator:
    """``rng`` as a Generator: a Generator is used as is, an int seeds a new one, None draws entropy."""
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, Integral) and not isinstance(rng, bool) and int(rng) >= 0:
        return np.random.default_rng(int(rng))
    raise ArgumentError(
        f"{owner}: argument 'rng' expects a numpy.random.Generator, an integer seed >= 0 or None; got {describe(rng)}"
    )


def uniform(rng: np.random.Generator, bounds: tuple[float, float]) -> float:
    """A uniform draw from ``(low, high)``; a degenerate range returns ``low`` without drawing.

    >>> uniform(np.random.default_rng(0), (2.0, 2.0))
    2.0
    """
    low, high = bounds
    return low if low == high else low + (high - low) * float(rng.random())


def draw_seed(rng: np.random.Generator) -> int:
    """A seed in ``[0, 2**31)`` for a kernel's own generator (large random fields are regenerated from
    it, so a record stays small and replays exactly). One ``random()`` draw, cheaper than ``integers``.

    >>> 0 <= draw_seed(np.random.default_rng(0)) < 2**31
    True
    """
    return int(rng.random() * 2147483648.0)
