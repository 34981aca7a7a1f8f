"""Level kernels: gain, gain transitions, peak and loudness (ITU-R BS.1770-4) normalization, polarity
inversion and a look-ahead peak limiter.

Every kernel takes float32 audio, ``(samples,)`` or ``(channels, samples)`` (time on the last axis), and
returns a new C-contiguous float32 array; none modifies its input. Gains are in decibels of amplitude
(``20 * log10``). Loudness is measured as BS.1770-4 integrated loudness in LUFS: K-weighting (two biquads
derived for any sample rate from the standard's 48 kHz coefficients), 400 ms blocks with 75 % overlap,
an absolute gate at -70 LUFS and a relative gate 10 LU below the loudness of the blocks that pass it.

>>> import numpy as np
>>> gain(np.array([0.5, -0.25], np.float32), 6.0206).round(4).tolist()
[1.0, -0.5]
>>> t = np.arange(3 * 48000) / 48000
>>> round(integrated_loudness(np.sin(2 * np.pi * 997 * t).astype(np.float32), 48000), 2)  # full-scale sine
-3.01
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

__all__ = [
    "CHANNEL_WEIGHTS",
    "block_loudness",
    "db_to_amplitude",
    "gain",
    "gain_transition",
    "integrated_loudness",
    "k_weighting_sos",
    "limiter",
    "loudness_gain_db",
    "loudness_normalize",
    "normalize_peak",
    "peak",
    "polarity_inversion",
]

#: BS.1770-4 channel weights G_i by channel index (L, R, C, Ls, Rs); further channels weigh 1.0.
CHANNEL_WEIGHTS = (1.0, 1.0, 1.0, 1.41, 1.41)
_LN10_20 = math.log(10.0) / 20.0


def db_to_amplitude(db: float) -> float:
    """``10 ** (db / 20)``.

    >>> db_to_amplitude(-20.0)
    0.1
    """
    return float(10.0 ** (db / 20.0))


def _fresh(array: np.ndarray) -> np.ndarray:
    return np.array(array, dtype=np.float32, order="C", copy=True)


def gain(audio: np.ndarray, gain_db: float) -> np.ndarray:
    """Multiply by ``10 ** (gain_db / 20)`` (no clipping: the result may leave [-1, 1]).

    >>> gain(np.array([1.0], np.float32), -6.0206).round(4).tolist()
    [0.5]
    """
    return np.multiply(audio, np.float32(db_to_amplitude(gain_db)), dtype=np.float32)


def gain_transition(audio: np.ndarray, start_gain_db: float, end_gain_db: float, start: int, length: int) -> np.ndarray:
    """A fade between two gains: ``start_gain_db`` up to sample ``start``, a ramp linear in dB over
    ``length`` samples (the gain reaches ``end_gain_db`` at sample ``start + length - 1``), then
    ``end_gain_db``. ``start`` may be negative and the ramp may run past the end: the clip then begins or
    ends inside the transition.

    >>> [round(float(v), 4) for v in gain_transition(np.ones(5, np.float32), 0.0, -20.0, start=1, length=2)]
    [1.0, 1.0, 0.1, 0.1, 0.1]
    """
    n = audio.shape[-1]
    length = max(int(length), 1)
    start = int(start)
    lo, hi = min(max(start, 0), n), min(max(start + length, 0), n)
    curve = np.empty(n, np.float32)
    curve[:lo] = db_to_amplitude(start_gain_db)
    curve[hi:] = db_to_amplitude(end_gain_db)
    if hi > lo:
        slope = (end_gain_db - start_gain_db) / (length - 1) if length > 1 else 0.0
        ramp = curve[lo:hi]  # float32 is exact for sample counts below 2**24 and ample for a gain
        ramp[:] = np.arange(lo - start, hi - start, dtype=np.float32)
        ramp *= np.float32(slope * _LN10_20)
        ramp += np.float32(start_gain_db * _LN10_20)
        np.exp(ramp, out=ramp)
    return np.multiply(audio, curve, dtype=np.float32)


def peak(audio: np.ndarray) -> float:
    """The largest absolute sample value.

    >>> peak(np.array([0.25, -0.5], np.float32))
    0.5
    """
    return float(max(audio.max(), -audio.min())) if audio.size else 0.0


def normalize_peak(audio: np.ndarray, only_too_loud: bool = False, reference: float | None = None) -> np.ndarray:
    """Peak normalization: divide by the largest absolute value, so the peak becomes exactly 1.0
    (0 dBFS). ``only_too_loud=True`` leaves clips that already peak at or below 1.0 alone; silence is
    returned unchanged. ``reference`` replaces the measured peak (to give paired signals one gain).

    >>> normalize_peak(np.array([0.25, -0.5], np.float32)).tolist()
    [0.5, -1.0]
    """
    top = peak(audio) if reference is None else float(reference)
    if not top > 0.0 or (only_too_loud and top <= 1.0):
        return _fresh(audio)
    return np.divide(audio, np.float32(top), dtype=np.float32)


def polarity_inversion(audio: np.ndarray) -> np.ndarray:
    """``-audio``.

    >>> polarity_inversion(np.array([0.5, -1.0], np.float32)).tolist()
    [-0.5, 1.0]
    """
    return np.negative(audio, dtype=np.float32)


# ---------------------------------------------------------------------------------------------
# Loudness: ITU-R BS.1770-4

# The K-weighting filter at 48 kHz as published in BS.1770-4 (Tables 1 and 2): a high shelf
# ("stage 1", the acoustic effect of the head) followed by a high-pass ("RLB" weighting).
_K_STAGES_48K = (
    ((1.53512485958697, -2.69169618940638, 1.19839281085285), (-1.69065929318241, 0.73248077421585)),
    ((1.0, -2.0, 1.0), (-1.99004745483398, 0.99007225036621)),
)


def _analog_prototype(b: tuple[float, ...], a: tuple[float, ...], rate: float) -> tuple[float, float, float, float, float]:
    """Invert a pre-warped bilinear design ``(K = tan(pi f0 / fs))`` of a biquad whose analog prototype is
    ``(vh s^2 + vb (w0/Q) s + vl w0^2) / (s^2 + (w0/Q) s + w0^2)``; returns ``(f0, Q, vh, vb, vl)``."""
    a1, a2 = a
    a0 = 4.0 / (1.0 - a1 + a2)  # the design's un-normalized a0 = 1 + K/Q + K^2
    k2 = a0 * (1.0 + a1 + a2) / 4.0
    k = math.sqrt(k2)
    k_q = a0 * (1.0 - a2) / 2.0
    b0, b1, b2 = b
    vh = a0 * (b0 - b1 + b2) / 4.0
    vb = a0 * (b0 - b2) / (2.0 * k_q)
    vl = a0 * (b0 + b1 + b2) / (4.0 * k2)
    return rate / math.pi * math.atan(k), k / k_q, vh, vb, vl


def _bilinear(f0: float, q: float, vh: float, vb: float, vl: float, rate: float) -> list[float]:
    """The pre-warped bilinear transform of that prototype at ``rate``: one SOS row ``b0 b1 b2 1 a1 a2``."""
    angle = min(math.pi * f0 / rate, 0.49 * math.pi)  # a corner at or past Nyquist is pinned just below it
    k = math.tan(angle)
    k2, k_q = k * k, k / q
    a0 = 1.0 + k_q + k2
    return [
        (vh + vb * k_q + vl * k2) / a0,
        2.0 * (vl * k2 - vh) / a0,
        (vh - vb * k_q + vl * k2) / a0,
        1.0,
        2.0 * (k2 - 1.0) / a0,
        (1.0 - k_q + k2) / a0,
    ]


@lru_cache(maxsize=32)
def _k_sos(rate: int) -> np.ndarray:
    rows = [_bilinear(*_analog_prototype(b, a, 48000.0), float(rate)) for b, a in _K_STAGES_48K]
    return np.array(rows, dtype=np.float64)  # private: never handed out (k_weighting_sos copies)


def k_weighting_sos(sample_rate: int) -> np.ndarray:
    """The BS.1770-4 K-weighting filter at ``sample_rate`` as second-order sections (float64, (2, 6)).

    Each stage's analog prototype (corner, Q and gains) is recovered exactly from the standard's 48 kHz
    coefficients by inverting the bilinear transform pre-warped at the corner, then transformed again at
    the requested rate, so 48 kHz reproduces the published table.

    >>> k_weighting_sos(48000)[0, :3].round(8).tolist()
    [1.53512486, -2.69169619, 1.19839281]
    """
    return _k_sos(int(sample_rate)).copy()


def _weighted_powers(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """Mean square of the K-weighted signal per 400 ms block (hop 100 ms), weighted and summed over
    channels: ``sum_i G_i z_ij`` for each block j. A clip shorter than one block is one block."""
    from scipy.signal import sosfilt

    channels = audio.reshape(-1, audio.shape[-1])
    count, n = channels.shape
    # float32 throughout (no float64 copy of the clip): within 0.002 LU of float64 up to 192 kHz, even
    # with a DC offset
    weighted = sosfilt(_k_sos(int(sample_rate)).astype(np.float32), channels, axis=-1)
    np.square(weighted, out=weighted)
    weights = np.array([CHANNEL_WEIGHTS[i] if i < len(CHANNEL_WEIGHTS) else 1.0 for i in range(count)])
    hop = sample_rate / 10.0
    block = round(4 * hop)  # samples in one 400 ms block
    if n < block:
        return np.array([float(weights @ weighted.mean(axis=-1, dtype=np.float64))])
    blocks = int((n - block) / hop + 1e-9) + 1
    edges = np.minimum(np.round(np.arange(blocks + 4) * hop).astype(np.int64), n)  # 100 ms hops
    hops = weights @ np.add.reduceat(weighted[:, : edges[-1]], edges[:-1], axis=-1).astype(np.float64)
    sums = hops[:-3] + hops[1:-2] + hops[2:-1] + hops[3:]  # four hops make one block
    return sums / (edges[4:] - edges[:-4])


def _gated_loudness(powers: np.ndarray) -> float:
    absolute = powers > 10.0 ** ((-70.0 + 0.691) / 10.0)
    if not absolute.any():
        return -math.inf
    relative = float(powers[absolute].mean()) * 0.1  # -10 LU
    kept = powers[absolute & (powers > relative)]
    return -0.691 + 10.0 * math.log10(float(kept.mean()))


def block_loudness(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """The loudness (LUFS, float64) of each 400 ms block, hop 100 ms, before gating.

    >>> block_loudness(np.zeros(16000, np.float32), 16000).shape
    (7,)
    """
    powers = _weighted_powers(audio, sample_rate)
    with np.errstate(divide="ignore"):
        return -0.691 + 10.0 * np.log10(powers)


def integrated_loudness(audio: np.ndarray, sample_rate: int) -> float:
    """BS.1770-4 gated integrated loudness in LUFS (LKFS); ``-inf`` when every block is below -70 LUFS.

    Channel weights follow :data:`CHANNEL_WEIGHTS` (channel order L, R, C, Ls, Rs). A clip shorter than
    400 ms is measured as a single block.

    >>> integrated_loudness(np.zeros(8000, np.float32), 16000)
    -inf
    """
    return _gated_loudness(_weighted_powers(audio, sample_rate))


def loudness_gain_db(audio: np.ndarray, sample_rate: int, target_lufs: float) -> float | None:
    """The gain (dB) after which the clip measures ``target_lufs``, or None for a silent clip.

    The gates are not scale-invariant (blocks cross the absolute -70 LUFS gate as the level changes),
    so ``target - measured`` is refined on the block powers (no filtering again) until the gated
    loudness of the scaled clip meets the target; for ordinary material the first step is already exact.

    >>> x = np.sin(np.arange(16000) * 2 * np.pi * 997 / 16000).astype(np.float32)
    >>> round(loudness_gain_db(x, 16000, -23.0), 2)
    -19.94
    """
    powers = _weighted_powers(audio, sample_rate)
    measured = _gated_loudness(powers)
    if not math.isfinite(measured):
        return None
    total = target_lufs - measured
    for _ in range(8):
        error = target_lufs - _gated_loudness(powers * 10.0 ** (total / 10.0))
        if abs(error) < 1e-9:
            break
        total += error
    return total


def loudness_normalize(audio: np.ndarray, sample_rate: int, target_lufs: float) -> np.ndarray:
    """One gain that brings the integrated loudness to ``target_lufs`` (:func:`loudness_gain_db`;
    silence is returned unchanged; the result may leave [-1, 1]).

    >>> x = np.sin(np.arange(16000) * 2 * np.pi * 997 / 16000).astype(np.float32)
    >>> round(integrated_loudness(loudness_normalize(x, 16000, -23.0), 16000), 2)
    -23.0
    """
    db = loudness_gain_db(audio, sample_rate, target_lufs)
    return _fresh(audio) if db is None else gain(audio, db)


# ---------------------------------------------------------------------------------------------
# Limiter

#: Gain reductions below this many dB are dropped, so the signal far from any peak is left bit-exact.
_FLUSH_DB = 1e-6
#: Safety margin (dB) on the required reduction, covering float32 rounding of the gain.
_MARGIN_DB = 1e-5


def _control_block(attack_samples: int) -> int:
    """Samples per control step: the largest power of two not above the attack, within [16, 64]."""
    return 1 << min(6, max(4, max(attack_samples, 1).bit_length() - 1))


def _block_peaks(channels: np.ndarray, block: int, steps: int) -> np.ndarray:
    """Largest absolute value over channels in each run of ``block`` samples (the last run may be
    shorter), as float64."""
    n = channels.shape[-1]
    if block >= 64:
        magnitude = np.abs(channels[0])
        for channel in channels[1:]:
            np.maximum(magnitude, np.abs(channel), out=magnitude)
        return np.maximum.reduceat(magnitude, np.arange(0, n, block)).astype(np.float64)
    magnitude = np.empty(steps * block, np.float32)  # not np.zeros: calloc maps fresh pages, each one faults
    magnitude[n:] = 0.0
    head = magnitude[:n]
    np.abs(channels[0], out=head)
    for channel in channels[1:]:
        np.maximum(head, np.abs(channel), out=head)
    while block > 1:  # pairwise halving beats a reduction over a short axis
        magnitude = np.maximum(magnitude[0::2], magnitude[1::2])
        block //= 2
    return magnitude.astype(np.float64)


def _release(held: np.ndarray, decay: float) -> np.ndarray:
    """``out[j] = max_{i <= j} held[i] * exp(-decay * (j - i))`` (a one-pole release of a peak detector),
    vectorized in the log domain: ``log out[j] = cummax_i(log held[i] + decay i) - decay j``."""
    ramp = np.arange(held.size, dtype=np.float64)
    ramp *= decay
    out = np.log(np.maximum(held, _FLUSH_DB * 1e-3))  # a floor keeps exp() away from subnormal results
    out += ramp
    np.maximum.accumulate(out, out=out)
    out -= ramp
    np.exp(out, out=out)
    return np.maximum(out, held, out=out)  # exact where nothing is released


def _apply_curve(channels: np.ndarray, node_gain: np.ndarray, block: int) -> np.ndarray:
    """Multiply by the gain interpolated linearly between control points ``block`` samples apart."""
    count, n = channels.shape
    whole = n // block
    fraction = np.arange(block, dtype=np.float32) / np.float32(block)
    first, slope = node_gain[:-1], node_gain[1:] - node_gain[:-1]
    out = np.empty((count, n), np.float32)
    curve = out[0]  # the gain curve is written into the output, then multiplied in place
    np.multiply(slope[:whole, None], fraction, out=curve[: whole * block].reshape(whole, block))
    curve[: whole * block].reshape(whole, block)[:] += first[:whole, None]
    if whole * block < n:  # the last, partial step
        curve[whole * block :] = fraction[: n - whole * block] * slope[whole] + first[whole]
    for index in range(count - 1, -1, -1):
        np.multiply(channels[index], curve, out=out[index])
    return out


def limiter(audio: np.ndarray, sample_rate: int, threshold: float, attack: float, release: float) -> np.ndarray:
    """A look-ahead peak limiter: no output sample exceeds ``threshold`` (linear amplitude) in magnitude.

    One gain, common to all channels, is computed on a control grid of a few samples (the largest power
    of two not above the attack, within [16, 64]; an attack shorter than 16 samples ramps over 16):

    1. the reduction (dB) each grid step needs is held for the look-ahead, ``attack`` seconds (a running
       maximum, as :func:`scipy.ndimage.maximum_filter1d` computes it);
    2. it is released with a one-pole decay of time constant ``release`` (the decaying maximum
       ``max_i r_i rho^(j-i)``, computed in the log domain with a cumulative maximum);
    3. a moving average over the look-ahead ramps the gain down over ``attack`` seconds, reaching the
       full reduction at the peak.

    The gain is interpolated linearly between grid points, and each point covers the steps on both
    sides, so the ceiling holds at every sample. The output is not delayed (the whole clip is known, so
    the look-ahead costs no latency); samples far (many release time constants) from any peak above
    the threshold are returned unchanged.

    >>> x = np.concatenate([np.full(800, 0.1), np.full(800, 0.9), np.full(16000, 0.1)]).astype(np.float32)
    >>> y = limiter(x, 16000, threshold=0.5, attack=0.005, release=0.05)
    >>> bool(np.abs(y).max() <= 0.5), bool(y[0] == x[0]), bool(y[-1] == x[-1])
    (True, True, True)
    """
    if not threshold > 0.0 or not attack >= 0.0 or not release > 0.0:
        raise ValueError(f"limiter: expects threshold > 0, attack >= 0 and release > 0; got {threshold}, {attack}, {release}")
    channels = audio.reshape(-1, audio.shape[-1])
    n = channels.shape[-1]
    look = max(1, round(attack * sample_rate))
    block = _control_block(look)
    steps = -(-n // block)
    ratio = _block_peaks(channels, block, steps) if n else np.zeros(0)
    ratio /= threshold
    if not (ratio > 1.0).any():
        return _fresh(audio)
    need = np.zeros(steps + 1)  # grid point j sits between steps j - 1 and j and must satisfy both
    np.log10(np.maximum(ratio, 1.0, out=ratio), out=need[:-1])
    need[:-1] *= 20.0
    need[need > 0.0] += _MARGIN_DB
    np.maximum(need[1:], need[:-1], out=need[1:])
    ahead = -(-look // block)  # look-ahead in grid steps
    if ahead <= 4:
        held = need.copy()
        for shift in range(1, ahead + 1):
            np.maximum(held[:-shift], need[shift:], out=held[:-shift])
    else:
        from scipy.ndimage import maximum_filter1d

        held = maximum_filter1d(need, ahead + 1, mode="constant", origin=-((ahead + 1) // 2))  # max of need[j : j + ahead + 1]
    released = _release(held, block / (release * sample_rate))
    # moving average over grid points j - ahead .. j (the first point repeated before the start)
    smooth = released.copy()
    for shift in range(1, ahead + 1) if ahead <= 4 else ():
        smooth[shift:] += released[:-shift]
        smooth[:shift] += released[0]
    if ahead > 4:
        totals = np.cumsum(np.concatenate([np.full(ahead + 1, released[0]), released]))
        smooth = totals[ahead + 1 :] - totals[: -ahead - 1]
    smooth *= -_LN10_20 / (ahead + 1)
    smooth[smooth > -_FLUSH_DB * _LN10_20] = 0.0
    node_gain = np.exp(smooth).astype(np.float32)
    return _apply_curve(channels, node_gain, block).reshape(audio.shape)
