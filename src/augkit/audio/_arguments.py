"""Argument checks the audio transforms share, built on :mod:`augkit.core.validate`.

audiomentations gives every random range as two arguments, ``min_x`` and ``max_x`` (the core's
:func:`~augkit.core.validate.as_range` takes one ``(min, max)`` argument instead), so the pair is checked
here with the core's number checks. Besides: in-memory sounds given as arguments (noise, impulse
responses) and inner transforms (``noise_transform``, ``part_transform``).

>>> min_max("AddGaussianSNR", "snr_db", 5, 40)
(5.0, 40.0)
>>> int_min_max("BitCrush", "bit_depth", 5, 10, low=1, high=32)
(5, 10)
"""

from __future__ import annotations

import numpy as np

from augkit.core.errors import ArgumentError, ConfigError, describe
from augkit.core.transform import BaseTransform
from augkit.core.validate import as_float, as_int

__all__ = ["int_min_max", "min_max", "nested_transform", "run_nested", "sound_array"]


def min_max(
    owner: str,
    name: str,
    minimum: object,
    maximum: object,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> tuple[float, float]:
    """The ``min_<name>`` / ``max_<name>`` arguments: finite numbers within ``[low, high]`` (``low`` or
    ``high`` itself excluded with ``low_open`` / ``high_open``), the first not above the second.

    >>> min_max("BandPass", "bandwidth_fraction", 0.5, 2.0, low=0.0, high=2.0, low_open=True, high_open=True)
    Traceback (most recent call last):
    augkit.core.errors.ArgumentError: BandPass: argument 'max_bandwidth_fraction' expects a number > 0.0 and < 2.0; got 2.0
    """
    names = (f"min_{name}", f"max_{name}")
    pair = []
    for argument, value in zip(names, (minimum, maximum), strict=True):
        try:
            number: float | None = as_float(owner, argument, value, low=low, high=high)
        except ArgumentError:
            if not (low_open or high_open):
                raise
            number = None  # the core's message would show a closed interval
        if number is None or (low_open and number == low) or (high_open and number == high):
            ends = [f"{'>' if low_open else '>='} {low}"] if low is not None else []
            ends += [f"{'<' if high_open else '<='} {high}"] if high is not None else []
            raise ArgumentError(f"{owner}: argument {argument!r} expects a number {' and '.join(ends)}; got {describe(value)}")
        pair.append(number)
    _check_order(owner, names, pair[0], pair[1], minimum)
    return pair[0], pair[1]


def int_min_max(
    owner: str, name: str, minimum: object, maximum: object, *, low: int | None = None, high: int | None = None
) -> tuple[int, int]:
    """The ``min_<name>`` / ``max_<name>`` arguments as integers within ``[low, high]``, the first not above the second."""
    first = as_int(owner, f"min_{name}", minimum, low=low, high=high)
    second = as_int(owner, f"max_{name}", maximum, low=low, high=high)
    _check_order(owner, (f"min_{name}", f"max_{name}"), first, second, minimum)
    return first, second


def _check_order(owner: str, names: tuple[str, str], first: float, second: float, given: object) -> None:
    if first > second:
        raise ArgumentError(f"{owner}: argument {names[0]!r} expects a number <= {names[1]} ({second}); got {describe(given)}")


def sound_array(owner: str, name: str, value: np.ndarray, position: int | None = None) -> np.ndarray:
    """A sound given as an array (a noise, an impulse response): a non-empty, finite float array
    ``(samples,)`` or ``(channels, samples)``, returned as a new read-only ``(channels, samples)`` float32
    array. ``position`` names the item of a list argument in the error.

    >>> sound_array("ApplyImpulseResponse", "ir_path", np.array([1.0, 0.5])).tolist()
    [[1.0, 0.5]]
    """
    if value.dtype.kind != "f" or value.ndim not in (1, 2) or value.size == 0 or not np.isfinite(value).all():
        item = "" if position is None else f"item {position}: "
        raise ArgumentError(
            f"{owner}: argument {name!r} expects float arrays (samples,) or (channels, samples), non-empty and finite; "
            f"got {item}{describe(value)}"
        )
    out = np.array(value if value.ndim == 2 else value[None], dtype=np.float32, order="C")
    out.setflags(write=False)
    return out


def nested_transform(owner: str, name: str, value: object) -> BaseTransform | None:
    """An inner audio transform argument (``noise_transform``, ``part_transform``): None, a transform or
    pipeline that takes audio, or its config dict (as ``to_dict`` writes it)."""
    if value is None:
        return None
    if isinstance(value, dict):
        from augkit.core.config import from_dict

        try:
            value = from_dict(value, where=f"{owner}.{name}")
        except ConfigError as error:
            raise ArgumentError(f"{owner}: argument {name!r} holds a config that cannot be built: {error}") from None
    targets: frozenset[str] = getattr(value, "targets", frozenset())
    if not isinstance(value, BaseTransform) or "audio" not in targets:
        raise ArgumentError(
            f"{owner}: argument {name!r} expects None, an augkit audio transform or pipeline (or its config dict); "
            f"got {describe(value)}"
        )
    return value


def run_nested(transform: BaseTransform, audio: np.ndarray, sample_rate: int, seed: int) -> np.ndarray:
    """Apply an inner transform to ``(channels, samples)`` audio with its own generator seeded by ``seed``."""
    out = transform(audio=audio, sample_rate=sample_rate, rng=seed)
    return np.ascontiguousarray(out["audio"], dtype=np.float32)
