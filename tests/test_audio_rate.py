"""Rate and pitch transforms on real speech (CMU ARCTIC): pitch, duration, spectrum, transients, stereo.

The references are independent of the kernels: a YIN fundamental-frequency estimator written here,
float64 evaluations of the band-limited interpolation formula, scipy's polyphase resampler, and
plain spectra of the input.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import pairwise

import numpy as np
import pytest

import augkit as ak
from augkit.audio.functional import resampling as FR
from augkit.audio.functional import stretch as FS
from augkit.audio.rate import PitchShift, Resample, SpeedChange, TimeStretch
from augkit.samples import load_speech

SR = 16000


def _load(name: str) -> np.ndarray:
    data, rate = load_speech(name.removesuffix(".wav"))
    assert rate == SR
    return data


SPEECH = {"a0007": _load("arctic_a0007.wav"), "a0009": _load("arctic_a0009.wav")}


# ---------------------------------------------------------------------------------------------
# Independent measurements


def yin_f0(x: np.ndarray, sr: int = SR, fmin: float = 60.0, fmax: float = 400.0) -> np.ndarray:
    """Per-frame f0 (Hz) by YIN (de Cheveigne & Kawahara 2002): 40 ms frames, 10 ms hop; NaN if unvoiced."""
    x = np.asarray(x, np.float64)
    width, hop = int(0.04 * sr), int(0.01 * sr)
    tmin, tmax = int(sr / fmax), int(sr / fmin)
    starts = np.arange(0, len(x) - width - tmax, hop)
    frames = np.stack([x[s : s + width + tmax] for s in starts])  # (F, width + tmax)
    energy = (frames[:, :width] ** 2).sum(axis=1)
    size = 1 << int(np.ceil(np.log2(2 * (width + tmax))))
    corr = np.fft.irfft(np.fft.rfft(frames, size) * np.conj(np.fft.rfft(frames[:, :width], size)), size)[:, : tmax + 1]
    cum = np.concatenate([np.zeros((len(frames), 1)), np.cumsum(frames**2, axis=1)], axis=1)
    lags = np.arange(tmax + 1)
    diff = cum[:, [width]] + (cum[:, lags + width] - cum[:, lags]) - 2.0 * corr  # sum_j (a_j - a_{j+tau})^2
    diff[:, 0] = 0.0
    cmnd = np.ones_like(diff)
    cmnd[:, 1:] = diff[:, 1:] * lags[1:] / np.maximum(np.cumsum(diff[:, 1:], axis=1), 1e-12)
    f0 = np.full(len(frames), np.nan)
    for i in np.flatnonzero(energy > 1e-3 * energy.max()):
        below = np.flatnonzero(cmnd[i, tmin:] < 0.12)
        if len(below) == 0:
            continue
        t = below[0] + tmin
        while t < tmax and cmnd[i, t + 1] < cmnd[i, t]:
            t += 1
        a, b, c = cmnd[i, t - 1], cmnd[i, t], cmnd[i, min(t + 1, tmax)]
        den = a - 2 * b + c
        f0[i] = sr / (t + (0.5 * (a - c) / den if den > 0 else 0.0))
    return f0


def ltas_db(x: np.ndarray, sr: int = SR, bands: int = 24, fmax: float = 7000.0, scale: float = 1.0) -> np.ndarray:
    """Long-term average spectrum in dB on log-spaced bands (200 Hz .. fmax) of frequencies ``f / scale``."""
    frames = np.lib.stride_tricks.sliding_window_view(np.asarray(x, np.float64), 1024)[::256]
    power = (np.abs(np.fft.rfft(frames * np.hanning(1024), axis=1)) ** 2).mean(axis=0)
    freqs = np.fft.rfftfreq(1024, 1.0 / sr)
    edges = np.geomspace(200.0, fmax, bands + 1) / scale
    return np.array([10 * np.log10(power[(freqs >= lo) & (freqs < hi)].mean() + 1e-12) for lo, hi in pairwise(edges)])


def sine(freq: float, seconds: float = 1.0, sr: int = SR, amplitude: float = 0.5) -> np.ndarray:
    return (amplitude * np.sin(2 * np.pi * freq * np.arange(int(seconds * sr)) / sr)).astype(np.float32)


def out_of_band_db(y: np.ndarray, freq: float, sr: int = SR, width: float = 30.0) -> float:
    """Energy away from ``freq`` relative to the energy near it (dB), on the middle of the clip."""
    y = np.asarray(y, np.float64)[len(y) // 8 : -len(y) // 8]
    power = np.abs(np.fft.rfft(y * np.blackman(len(y)))) ** 2
    near = np.abs(np.fft.rfftfreq(len(y), 1.0 / sr) - freq) < width
    return float(10 * np.log10(power[~near].sum() / power[near].sum()))


def peak_freq(y: np.ndarray, sr: int) -> float:
    """Frequency of the strongest component (quadratic interpolation on a log spectrum)."""
    y = np.asarray(y, np.float64)
    mag = np.log(np.abs(np.fft.rfft(y * np.hanning(len(y)), 8 * len(y))) + 1e-30)
    k = int(np.argmax(mag))
    a, b, c = mag[k - 1], mag[k], mag[k + 1]
    return (k + 0.5 * (a - c) / (a - 2 * b + c)) * sr / (8 * len(y))


def _run(transform: ak.BaseTransform, audio: np.ndarray, sr: int = SR) -> dict:
    return transform(audio=audio, sample_rate=sr, rng=0)


# ---------------------------------------------------------------------------------------------
# PitchShift


@pytest.mark.parametrize("name", ["a0007", "a0009"])
@pytest.mark.parametrize("semitones", [-4.0, -2.0, 3.0, 5.0])
def test_pitch_shift_moves_f0_by_semitones_and_keeps_length(name: str, semitones: float) -> None:
    x = SPEECH[name]
    out = _run(PitchShift(min_semitones=semitones, max_semitones=semitones, p=1.0), x)["audio"]
    assert out.shape == x.shape and out.dtype == np.float32
    before, after = yin_f0(x), yin_f0(out)
    both = np.isfinite(before) & np.isfinite(after)
    assert both.sum() > 20
    ratio = np.median(after[both] / before[both])
    assert ratio == pytest.approx(2 ** (semitones / 12), rel=0.03)
    assert np.nanmedian(after) / np.nanmedian(before) == pytest.approx(2 ** (semitones / 12), rel=0.03)


def test_pitch_factor_is_close_to_the_semitone_ratio() -> None:
    for semitones in np.linspace(-24, 24, 41):
        for rate in (8000, 16000, 44100):
            assert FS.pitch_factor(float(semitones), rate) == pytest.approx(2 ** (semitones / 12), rel=1.5e-3)


@pytest.mark.parametrize("semitones", [-4.0, 3.0])
def test_pitch_shift_of_a_sine_is_a_pure_sine_at_the_new_frequency(semitones: float) -> None:
    for freq in (220.0, 1234.5):
        y = FS.pitch_shift(sine(freq), semitones, SR)
        target = freq * FS.pitch_factor(semitones, SR)
        assert peak_freq(y[SR // 4 : -SR // 4], SR) == pytest.approx(target, rel=1e-3)
        assert out_of_band_db(y, target) < -55.0


@pytest.mark.parametrize("semitones", [-2.0, 2.0])
def test_pitch_shift_spectrum_is_the_input_spectrum_scaled(semitones: float) -> None:
    x = SPEECH["a0009"]
    factor = FS.pitch_factor(semitones, SR)
    y = FS.pitch_shift(x, semitones, SR)
    diff = np.abs(ltas_db(y) - ltas_db(x, scale=factor))  # no formant correction: the envelope moves too
    assert diff.mean() < 1.5 and diff.max() < 5.0


# ---------------------------------------------------------------------------------------------
# TimeStretch


@pytest.mark.parametrize("name", ["a0007", "a0009"])
@pytest.mark.parametrize("rate", [0.8, 1.25])
def test_time_stretch_changes_duration_and_keeps_f0(name: str, rate: float) -> None:
    x = SPEECH[name]
    out = _run(TimeStretch(min_rate=rate, max_rate=rate, leave_length_unchanged=False, p=1.0), x)["audio"]
    assert out.shape == (round(len(x) / rate),)
    assert np.nanmedian(yin_f0(out)) / np.nanmedian(yin_f0(x)) == pytest.approx(1.0, rel=0.03)
    kept = _run(TimeStretch(min_rate=rate, max_rate=rate, leave_length_unchanged=True, p=1.0), x)["audio"]
    assert kept.shape == x.shape
    length = min(len(out), len(x))
    np.testing.assert_array_equal(kept[:length], out[:length])  # cut, or padded with silence, at the end
    assert not kept[length:].any()


@pytest.mark.parametrize("rate", [0.8, 1.25])
def test_time_stretch_keeps_the_long_term_spectrum(rate: float) -> None:
    for x in SPEECH.values():
        diff = np.abs(ltas_db(FS.time_stretch(x, rate, SR)) - ltas_db(x))
        assert diff.mean() < 1.0 and diff.max() < 3.0


def stft_consistency_db(x: np.ndarray, y: np.ndarray, rate: float) -> float:
    """How far |STFT(y)| is from the input's magnitudes at the matching times (spectral convergence, dB).

    A phase vocoder whose phases do not fit together loses magnitude to interference between
    overlapping frames ("phasiness"); a plain vocoder scores about -6 dB on this speech.
    """
    size, hop = 1024, 256
    window = np.hanning(size)
    positions = np.arange(4, (len(y) - size) // hop) * hop
    sources = np.rint(positions * rate).astype(int)
    keep = sources + size <= len(x)
    mags_y = np.abs(np.fft.rfft(np.stack([y[p : p + size] for p in positions[keep]]) * window, axis=1))
    mags_x = np.abs(np.fft.rfft(np.stack([x[p : p + size] for p in sources[keep]]) * window, axis=1))
    return float(20 * np.log10(np.linalg.norm(mags_y - mags_x) / np.linalg.norm(mags_x)))


@pytest.mark.parametrize("rate", [0.8, 0.9, 1.1, 1.25])
def test_time_stretch_is_phase_coherent_on_speech(rate: float) -> None:
    for x in SPEECH.values():
        assert stft_consistency_db(x, FS.time_stretch(x, rate, SR), rate) < -10.0


@pytest.mark.parametrize("rate", [0.8, 1.25])
def test_time_stretch_of_a_sine_is_a_pure_sine(rate: float) -> None:
    for freq in (220.0, 440.0, 3000.0):
        y = FS.time_stretch(sine(freq), rate, SR)
        assert peak_freq(y[SR // 4 : -SR // 4], SR) == pytest.approx(freq, rel=5e-4)
        assert out_of_band_db(y, freq) < -60.0


def _click(position: int = 8000, length: int = SR) -> np.ndarray:
    x = np.zeros(length, np.float32)
    x[position] = 0.9
    return x


def _spread(y: np.ndarray) -> tuple[float, int]:
    energy = np.asarray(y, np.float64) ** 2
    peak = int(np.argmax(energy))
    half = SR // 1000  # 1 ms
    return float(energy[max(0, peak - half) : peak + half + 1].sum() / energy.sum()), peak


@pytest.mark.parametrize("rate", [0.8, 1.25])
def test_a_click_stays_one_sharp_click_at_its_stretched_time(rate: float) -> None:
    share, peak = _spread(FS.time_stretch(_click(), rate, SR))
    assert share > 0.95 and abs(peak - 8000 / rate) <= 2
    blurred, _ = _spread(FS.time_stretch(_click(), rate, SR, transients=False))
    assert blurred < 0.5  # without the transient handling the click smears over the frame


@pytest.mark.parametrize("semitones", [-4.0, 3.0])
def test_a_click_stays_sharp_under_pitch_shift(semitones: float) -> None:
    share, peak = _spread(FS.pitch_shift(_click(), semitones, SR))
    assert share > 0.95 and abs(peak - 8000) <= 2


def test_a_click_over_a_tone_stays_sharp() -> None:
    with_click = sine(200.0, amplitude=0.3) + _click()
    for rate in (0.8, 1.25):
        out = FS.time_stretch(with_click, rate, SR).astype(np.float64)
        high = np.diff(out, n=3)  # a third difference: -75 dB at 200 Hz, keeps the click's broadband energy
        share, peak = _spread(high)
        assert share > 0.9 and abs(peak - 8000 / rate) <= 3


# ---------------------------------------------------------------------------------------------
# Multichannel


@pytest.mark.parametrize(("kind", "amount"), [("stretch", 0.85), ("pitch", 2.5)])
def test_stereo_image_is_kept(kind: str, amount: float) -> None:
    def kernel(audio: np.ndarray) -> np.ndarray:
        return FS.time_stretch(audio, amount, SR) if kind == "stretch" else FS.pitch_shift(audio, amount, SR)

    x = SPEECH["a0009"]
    delay = 12
    stereo = np.stack([x, 0.5 * np.concatenate([np.zeros(delay, np.float32), x[:-delay]])])
    out = kernel(stereo)
    left, right = out[0].astype(np.float64), out[1].astype(np.float64)
    assert np.sqrt((right**2).mean() / (left**2).mean()) == pytest.approx(0.5, rel=0.01)
    size = 2 * len(left)
    corr = np.fft.irfft(np.fft.rfft(right, size) * np.conj(np.fft.rfft(left, size)), size)  # corr[lag]: right ~ left delayed
    lag = int(np.argmax(np.concatenate([corr[-40:], corr[:41]]))) - 40
    # a stretch keeps time differences; a pitch shift resamples its frames, so they scale like the period
    expected = delay if kind == "stretch" else delay / FS.pitch_factor(amount, SR)
    assert abs(lag - expected) <= 0.5
    # one set of phase rotations for all channels: a channel in a pair comes out as it would alone
    np.testing.assert_array_equal(kernel(np.stack([x, x]))[1], kernel(x))


# ---------------------------------------------------------------------------------------------
# SpeedChange


@pytest.mark.parametrize("rate", [0.9, 1.1])
def test_speed_change_scales_duration_and_f0(rate: float) -> None:
    x = SPEECH["a0009"]
    out = _run(SpeedChange(min_rate=rate, max_rate=rate, p=1.0), x)["audio"]
    assert out.shape == (round(len(x) / rate),)
    before, after = yin_f0(x), yin_f0(out)
    assert np.nanmedian(after) / np.nanmedian(before) == pytest.approx(rate, rel=0.03)


def test_speed_change_matches_scipy_polyphase_on_band_limited_content() -> None:
    from scipy.signal import resample_poly

    x = (sine(300.0, 0.5) + sine(1100.0, 0.5, amplitude=0.2)).astype(np.float64)
    mine = FR.change_speed(x.astype(np.float32), 1.1)
    theirs = resample_poly(x, 10, 11)  # 1.1 times faster: 10 samples out for 11 in
    middle = slice(200, len(mine) - 200)
    assert len(mine) == round(len(x) / 1.1)
    np.testing.assert_allclose(mine[middle], theirs[: len(mine)][middle], atol=2e-3)


def test_speed_change_rates_list_draws_from_the_list() -> None:
    t = SpeedChange(rates=[0.9, 1.0, 1.1], p=1.0)
    x = SPEECH["a0007"][:4000]
    seen = {t(audio=x, sample_rate=SR, rng=seed, record=True)["applied"][0]["params"]["rate"] for seed in range(40)}
    assert seen == {0.9, 1.0, 1.1}
    assert t(audio=x, sample_rate=SR, rng=np.random.default_rng(1))["audio"].shape[0] in {4444, 4000, 3636}


# ---------------------------------------------------------------------------------------------
# Resample


@pytest.mark.parametrize("target", [8000, 11025, 22050, 23517, 44100])
def test_resample_length_rate_and_frequency(target: int) -> None:
    x = sine(1000.3)
    out = Resample(min_sample_rate=target, max_sample_rate=target, p=1.0)(audio=x, sample_rate=SR)
    y = out["audio"]
    assert out["sample_rate"] == target and y.shape == (round(len(x) * target / SR),)
    expected = 0.5 * np.sin(2 * np.pi * 1000.3 * np.arange(len(y)) / target)
    middle = slice(target // 50, -target // 50)
    exact = Fraction(target, SR).denominator <= 1024  # else a fraction within 1e-6 of the ratio is used
    np.testing.assert_allclose(y[middle], expected[middle], atol=2e-5 if exact else 5e-3)
    assert peak_freq(y[middle], target) == pytest.approx(1000.3, rel=1e-4)


def test_resample_removes_what_would_alias() -> None:
    y = FR.resample(sine(6000.0), SR, 8000)  # 6 kHz is above the new Nyquist (4 kHz): it must go
    assert np.sqrt((y[100:-100].astype(np.float64) ** 2).mean()) < 1e-3


def test_resample_ratio_matches_the_interpolation_formula() -> None:
    """Check the fast polyphase products against a float64 sum written from the definition."""
    rng = np.random.default_rng(5)
    x = rng.standard_normal(400)
    for up, down in [(3, 2), (2, 3), (441, 160), (11, 10), (1, 2)]:
        out_len = len(x) * up // down
        mine = FR.resample_ratio(x.astype(np.float32)[None], up, down, out_len)[0]
        scale = min(1.0, up / down)
        half = int(np.ceil(FR.ZEROS / scale))
        times = np.arange(out_len) * down / up
        ref = np.zeros(out_len)
        for n, t in enumerate(times):
            idx = np.arange(int(np.floor(t)) - half + 1, int(np.floor(t)) + half + 1)
            d = t - idx
            w = np.sinc(FR.CUTOFF * scale * d) * np.sum(
                [a * np.cos(m * np.pi * d / half) for m, a in enumerate((0.35875, 0.48829, 0.14128, 0.01168))], axis=0
            )
            inside = (idx >= 0) & (idx < len(x))
            ref[n] = np.dot(w[inside], x[idx[inside]]) / w.sum()
        np.testing.assert_allclose(mine, ref, atol=2e-5)


def test_rational_ratio_keeps_the_drift_small() -> None:
    assert FR.rational_ratio(Fraction(8000, 16000), 10) == (1, 2)
    assert FR.rational_ratio(Fraction(44100, 16000), 10) == (441, 160)
    for target in (23517, 44099, 8123, 26049):
        out_len = 10 * target
        up, down = FR.rational_ratio(Fraction(target, SR), out_len)
        assert down <= 4096 and abs(up / down / (target / SR) - 1) * out_len <= 0.25


@pytest.mark.parametrize("target", [16001, 15999, 31999])
def test_resample_near_identity_ratios_are_exact(target: int) -> None:
    """No small fraction is close to 16001 / 16000: the FFT path keeps the rate exact."""
    y = FR.resample(sine(1000.3), SR, target)
    expected = 0.5 * np.sin(2 * np.pi * 1000.3 * np.arange(len(y)) / target)
    assert len(y) == target
    np.testing.assert_allclose(y[300:-300], expected[300:-300], atol=1e-4)


def test_resample_batch_clips_get_their_own_rate() -> None:
    x = SPEECH["a0007"][:8000]
    out = Resample(p=1.0)(audio=np.stack([x[None], x[None]]), sample_rate=SR, rng=3, record=True)
    rates = [p["target_sample_rate"] for p in out["applied"][0]["params"]["batch"]]
    assert out["sample_rate"] == rates and [c.shape[-1] for c in out["audio"]] == [round(8000 * r / SR) for r in rates]


# ---------------------------------------------------------------------------------------------
# Kernels: inputs untouched, new arrays, identity cases, odd sizes


def test_kernels_leave_the_input_alone_and_return_new_arrays() -> None:
    x = np.stack([SPEECH["a0007"][:5000], SPEECH["a0009"][:5000]])
    copy = x.copy()
    for y in (
        FS.time_stretch(x, 1.0, SR),
        FS.time_stretch(x, 0.7, SR),
        FS.pitch_shift(x, 0.0, SR),
        FS.pitch_shift(x, -3.0, SR),
        FR.change_speed(x, 1.0),
        FR.change_speed(x, 1.07),
        FR.resample(x, SR, SR),
        FR.resample(x, SR, 12345),
    ):
        assert y.dtype == np.float32 and y.flags.c_contiguous and not np.shares_memory(y, x)
    np.testing.assert_array_equal(x, copy)
    np.testing.assert_array_equal(FS.time_stretch(x, 1.0, SR), x)
    np.testing.assert_array_equal(FS.pitch_shift(x, 0.0, SR), x)


def test_near_identity_stretch_reconstructs_the_input() -> None:
    x = SPEECH["a0009"]
    np.testing.assert_allclose(FS.time_stretch(x, 1.0 + 1e-9, SR), x, atol=1e-5)


@pytest.mark.parametrize("samples", [1, 2, 7, 100, 1023])
def test_short_clips_keep_their_shapes(samples: int) -> None:
    x = np.random.default_rng(0).standard_normal((2, samples)).astype(np.float32)
    assert FS.time_stretch(x, 0.5, SR).shape == (2, round(samples / 0.5))
    assert FS.time_stretch(x, 10.0, SR).shape == (2, max(1, round(samples / 10)))
    assert FS.pitch_shift(x, 24.0, SR).shape == (2, samples)
    assert FR.resample(x, SR, 44100).shape == (2, round(samples * 44100 / SR))
    assert FR.change_speed(x, 0.1).shape == (2, samples * 10)


def test_other_sample_rates() -> None:
    x = sine(440.0, 0.5, sr=44100)
    y = FS.pitch_shift(np.stack([x, x]), 3.0, 44100)
    assert y.shape == (2, len(x))
    assert peak_freq(y[0, 5000:-5000], 44100) == pytest.approx(440 * FS.pitch_factor(3.0, 44100), rel=1e-3)
    z = FS.time_stretch(x, 0.75, 44100)
    assert z.shape == (round(len(x) / 0.75),) and peak_freq(z[5000:-5000], 44100) == pytest.approx(440.0, rel=1e-3)


# ---------------------------------------------------------------------------------------------
# Arguments


@pytest.mark.parametrize(
    ("make", "argument"),
    [
        (lambda: TimeStretch(min_rate=1.2, max_rate=1.1), "min_rate"),
        (lambda: TimeStretch(min_rate=0.0), "min_rate"),
        (lambda: TimeStretch(min_rate=-1.0, max_rate=1.0), "min_rate"),
        (lambda: TimeStretch(max_rate=20.0), "max_rate"),
        (lambda: TimeStretch(leave_length_unchanged=1), "leave_length_unchanged"),
        (lambda: PitchShift(min_semitones=3.0, max_semitones=1.0), "min_semitones"),
        (lambda: PitchShift(max_semitones=30.0), "max_semitones"),
        (lambda: PitchShift(min_semitones=float("nan")), "min_semitones"),
        (lambda: SpeedChange(min_rate=0.0), "min_rate"),
        (lambda: SpeedChange(min_rate=1.2, max_rate=1.1), "min_rate"),
        (lambda: SpeedChange(rates=[0.9, 0.0]), "rates"),
        (lambda: SpeedChange(rates=[]), "rates"),
        (lambda: SpeedChange(rates=[50.0]), "rates"),
        (lambda: Resample(min_sample_rate=0), "min_sample_rate"),
        (lambda: Resample(min_sample_rate=16000, max_sample_rate=8000), "min_sample_rate"),
        (lambda: Resample(max_sample_rate=8000.5), "max_sample_rate"),
    ],
)
def test_bad_arguments_name_the_class_and_the_argument(make, argument: str) -> None:
    with pytest.raises(ak.ArgumentError) as info:
        make()
    name = make.__code__.co_names[0]
    assert str(info.value).startswith(f"{name}: argument {argument!r}")


def test_kernel_arguments_are_checked() -> None:
    x = np.zeros(100, np.float32)
    for bad in (0.0, -1.0, float("inf")):
        with pytest.raises(ValueError, match="rate"):
            FS.time_stretch(x, bad, SR)
        with pytest.raises(ValueError, match="rate"):
            FR.change_speed(x, bad)
    with pytest.raises(ValueError, match="semitones"):
        FS.pitch_shift(x, float("nan"), SR)
    with pytest.raises(ValueError, match="sample rates"):
        FR.resample(x, SR, 0)
    with pytest.raises(ValueError, match="frame_length"):
        FS.time_stretch(x, 0.9, SR, frame_length=4)
    with pytest.raises(ValueError, match="shape"):
        FS.pitch_shift(np.zeros((1, 2, 3), np.float32), 1.0, SR)


def test_draws_are_recorded_and_uniform() -> None:
    t = PitchShift(p=1.0)
    x = SPEECH["a0007"][:2000]
    draws = [t(audio=x, sample_rate=SR, rng=seed, record=True)["applied"][0]["params"]["semitones"] for seed in range(100)]
    assert min(draws) >= -4.0 and max(draws) <= 4.0 and abs(np.mean(draws)) < 0.5 and np.std(draws) > 2.0
    rates = [Resample(p=1.0).sample_clip(np.random.default_rng(s), None)["target_sample_rate"] for s in range(200)]  # type: ignore[arg-type]
    assert all(isinstance(r, int) and 8000 <= r <= 44100 for r in rates) and np.std(rates) > 8000
