"""Argument checks shared by every constructor.

Each helper returns the value in the canonical form a transform stores (plain Python numbers and
tuples, so configs are JSON-safe) or raises :class:`ArgumentError` naming the transform and argument.

>>> as_range("Rotate", "angle", 30)
(30.0, 30.0)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from numbers import Integral, Real
from typing import Any

import numpy as np

from augkit.core.errors import ArgumentError, describe

__all__ = [
    "all_finite",
    "as_bool",
    "as_choice",
    "as_float",
    "as_float_tuple",
    "as_int",
    "as_int_range",
    "as_probability",
    "as_range",
]


def _fail(owner: str, name: str, expected: str, value: object) -> ArgumentError:
    return ArgumentError(f"{owner}: argument {name!r} expects {expected}; got {describe(value)}")


def _is_real(value: object) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def as_bool(owner: str, name: str, value: object) -> bool:
    """Accept only a real bool (not 0/1 or strings)."""
    if not isinstance(value, bool):
        raise _fail(owner, name, "True or False", value)
    return value


def as_probability(owner: str, name: str, value: object) -> float:
    """A float in [0, 1]."""
    if not _is_real(value) or not 0.0 <= float(value) <= 1.0:  # type: ignore[arg-type]
        raise _fail(owner, name, "a probability in [0, 1]", value)
    return float(value)  # type: ignore[arg-type]


def as_int(owner: str, name: str, value: object, *, low: int | None = None, high: int | None = None) -> int:
    """An integer within optional bounds (floats with an integral value are accepted)."""
    ok = isinstance(value, Integral) and not isinstance(value, bool)
    if not ok and _is_real(value) and float(value).is_integer():  # type: ignore[arg-type]
        ok = True
    if not ok or (low is not None and int(value) < low) or (high is not None and int(value) > high):  # type: ignore[call-overload]
        raise _fail(owner, name, _bounds_text("an integer", low, high), value)
    return int(value)  # type: ignore[call-overload]


def as_float(owner: str, name: str, value: object, *, low: float | None = None, high: float | None = None) -> float:
    """A finite float within optional bounds."""
    if not _is_real(value) or not math.isfinite(float(value)):  # type: ignore[arg-type]
        raise _fail(owner, name, _bounds_text("a finite number", low, high), value)
    number = float(value)  # type: ignore[arg-type]
    if (low is not None and number < low) or (high is not None and number > high):
        raise _fail(owner, name, _bounds_text("a finite number", low, high), value)
    return number


def _bounds_text(kind: str, low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"{kind} in [{low}, {high}]"
    if low is not None:
        return f"{kind} >= {low}"
    if high is not None:
        return f"{kind} <= {high}"
    return kind


def as_range(owner: str, name: str, value: object, *, low: float | None = None, high: float | None = None) -> tuple[float, float]:
    """A ``(min, max)`` pair of floats; a single number means exactly that value."""
    expected = _bounds_text("a number or a (min, max) pair of numbers", low, high)
    if _is_real(value):
        pair: Sequence[Any] = (value, value)
    elif isinstance(value, (list, tuple)) and len(value) == 2 and all(_is_real(v) for v in value):
        pair = value
    else:
        raise _fail(owner, name, expected, value)
    lo, hi = float(pair[0]), float(pair[1])
    if not (math.isfinite(lo) and math.isfinite(hi)) or lo > hi:
        raise _fail(owner, name, expected + " with min <= max", value)
    if (low is not None and lo < low) or (high is not None and hi > high):
        raise _fail(owner, name, expected, value)
    return (lo, hi)


def as_int_range(owner: str, name: str, value: object, *, low: int | None = None, high: int | None = None) -> tuple[int, int]:
    """A ``(min, max)`` pair of integers; a single integer means exactly that value."""
    if isinstance(value, (list, tuple)) and len(value) == 2:
        lo = as_int(owner, name, value[0], low=low, high=high)
        hi = as_int(owner, name, value[1], low=low, high=high)
    else:
        try:
            lo = hi = as_int(owner, name, value, low=low, high=high)
        except ArgumentError:
            raise _fail(owner, name, _bounds_text("an integer or (min, max) pair", low, high), value) from None
    if lo > hi:
        raise _fail(owner, name, "a (min, max) pair with min <= max", value)
    return (lo, hi)


def as_choice(owner: str, name: str, value: object, choices: Iterable[str]) -> str:
    """One of a fixed set of strings."""
    options = tuple(choices)
    if not isinstance(value, str) or value not in options:
        raise _fail(owner, name, "one of " + ", ".join(repr(c) for c in options), value)
    return value


def as_float_tuple(
    owner: str, name: str, value: object, *, length: int | None = None, positive: bool = False
) -> tuple[float, ...]:
    """A number or a sequence of finite numbers, returned as a tuple of floats."""
    items = (value,) if _is_real(value) else value
    expected = "a number or a sequence of numbers" + (" > 0" if positive else "")
    if not isinstance(items, (list, tuple)) or not items or not all(_is_real(v) for v in items):
        raise _fail(owner, name, expected, value)
    numbers = tuple(float(v) for v in items)
    if not all(math.isfinite(v) for v in numbers) or (positive and min(numbers) <= 0):
        raise _fail(owner, name, expected, value)
    if length is not None and len(numbers) != length:
        raise _fail(owner, name, f"{length} numbers", value)
    return numbers


def as_fill(owner: str, name: str, value: object) -> float | tuple[float, ...]:
    """A fill value: one number for every channel, or a sequence with one number per channel
    (checked against the image when the transform runs)."""
    values = as_float_tuple(owner, name, value)
    return values if isinstance(value, (list, tuple)) else values[0]


def all_finite(array: np.ndarray) -> bool:
    """Whether every value is finite: one BLAS dot product (a NaN or inf makes it non-finite), with an
    exact check only when the dot overflows or meets a non-finite value.

    >>> all_finite(np.array([1.0, 2.0], np.float32)), all_finite(np.array([1.0, np.nan], np.float32))
    (True, False)
    """
    flat = array.reshape(-1)
    return math.isfinite(float(np.dot(flat, flat))) or bool(np.isfinite(flat).all())
