"""Band-limited resampling by a rational factor: windowed-sinc polyphase filters run as matrix products.

Output sample ``n`` is the input interpolated at time ``n * down / up`` (input samples; the first
output sample sits on the first input sample) with a windowed sinc of ``2 * zeros`` taps at the lower of
the two rates (a 4-term Blackman-Harris window, about -92 dB side lobes) whose cutoff is ``cutoff`` times
the lower Nyquist frequency, so downsampling removes what would alias. Outside the clip the signal is
zero. Each phase's taps are normalised to sum to one (a constant stays constant).

How it is fast: the ``up`` output phases repeat every ``down`` input samples, so the output is a
matrix product between a strided (copy-free) view of the input, one row per period, and a banded matrix
of the phases' taps. Phases are taken in groups whose taps span about two filter lengths of input; each
group reads only those columns, and its product (BLAS ``sgemm``) writes straight into its columns of the
output: about ``2 * taps`` multiply-adds per output sample, and no transposes or gathers.

Ratios that are not fractions with a denominator up to 1024 (``16000 -> 23517`` Hz, a random speed) are
replaced by the simplest fraction ``up / down`` (denominator up to 4096) within a relative error of
1e-6 whose timing drift over the whole output also stays below a quarter of a sample. For about 1 % of
integer rate pairs (ratios very near a simple fraction, like 16000 -> 16001 Hz) there is none, and
:func:`resample` uses one long FFT instead (exact, slower). :func:`change_speed` takes the simplest
fraction within 1e-5 of the speed (or the closest with a denominator up to 4096). The output length is
always ``round(samples * target / source)``.

>>> import numpy as np
>>> x = np.sin(2 * np.pi * 1000 * np.arange(1600) / 16000).astype(np.float32)[None]
>>> y = resample(x, 16000, 8000)
>>> y.shape, bool(np.abs(y[0, 100:-100] - np.sin(2 * np.pi * 1000 * np.arange(100, 700) / 8000)).max() < 1e-3)
((1, 800), True)
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache

import numpy as np

__all__ = ["change_speed", "rational_ratio", "resample", "resample_ratio"]

#: Zero crossings of the sinc on each side (at the lower rate) and the cutoff (fraction of the lower Nyquist).
ZEROS = 16
CUTOFF = 0.9
#: Largest denominator tried for an approximate ratio, and the drift (output samples) it must keep under.
_EXACT_DENOMINATOR = 1024
_MAX_DENOMINATOR = 4096
_MAX_DRIFT = 0.25
_MAX_RELATIVE_ERROR = 1e-6
#: A speed (a random real number) is approximated more coarsely: within this relative error.
_SPEED_TOLERANCE = 1e-5
#: Below this many output phases per period the period is repeated (bigger, more efficient matrix products);
#: phases are multiplied in groups of this many (one matrix product each).
_MIN_PHASES = 32
GROUP_SPAN = 1.0
_GROUP_MIN = 16
_GROUP_MAX = 96
#: Reductions steeper than this are done in steps of 1/4 first (the filter would get very long).
_MAX_REDUCTION = 16
_BLACKMAN_HARRIS = (0.35875, 0.48829, 0.14128, 0.01168)


def rational_ratio(ratio: float | Fraction, out_len: int) -> tuple[int, int]:
    """``up / down`` for ``ratio``: exact when its denominator is at most 1024, else the simplest fraction
    (denominator at most 4096) within a relative error of 1e-6 whose timing drift over ``out_len`` output
    samples stays below a quarter of a sample, or failing that the closest fraction with a denominator
    at most 4096.

    >>> rational_ratio(Fraction(44100, 16000), 441000)
    (441, 160)
    >>> rational_ratio(1 / 1.1, 1000)
    (10, 11)
    >>> rational_ratio(Fraction(23517, 16000), 235170)
    (1339, 911)
    """
    return _approximate(Fraction(ratio), out_len)[:2]


def _approximate(exact: Fraction, out_len: int, tolerance: float | None = None) -> tuple[int, int, bool]:
    """``(up, down, close)``: see :func:`rational_ratio`; ``close`` is False when the tolerance (by default
    1e-6 and a quarter-sample drift over ``out_len``) was not met."""
    if exact.denominator <= _EXACT_DENOMINATOR:
        return exact.numerator, exact.denominator, True
    value = float(exact)
    if tolerance is None:
        tolerance = min(_MAX_RELATIVE_ERROR, _MAX_DRIFT / max(out_len, 1))
    limit = 64
    while True:
        approx = exact.limit_denominator(limit)
        if approx.numerator == 0:
            approx = Fraction(1, limit)
        close = abs(float(approx) / value - 1.0) <= tolerance
        if close or limit >= _MAX_DENOMINATOR:
            return approx.numerator, approx.denominator, close
        limit *= 2


def _group_size(up: int, down: int, size: int) -> int:
    """Phases per matrix product: their taps then span about ``GROUP_SPAN`` filter lengths of input columns."""
    return int(min(_GROUP_MAX, max(_GROUP_MIN, round(GROUP_SPAN * size * up / down))))


Plan = tuple[np.ndarray, np.ndarray, int, int, int, int]


@lru_cache(maxsize=16)  # a plan for a 4096-denominator ratio holds a few MB
def _plan(up: int, down: int, zeros: int, cutoff: float) -> Plan:
    """The filters for ``up / down``: ``(matrices, starts, group, width, half, size)``.

    Output phases are taken ``group`` at a time; group ``g`` reads input columns
    ``starts[g]:starts[g] + width`` of a period's row and ``matrices[g]`` (``(width, group)`` float32)
    maps them to its phases (zero columns pad the last group).
    """
    scale = min(1.0, up / down)
    half = math.ceil(zeros / scale)
    size = 2 * half
    group = _group_size(up, down, size)
    count = -(-up // group)
    phase = np.arange(count * group, dtype=np.int64)
    offset = (phase * down) // up  # the phase's first tap, relative to the period's row
    frac = ((phase * down) % up).astype(np.float64) / up
    # tap j of a phase sits at distance frac + k from the output time, k = half - 1 - j; the sines and
    # cosines of sums come from angle-addition products, so only O(phases + taps) are evaluated
    k = np.arange(half - 1, half - 1 - size, -1, dtype=np.float64)
    w_sinc = np.pi * cutoff * scale
    w_win = np.pi / half
    sin_f, cos_f = np.sin(w_sinc * frac).astype(np.float32), np.cos(w_sinc * frac).astype(np.float32)
    sin_k, cos_k = np.sin(w_sinc * k).astype(np.float32), np.cos(w_sinc * k).astype(np.float32)
    taps = np.multiply.outer(sin_f, cos_k)
    taps += np.multiply.outer(cos_f, sin_k)  # sin(w (frac + k))
    distance = np.add.outer(frac.astype(np.float32), k.astype(np.float32))
    centre = distance == 0.0  # sin(x) / x -> 1
    distance[centre] = 1.0
    taps[centre] = np.float32(w_sinc)
    distance *= np.float32(w_sinc)
    taps /= distance
    c1 = np.multiply.outer(np.cos(w_win * frac).astype(np.float32), np.cos(w_win * k).astype(np.float32))
    c1 -= np.multiply.outer(np.sin(w_win * frac).astype(np.float32), np.sin(w_win * k).astype(np.float32))
    c2 = c1 * c1
    c2 *= 2.0
    c2 -= 1.0  # cos(2x)
    a0, a1, a2, a3 = (np.float32(v) for v in _BLACKMAN_HARRIS)
    window = c2 * a3
    window *= 2.0
    window += a1 - a3
    window *= c1  # a1 cos(x) + a3 cos(3x), with cos(3x) = cos(x) (2 cos(2x) - 1)
    c2 *= a2
    window += c2
    window += a0
    taps *= window
    taps /= taps.sum(axis=1, keepdims=True)
    taps[up:] = 0.0
    starts = offset[::group]
    first_row = offset - np.repeat(starts, group)  # the phase's first tap within its group's columns
    width = int(first_row.max()) + size
    rows = np.zeros((count, group, width), np.float32)  # one row of taps per phase
    rows.reshape(-1)[(phase * width + first_row)[:, None] + np.arange(size)[None, :]] = taps
    matrices = np.ascontiguousarray(rows.transpose(0, 2, 1))  # (width, group) per group: better products
    matrices.flags.writeable = False
    return matrices, starts, group, width, half, size


def resample_ratio(
    audio: np.ndarray, up: int, down: int, out_len: int, *, zeros: int = ZEROS, cutoff: float = CUTOFF
) -> np.ndarray:
    """Resample ``(channels, samples)`` float32 by exactly ``up / down``, returning ``out_len`` samples.

    >>> import numpy as np
    >>> resample_ratio(np.ones((1, 100), np.float32), 3, 2, 150)[0, 30:110].round(5).min()  # away from the ends
    np.float32(1.0)
    """
    if up < 1 or down < 1 or out_len < 0:
        raise ValueError(f"resample_ratio: expects up >= 1, down >= 1 and out_len >= 0; got {up}, {down}, {out_len}")
    x = np.asarray(audio, dtype=np.float32)
    x = x.reshape(-1, x.shape[-1])
    channels, samples = x.shape
    divisor = math.gcd(up, down)
    up, down = up // divisor, down // divisor
    scale = min(1.0, up / down)
    size = 2 * math.ceil(zeros / scale)
    # repeat the period until a row holds a group's taps (and the products have enough columns)
    group = _group_size(up, down, size)
    repeat = max(-(-_MIN_PHASES // up), -(-(size + group * down // up + 1) // down))
    up, down = up * repeat, down * repeat
    matrices, starts, group, width, half, size = _plan(up, down, zeros, float(cutoff))
    periods = max(1, -(-out_len // up))
    reach = int(starts[-1]) + width  # columns of a period's row that are read
    # every channel occupies whole periods of one buffer, so each product serves all channels
    stride = -(-max((periods - 1) * down + reach, samples + half) // down) * down
    buffer = np.zeros(channels * stride + reach, np.float32)
    lanes = buffer[: channels * stride].reshape(channels, stride)
    lanes[:, half - 1 : half - 1 + samples] = x
    rows = channels * stride // down
    item = buffer.itemsize
    view = np.lib.stride_tricks.as_strided(buffer, shape=(rows, reach), strides=(down * item, item))
    out = np.empty((rows, up), np.float32)
    for index, start in enumerate(starts.tolist()):
        first = index * group
        last = min(up, first + group)
        np.matmul(view[:, start : start + width], matrices[index, :, : last - first], out=out[:, first:last])
    result = out.reshape(channels, stride // down, up)[:, :periods].reshape(channels, periods * up)[:, :out_len]
    return np.ascontiguousarray(result)


def resample(audio: np.ndarray, sample_rate: int, target_sample_rate: int) -> np.ndarray:
    """Change the sample rate: ``round(samples * target / source)`` output samples, the same sound.

    Args:
        audio: ``(channels, samples)`` (or ``(samples,)``) float32.
        sample_rate: The current rate in Hz.
        target_sample_rate: The new rate in Hz.

    Returns:
        A new float32 array with the input's number of dimensions.

    >>> import numpy as np
    >>> resample(np.zeros((2, 16000), np.float32), 16000, 22050).shape
    (2, 22050)
    """
    if sample_rate <= 0 or target_sample_rate <= 0:
        raise ValueError(f"resample: sample rates must be > 0; got {sample_rate} and {target_sample_rate}")
    x = np.asarray(audio, dtype=np.float32)
    samples = x.shape[-1]
    out_len = round(samples * target_sample_rate / sample_rate)
    if target_sample_rate == sample_rate:
        result = np.array(x, dtype=np.float32, order="C")
    else:
        result = _by_ratio(x.reshape(-1, samples), Fraction(int(target_sample_rate), int(sample_rate)), out_len)
    return result.reshape(out_len) if x.ndim == 1 else result


def _by_ratio(x: np.ndarray, ratio: Fraction, out_len: int, exact: bool = True) -> np.ndarray:
    """Resample ``(channels, samples)`` by ``ratio`` to ``out_len`` samples.

    Steep reductions go in steps of 1/4 first (each step keeps the time grid, so alignment is exact and
    the filters stay short). With ``exact``, a ratio that no fraction with a denominator up to 4096
    approximates well enough (16000 -> 16001 Hz) goes through one long FFT instead.
    """
    if out_len == 0:
        return np.zeros((x.shape[0], 0), np.float32)
    while ratio < Fraction(1, _MAX_REDUCTION):
        x = resample_ratio(x, 1, 4, -(-x.shape[1] // 4))
        ratio *= 4
    up, down, close = _approximate(ratio, out_len, None if exact else _SPEED_TOLERANCE)
    if close or not exact:
        return resample_ratio(x, up, down, out_len)
    return _fft_resample(x, ratio.numerator, ratio.denominator, out_len)


def _fft_resample(x: np.ndarray, up: int, down: int, out_len: int, cutoff: float = CUTOFF) -> np.ndarray:
    """Exact band-limited resampling by ``up / down`` through one FFT of the zero-padded clip.

    The clip is padded to a multiple of ``down`` samples (so the output grid falls on FFT bins), the
    spectrum is cut at the lower Nyquist frequency with a raised-cosine roll-off from ``cutoff - 0.1`` to
    ``cutoff + 0.1`` of it (about the polyphase filters' response, and short ringing), and transformed
    back at the new length. Slower than the polyphase path; used only for ratios it cannot approximate.
    """
    import scipy.fft as sfft

    channels, samples = x.shape
    margin = 64 * max(1, -(-down // up))  # room for the filter's ringing before it wraps around
    length_in = -(-(samples + 2 * margin) // down) * down
    length_out = length_in // down * up
    spectrum = sfft.rfft(x, n=length_in, axis=-1)
    bins = min(length_in, length_out) // 2 + 1
    fraction = np.arange(bins) / (bins - 1)  # of the lower Nyquist frequency
    edge = np.clip((fraction - (cutoff - 0.1)) / 0.2, 0.0, 1.0)
    taper = (0.5 + 0.5 * np.cos(np.pi * edge)).astype(np.float32) * np.float32(length_out / length_in)
    out_spectrum = np.zeros((channels, length_out // 2 + 1), np.complex64)
    out_spectrum[:, :bins] = spectrum[:, :bins] * taper
    result = sfft.irfft(out_spectrum, n=length_out, axis=-1)[:, :out_len]
    return np.ascontiguousarray(result, dtype=np.float32)


def change_speed(audio: np.ndarray, rate: float) -> np.ndarray:
    """Play ``rate`` times faster: ``round(samples / rate)`` samples, every frequency times ``rate``.

    This is resampling at an unchanged sample rate (the speed perturbation of Ko et al. 2015, Kaldi's
    ``sox speed``): tempo and pitch change together. A rate that is not a simple fraction (a random
    draw) is applied as the simplest fraction within 1e-5 of it (0.02 cents), which keeps the filters
    small.

    >>> import numpy as np
    >>> change_speed(np.zeros((1, 1000), np.float32), 1.1).shape
    (1, 909)
    """
    if not rate > 0 or not math.isfinite(rate):
        raise ValueError(f"change_speed: rate must be a finite number > 0; got {rate!r}")
    x = np.asarray(audio, dtype=np.float32)
    samples = x.shape[-1]
    out_len = max(1, round(samples / rate))
    if rate == 1.0:
        result = np.array(x, dtype=np.float32, order="C")
    else:
        result = _by_ratio(x.reshape(-1, samples), Fraction(1.0 / rate), out_len, exact=False)
    return result.reshape(out_len) if x.ndim == 1 else result
