"""Filter and equalizer kernels: Butterworth low/high/band-pass and band-stop, RBJ-cookbook shelves and peaks.

Designs are second-order sections (SOS) computed in float64 and cached per (type, order, normalized
frequency). Causal filtering runs in float32 by blocks of samples as matrix products
(:func:`augkit.audio.functional.iir.block_sos_filter`, 1.5-3x faster than :func:`scipy.signal.sosfilt`,
the same output up to float32 rounding); when that method does not apply (very short clips, resonances
near Nyquist in several sections) ``sosfilt`` runs instead, in float64 for designs with poles near DC
or Nyquist (see :data:`FLOAT64_DC_MARGIN`). All channels go in one call. A causal filter starts in its
steady state for the first sample (the state a constant signal of that value would leave), so a clip
that does not start at zero gets no start-up click; ``zero_phase=True`` filters forward and backward
(:func:`scipy.signal.sosfiltfilt`), which squares the magnitude response: twice the roll-off and -6 dB
at the cutoff.

Butterworth designs are written in closed form (analog prototype, frequency transformation, bilinear
transform with pre-warping): the responses of :func:`scipy.signal.butter` without its overhead, each
section scaled to unit gain at the reference frequency (DC, Nyquist or the band centre) so that no
section carries a large gain. An ``order`` here is the order of each skirt (6 dB/octave per order): a
band-pass of order 2 has 4 poles.

>>> import numpy as np
>>> x = np.ones((1, 64), np.float32)
>>> float(low_pass(x, 16000, cutoff_freq=1000.0, order=2)[0, -1])  # DC passes a low-pass unchanged
1.0
>>> abs(float(high_pass(x, 16000, cutoff_freq=1000.0, order=2)[0, -1])) < 1e-6
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from augkit.audio.functional.iir import block_sos_filter

__all__ = [
    "BIQUAD_KINDS",
    "BUTTERWORTH_KINDS",
    "FLOAT64_DC_MARGIN",
    "NYQUIST_LIMIT",
    "band_pass",
    "band_stop",
    "biquad_sos",
    "butterworth_sos",
    "high_pass",
    "high_shelf",
    "hz_to_mel",
    "low_pass",
    "low_shelf",
    "mel_to_hz",
    "parametric_eq",
    "peaking",
    "sos_filter",
    "sos_steady_state",
]

BUTTERWORTH_KINDS = ("lowpass", "highpass", "bandpass", "bandstop")
BIQUAD_KINDS = ("low_shelf", "high_shelf", "peaking")
#: Cutoffs above this fraction of the Nyquist frequency are clipped to it (a design at Nyquist is singular).
NYQUIST_LIMIT = 0.9999


def hz_to_mel(hz: float) -> float:
    """The HTK mel scale, ``2595 * log10(1 + f / 700)`` (audiomentations draws cutoffs uniformly on it).

    >>> round(hz_to_mel(1000.0), 1)
    1000.0
    """
    return 2595.0 * math.log10(1.0 + hz / 700.0)


def mel_to_hz(mel: float) -> float:
    """The inverse of :func:`hz_to_mel`.

    >>> round(mel_to_hz(hz_to_mel(440.0)), 9)
    440.0
    """
    return 700.0 * (10.0 ** (mel / 2595.0) - 1.0)


# ---------------------------------------------------------------------------------------------
# Designs


def _pair_sections(zeros: np.ndarray, poles: np.ndarray, gain: float) -> np.ndarray:
    """Group conjugate pole pairs (and real poles two by two) with two zeros each into SOS rows.

    ``zeros`` must already be ordered in the same pairing (each consecutive pair real-coefficient).
    Sections are ordered by pole radius, the sharpest last (better rounding in float32).
    """
    upper = poles[poles.imag > 1e-12]
    real = np.sort(poles[np.abs(poles.imag) <= 1e-12].real)
    rows_a: list[list[float]] = [[1.0, -2.0 * p.real, abs(p) ** 2] for p in upper]
    radii = [abs(p) for p in upper]
    for index in range(0, len(real), 2):
        pair = real[index : index + 2]
        if len(pair) == 2:
            rows_a.append([1.0, -(pair[0] + pair[1]), pair[0] * pair[1]])
            radii.append(max(abs(pair[0]), abs(pair[1])))
        else:
            rows_a.append([1.0, -pair[0], 0.0])
            radii.append(abs(pair[0]))
    sections = len(rows_a)
    rows_b: list[list[float]] = []
    for index in range(sections):
        pair = zeros[2 * index : 2 * index + 2]
        if len(pair) == 2:
            rows_b.append([1.0, float(-(pair[0] + pair[1]).real), float((pair[0] * pair[1]).real)])
        elif len(pair) == 1:
            rows_b.append([1.0, float(-pair[0].real), 0.0])
        else:
            rows_b.append([1.0, 0.0, 0.0])
    order = np.argsort(radii, kind="stable")
    sos = np.array([rows_b[i] + rows_a[i] for i in order], dtype=np.float64)
    sos[0, :3] *= gain
    return sos


def _response(sos: np.ndarray, z: complex) -> complex:
    """H(z) of a cascade at one point."""
    zi = 1.0 / z
    value = 1.0 + 0.0j
    for b0, b1, b2, a0, a1, a2 in sos:
        value *= (b0 + b1 * zi + b2 * zi * zi) / (a0 + a1 * zi + a2 * zi * zi)
    return value


@lru_cache(maxsize=1024)
def _butterworth(kind: str, order: int, edges: tuple[float, ...]) -> np.ndarray:
    # analog prototype poles on the left half of the unit circle (scipy.signal.buttap's)
    m = np.arange(-order + 1, order, 2)
    proto = -np.exp(1j * np.pi * m / (2 * order))
    warped = np.tan(np.pi * np.asarray(edges) / 2.0)  # pre-warp: digital edge -> analog frequency
    if kind in ("lowpass", "highpass"):
        omega = float(warped[0])
        analog = omega * proto if kind == "lowpass" else omega / proto
        zero_value = -1.0 if kind == "lowpass" else 1.0
        zeros = np.full(order, zero_value, dtype=complex)
        reference: complex = 1.0 if kind == "lowpass" else -1.0  # unit gain at DC / at Nyquist
    else:
        centre = math.sqrt(float(warped[0] * warped[1]))
        width = float(warped[1] - warped[0])
        scaled = proto * width / 2.0 if kind == "bandpass" else width / (2.0 * proto)
        root = np.sqrt(scaled * scaled - centre * centre)
        analog = np.concatenate([scaled + root, scaled - root])
        if kind == "bandpass":
            zeros = np.array([1.0, -1.0] * order, dtype=complex)
            theta = 2.0 * math.atan(centre)
            reference = complex(math.cos(theta), math.sin(theta))  # unit gain at the band centre
        else:
            theta = 2.0 * math.atan(centre)
            notch = complex(math.cos(theta), math.sin(theta))
            zeros = np.array([notch, notch.conjugate()] * order, dtype=complex)
            reference = 1.0
    poles = (1.0 + analog) / (1.0 - analog)  # bilinear transform
    sos = _pair_sections(zeros, poles, 1.0)
    for row in sos:  # unit gain per section at the reference: balanced levels between the sections
        row[:3] /= abs(_response(row[None], reference))
    sos.setflags(write=False)
    return sos


def butterworth_sos(kind: str, order: int, frequencies: float | Sequence[float], sample_rate: float) -> np.ndarray:
    """A digital Butterworth filter as float64 second-order sections ``(sections, 6)`` (designs are cached).

    ``kind`` is ``"lowpass"``, ``"highpass"`` (one cutoff in Hz), ``"bandpass"`` or ``"bandstop"`` (two
    edges in Hz); ``order`` is per skirt, as in :func:`scipy.signal.butter`. Edges are clipped below
    Nyquist (x 0.9999).

    >>> from scipy import signal
    >>> ours = butterworth_sos("bandpass", 3, (300.0, 3400.0), 16000)
    >>> theirs = signal.butter(3, (300.0, 3400.0), btype="bandpass", fs=16000, output="sos")
    >>> w = np.linspace(0.01, 3.1, 50)
    >>> bool(np.allclose(abs(signal.sosfreqz(ours, w)[1]), abs(signal.sosfreqz(theirs, w)[1]), atol=1e-9))
    True
    """
    if kind not in BUTTERWORTH_KINDS:
        raise ValueError(f"butterworth_sos: kind expects one of {BUTTERWORTH_KINDS}; got {kind!r}")
    values = (frequencies,) if isinstance(frequencies, (int, float)) else tuple(frequencies)
    count = 1 if kind in ("lowpass", "highpass") else 2
    if len(values) != count or int(order) < 1:
        raise ValueError(f"butterworth_sos: a {kind} takes {count} frequencies and an order >= 1; got {values}, {order}")
    nyquist = sample_rate / 2.0
    edges = tuple(min(float(f) / nyquist, NYQUIST_LIMIT) for f in values)
    if min(edges) <= 0.0 or (count == 2 and edges[0] >= edges[1]):
        raise ValueError(f"butterworth_sos: frequencies must be increasing and in (0, Nyquist); got {values} at {sample_rate} Hz")
    return _butterworth(kind, int(order), edges).copy()


@lru_cache(maxsize=1024)
def _biquad(kind: str, w0: float, gain_db: float, q: float) -> np.ndarray:
    amp = 10.0 ** (gain_db / 40.0)
    cos_w, alpha = math.cos(w0), math.sin(w0) / (2.0 * q)
    if kind == "peaking":
        b = (1.0 + alpha * amp, -2.0 * cos_w, 1.0 - alpha * amp)
        a = (1.0 + alpha / amp, -2.0 * cos_w, 1.0 - alpha / amp)
    else:
        root = 2.0 * math.sqrt(amp) * alpha
        sign = 1.0 if kind == "low_shelf" else -1.0  # the high shelf mirrors the low shelf (cos -> -cos)
        b = (
            amp * ((amp + 1.0) - sign * (amp - 1.0) * cos_w + root),
            sign * 2.0 * amp * ((amp - 1.0) - sign * (amp + 1.0) * cos_w),
            amp * ((amp + 1.0) - sign * (amp - 1.0) * cos_w - root),
        )
        a = (
            (amp + 1.0) + sign * (amp - 1.0) * cos_w + root,
            -sign * 2.0 * ((amp - 1.0) + sign * (amp + 1.0) * cos_w),
            (amp + 1.0) + sign * (amp - 1.0) * cos_w - root,
        )
    sos = np.array([[b[0] / a[0], b[1] / a[0], b[2] / a[0], 1.0, a[1] / a[0], a[2] / a[0]]])
    sos.setflags(write=False)
    return sos


def biquad_sos(kind: str, center_freq: float, gain_db: float, q: float, sample_rate: float) -> np.ndarray:
    """One RBJ Audio-EQ-Cookbook biquad as a ``(1, 6)`` float64 section (designs are cached).

    ``"peaking"`` has ``gain_db`` at ``center_freq``; ``"low_shelf"`` has ``gain_db`` at DC and
    ``"high_shelf"`` at Nyquist, both half of it (in dB) at ``center_freq``. ``q`` is the cookbook's Q.

    >>> from scipy import signal
    >>> sos = biquad_sos("peaking", 1000.0, 6.0, 1.0, 16000)
    >>> _, h = signal.sosfreqz(sos, [2 * np.pi * 1000 / 16000])
    >>> round(20 * float(np.log10(abs(h[0]))), 6)
    6.0
    """
    if kind not in BIQUAD_KINDS:
        raise ValueError(f"biquad_sos: kind expects one of {BIQUAD_KINDS}; got {kind!r}")
    if not 0.0 < center_freq < sample_rate / 2.0 or q <= 0.0:
        raise ValueError(f"biquad_sos: needs 0 < center_freq < Nyquist and q > 0; got {center_freq}, {q} at {sample_rate} Hz")
    return _biquad(kind, 2.0 * math.pi * float(center_freq) / float(sample_rate), float(gain_db), float(q)).copy()


def sos_steady_state(sos: np.ndarray) -> np.ndarray:
    """Initial states ``(sections, 2)`` for a unit step already running (what :func:`scipy.signal.sosfilt_zi`
    computes), in closed form: each section's state at its DC gain, scaled by the gain before it.

    >>> from scipy import signal
    >>> sos = butterworth_sos("lowpass", 4, 1000.0, 16000)
    >>> bool(np.allclose(sos_steady_state(sos), signal.sosfilt_zi(sos)))
    True
    """
    b0, b1, b2, a1, a2 = sos[:, 0], sos[:, 1], sos[:, 2], sos[:, 4], sos[:, 5]
    dc = (b0 + b1 + b2) / (1.0 + a1 + a2)
    before = np.concatenate([[1.0], np.cumprod(dc)[:-1]])
    state2 = b2 - a2 * dc
    state1 = b1 - a1 * dc + state2
    return np.stack([state1, state2], axis=1) * before[:, None]


#: Designs with a pole this close to z = 1 or z = -1 (``|1 +- a1 + a2|``, about the squared distance) are
#: run in float64: float32 rounding noise is amplified by ~1 / distance**2 there (an 88 Hz low-pass at
#: 44.1 kHz loses -65 dB in float32; a band edge at 0.9999 Nyquist is unusable). Elsewhere float32 keeps
#: the error below -90 dB.
FLOAT64_DC_MARGIN = 1e-2


@lru_cache(maxsize=1024)
def _prepared(sos_bytes: bytes, sections: int) -> tuple[np.ndarray, np.ndarray]:
    sos = np.frombuffer(sos_bytes, dtype=np.float64).reshape(sections, 6)
    near_dc = np.abs(1.0 + sos[:, 4] + sos[:, 5])  # |A(z)| at z = 1 ...
    near_nyquist = np.abs(1.0 - sos[:, 4] + sos[:, 5])  # ... and at z = -1
    dtype = np.float64 if min(near_dc.min(), near_nyquist.min()) < FLOAT64_DC_MARGIN else np.float32
    return sos.astype(dtype), sos_steady_state(sos)


# ---------------------------------------------------------------------------------------------
# Filtering


def sos_filter(audio: np.ndarray, sos: np.ndarray, zero_phase: bool = False) -> np.ndarray:
    """Filter ``(channels, samples)`` float32 audio with second-order sections along the last axis.

    Causal filtering starts from the steady state of the first sample; ``zero_phase=True`` runs the
    cascade forward and backward (odd extension at both ends, as :func:`scipy.signal.sosfiltfilt`).

    >>> sos_filter(np.ones((2, 3), np.float32), np.array([[0.5, 0.0, 0.0, 1.0, 0.0, 0.0]])).tolist()
    [[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]]
    """
    from scipy import signal

    sos64 = np.ascontiguousarray(sos, dtype=np.float64)
    design, state = _prepared(sos64.tobytes(), len(sos64))
    if not zero_phase:  # the block method is float32 throughout, with its recurrence in float64: exact enough anywhere
        initial = state[:, None, :] * audio[None, :, 0, None]
        blocked = block_sos_filter(np.asarray(audio, dtype=np.float32), sos64, initial)
        if blocked is not None:
            return blocked
    data = audio if design.dtype == audio.dtype else audio.astype(design.dtype)
    if zero_phase:
        trailing = min(int((design[:, 2] == 0).sum()), int((design[:, 5] == 0).sum()))
        padlen = min(3 * (2 * len(design) + 1 - trailing), data.shape[-1] - 1)  # scipy's default, capped for short clips
        out = signal.sosfiltfilt(design, data, axis=-1, padlen=padlen)
    else:
        initial = (state[:, None, :] * data[None, :, 0, None]).astype(design.dtype)
        out = signal.sosfilt(design, data, axis=-1, zi=initial)[0]
    return np.ascontiguousarray(out, dtype=np.float32)


def low_pass(audio: np.ndarray, sample_rate: int, cutoff_freq: float, order: int, zero_phase: bool = False) -> np.ndarray:
    """Butterworth low-pass (``order`` x 6 dB/octave; doubled by ``zero_phase``); cutoff clipped below Nyquist.

    >>> out = low_pass(np.zeros((1, 8), np.float32), 16000, 2000.0, 2)
    >>> out.shape, out.dtype
    ((1, 8), dtype('float32'))
    """
    return sos_filter(audio, butterworth_sos("lowpass", order, cutoff_freq, sample_rate), zero_phase)


def high_pass(audio: np.ndarray, sample_rate: int, cutoff_freq: float, order: int, zero_phase: bool = False) -> np.ndarray:
    """Butterworth high-pass (``order`` x 6 dB/octave; doubled by ``zero_phase``); cutoff clipped below Nyquist.

    >>> high_pass(np.zeros((1, 4), np.float32), 16000, 100.0, 1).tolist()
    [[0.0, 0.0, 0.0, 0.0]]
    """
    return sos_filter(audio, butterworth_sos("highpass", order, cutoff_freq, sample_rate), zero_phase)


def _band_edges(sample_rate: int, center_freq: float, bandwidth: float) -> tuple[float, float] | None:
    nyquist = sample_rate / 2.0
    low = max(center_freq - bandwidth / 2.0, 1e-6 * nyquist)
    high = min(center_freq + bandwidth / 2.0, NYQUIST_LIMIT * nyquist)
    return (low, high) if low < high else None


def band_pass(
    audio: np.ndarray, sample_rate: int, center_freq: float, bandwidth: float, order: int, zero_phase: bool = False
) -> np.ndarray:
    """Butterworth band-pass from ``center - bandwidth/2`` to ``center + bandwidth/2`` Hz (upper edge clipped
    below Nyquist; a band entirely above Nyquist passes nothing and returns silence).

    >>> float(band_pass(np.ones((1, 4000), np.float32), 16000, 1000.0, 500.0, 2)[0, -1]) < 1e-3  # no DC
    True
    """
    edges = _band_edges(sample_rate, center_freq, bandwidth)
    if edges is None:
        return np.zeros_like(audio, dtype=np.float32)
    return sos_filter(audio, butterworth_sos("bandpass", order, edges, sample_rate), zero_phase)


def band_stop(
    audio: np.ndarray, sample_rate: int, center_freq: float, bandwidth: float, order: int, zero_phase: bool = False
) -> np.ndarray:
    """Butterworth band-stop (notch) from ``center - bandwidth/2`` to ``center + bandwidth/2`` Hz (a band
    entirely above Nyquist removes nothing and returns a copy).

    >>> float(band_stop(np.ones((1, 64), np.float32), 16000, 1000.0, 500.0, 2)[0, -1])  # DC passes
    1.0
    """
    edges = _band_edges(sample_rate, center_freq, bandwidth)
    if edges is None:
        return np.array(audio, dtype=np.float32, order="C")
    return sos_filter(audio, butterworth_sos("bandstop", order, edges, sample_rate), zero_phase)


def _biquad_or_copy(audio: np.ndarray, kind: str, sample_rate: int, center_freq: float, gain_db: float, q: float) -> np.ndarray:
    nyquist = sample_rate / 2.0
    if kind != "peaking":
        center_freq = min(center_freq, NYQUIST_LIMIT * nyquist)  # a shelf still acts at Nyquist (as audiomentations)
    if center_freq >= nyquist or gain_db == 0.0:
        return np.array(audio, dtype=np.float32, order="C")
    return sos_filter(audio, biquad_sos(kind, center_freq, gain_db, q, sample_rate))


def low_shelf(audio: np.ndarray, sample_rate: int, center_freq: float, gain_db: float, q: float) -> np.ndarray:
    """RBJ low shelf: ``gain_db`` below ``center_freq`` (half of it, in dB, at ``center_freq``). A centre at or
    above Nyquist is clipped just below it (the shelf then covers the whole band).

    >>> round(float(low_shelf(np.ones((1, 64), np.float32), 16000, 500.0, 6.0206, 0.7)[0, -1]), 4)  # DC x2
    2.0
    """
    return _biquad_or_copy(audio, "low_shelf", sample_rate, center_freq, gain_db, q)


def high_shelf(audio: np.ndarray, sample_rate: int, center_freq: float, gain_db: float, q: float) -> np.ndarray:
    """RBJ high shelf: ``gain_db`` above ``center_freq`` (half of it, in dB, at ``center_freq``). A centre at or
    above Nyquist is clipped just below it (only the top of the band changes).

    >>> round(float(high_shelf(np.ones((1, 64), np.float32), 16000, 4000.0, 12.0, 0.7)[0, -1]), 4)  # DC kept
    1.0
    """
    return _biquad_or_copy(audio, "high_shelf", sample_rate, center_freq, gain_db, q)


def peaking(audio: np.ndarray, sample_rate: int, center_freq: float, gain_db: float, q: float) -> np.ndarray:
    """RBJ peaking EQ: ``gain_db`` at ``center_freq``, bandwidth set by ``q``. A centre at or above Nyquist
    leaves the audio unchanged.

    >>> round(float(peaking(np.ones((1, 64), np.float32), 16000, 1000.0, 12.0, 1.0)[0, -1]), 4)  # DC kept
    1.0
    """
    return _biquad_or_copy(audio, "peaking", sample_rate, center_freq, gain_db, q)


def parametric_eq(audio: np.ndarray, sample_rate: int, bands: Sequence[Sequence[object]]) -> np.ndarray:
    """A cascade of cookbook biquads in one filtering pass; ``bands`` holds ``(kind, center_freq, gain_db, q)``.

    Bands whose centre is at or above Nyquist are skipped; no band left returns a copy.

    >>> bands = [("low_shelf", 100.0, 6.0, 0.7), ("peaking", 1000.0, -3.0, 2.0), ("high_shelf", 9000.0, 3.0, 0.7)]
    >>> parametric_eq(np.zeros((1, 16), np.float32), 16000, bands).shape  # the 9 kHz shelf is skipped
    (1, 16)
    """
    sections = [
        biquad_sos(str(kind), float(freq), float(gain), float(q), sample_rate)  # type: ignore[arg-type]
        for kind, freq, gain, q in bands
        if float(freq) < sample_rate / 2.0  # type: ignore[arg-type]
    ]
    if not sections:
        return np.array(audio, dtype=np.float32, order="C")
    return sos_filter(audio, np.concatenate(sections, axis=0))
