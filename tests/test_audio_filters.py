"""Audio filters and equalizers against scipy.signal designs, the RBJ cookbook and measured responses."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import signal

import augkit as ak
from augkit.audio import filters as AF
from augkit.audio.functional import filters as FF
from augkit.audio.functional import iir
from augkit.samples import load_speech

SR = 16000


def speech() -> np.ndarray:
    data, rate = load_speech()
    assert rate == SR
    return data[None]


def tone_gain_db(process, freq: float, sample_rate: int = SR, seconds: float = 1.0) -> float:
    """Steady-state gain of ``process`` for a pure tone, from the RMS of the second half."""
    n = np.arange(int(seconds * sample_rate))
    x = np.sin(2 * np.pi * freq * n / sample_rate).astype(np.float32)[None]
    y = process(x)
    half = len(n) // 2
    return 20 * math.log10(
        np.sqrt(np.mean(y[0, half:].astype(np.float64) ** 2)) / np.sqrt(np.mean(x[0, half:].astype(np.float64) ** 2))
    )


def reference_db(sos: np.ndarray, freq: float, sample_rate: int = SR) -> float:
    _, h = signal.sosfreqz(sos, worN=[freq], fs=sample_rate)
    return 20 * math.log10(max(abs(h[0]), 1e-300))


def fixed(cls, **kwargs):
    return cls(**kwargs, p=1.0)


# ---------------------------------------------------------------------------------------------
# Butterworth designs and measured responses


@pytest.mark.parametrize("kind", FF.BUTTERWORTH_KINDS)
@pytest.mark.parametrize("order", [1, 2, 3, 4, 7])
@pytest.mark.parametrize("rate", [8000, 16000, 44100])
def test_butterworth_design_matches_scipy(kind: str, order: int, rate: int) -> None:
    freqs = 700.0 if kind in ("lowpass", "highpass") else (300.0, 1500.0)
    ours = FF.butterworth_sos(kind, order, freqs, rate)
    theirs = signal.butter(order, freqs, btype=kind, fs=rate, output="sos")
    w = np.linspace(1.0, rate / 2 - 1.0, 400)
    np.testing.assert_allclose(abs(signal.sosfreqz(ours, w, fs=rate)[1]), abs(signal.sosfreqz(theirs, w, fs=rate)[1]), atol=1e-9)


@pytest.mark.parametrize(
    ("cls", "kwargs", "design"),
    [
        (AF.LowPass, {"min_cutoff_freq": 1000.0, "max_cutoff_freq": 1000.0}, ("lowpass", 1000.0)),
        (AF.HighPass, {"min_cutoff_freq": 1000.0, "max_cutoff_freq": 1000.0}, ("highpass", 1000.0)),
        (
            AF.BandPass,
            {"min_center_freq": 1500.0, "max_center_freq": 1500.0, "min_bandwidth_fraction": 0.8, "max_bandwidth_fraction": 0.8},
            ("bandpass", (900.0, 2100.0)),
        ),
        (
            AF.BandStop,
            {"min_center_freq": 1500.0, "max_center_freq": 1500.0, "min_bandwidth_fraction": 0.8, "max_bandwidth_fraction": 0.8},
            ("bandstop", (900.0, 2100.0)),
        ),
    ],
)
@pytest.mark.parametrize("rolloff", [12, 24])
def test_measured_response_follows_the_design(cls, kwargs, design, rolloff: int) -> None:
    transform = fixed(cls, min_rolloff=rolloff, max_rolloff=rolloff, **kwargs)
    sos = signal.butter(rolloff // 6, design[1], btype=design[0], fs=SR, output="sos")

    def process(x: np.ndarray) -> np.ndarray:
        return transform(audio=x, sample_rate=SR, rng=0)["audio"]

    for freq in (100.0, 400.0, 800.0, 900.0, 1000.0, 1500.0, 2100.0, 3000.0, 6000.0):
        expected = reference_db(sos, freq)
        measured = tone_gain_db(process, freq)
        if expected > -20:
            assert abs(measured - expected) < 0.5, (freq, measured, expected)
        else:  # stopband: at least as much attenuation as designed (within rounding), never a leak
            assert measured < max(expected + 3.0, -60.0), (freq, measured, expected)
    edges = design[1] if isinstance(design[1], tuple) else (design[1],)
    for edge in edges:  # the cutoff sits at -3 dB
        assert abs(tone_gain_db(process, edge) + 3.01) < 0.3


def test_zero_phase_matches_forward_backward_filtering() -> None:
    x = speech()[:, 8000:24000]
    transform = fixed(AF.LowPass, min_cutoff_freq=2000.0, max_cutoff_freq=2000.0, min_rolloff=24, max_rolloff=24, zero_phase=True)
    out = transform(audio=x, sample_rate=SR, rng=0)["audio"]
    reference = signal.sosfiltfilt(signal.butter(2, 2000.0, fs=SR, output="sos"), x.astype(np.float64), axis=-1)
    assert np.abs(out - reference).max() < 1e-5 * np.abs(reference).max()
    # the squared response: -6 dB at the cutoff, no delay
    assert abs(tone_gain_db(lambda s: transform(audio=s, sample_rate=SR, rng=0)["audio"], 2000.0) + 6.02) < 0.3
    lags = signal.correlation_lags(x.shape[1], x.shape[1])
    assert lags[np.argmax(signal.correlate(out[0], x[0]))] == 0


def test_causal_filter_starts_in_steady_state_like_sosfilt_zi() -> None:
    x = (0.3 + 0.1 * np.random.default_rng(0).standard_normal((2, 4000))).astype(np.float32)
    sos = signal.butter(3, 1200.0, fs=SR, output="sos")
    zi = signal.sosfilt_zi(sos)[:, None, :] * x[:, 0].astype(np.float64)[None, :, None]
    reference, _ = signal.sosfilt(sos, x.astype(np.float64), axis=-1, zi=zi)
    ours = FF.low_pass(x, SR, 1200.0, 3)
    assert ours.dtype == np.float32 and ours.shape == x.shape
    np.testing.assert_allclose(ours, reference, atol=1e-5)
    constant = np.full((1, 512), 0.5, np.float32)  # no start-up transient on a DC offset
    np.testing.assert_allclose(FF.low_pass(constant, SR, 300.0, 4), constant, atol=1e-5)


def test_low_cutoffs_keep_float64_accuracy() -> None:
    x = np.random.default_rng(1).standard_normal((1, 44100)).astype(np.float32)
    for kind, freq in (("highpass", 20.0), ("lowpass", 60.0), ("bandpass", (25.0, 45.0))):
        sos = signal.butter(4, freq, btype=kind, fs=44100, output="sos")
        reference = signal.sosfilt(sos, x.astype(np.float64), axis=-1, zi=signal.sosfilt_zi(sos)[:, None, :] * float(x[0, 0]))[0]
        ours = FF.sos_filter(x, FF.butterworth_sos(kind, 4, freq, 44100))
        assert np.abs(ours - reference).max() < 1e-5 * np.abs(reference).max(), kind


def test_channels_are_filtered_independently() -> None:
    x = speech()[:, :8000]
    stereo = np.concatenate([x, np.zeros_like(x)])
    for cls in (AF.LowPass, AF.BandStop, AF.Peaking, AF.SevenBandParametricEQ):
        transform = cls.example()
        out = transform(audio=stereo, sample_rate=SR, rng=3)["audio"]
        mono = transform(audio=x, sample_rate=SR, rng=3)["audio"]
        np.testing.assert_array_equal(out[1], 0.0)
        np.testing.assert_allclose(out[:1], mono, atol=1e-7)


def test_low_pass_removes_the_highs_of_real_speech() -> None:
    x = speech()
    out = fixed(AF.LowPass, min_cutoff_freq=1000.0, max_cutoff_freq=1000.0, min_rolloff=24, max_rolloff=24)(
        audio=x, sample_rate=SR
    )
    f, before = signal.welch(x[0], SR, nperseg=1024)
    _, after = signal.welch(out["audio"][0], SR, nperseg=1024)
    high, low = f > 3000, (f > 100) & (f < 500)
    assert 10 * np.log10(after[high].sum() / before[high].sum()) < -30
    assert abs(10 * np.log10(after[low].sum() / before[low].sum())) < 0.5


def test_cutoffs_past_nyquist_are_clipped_and_empty_bands_handled() -> None:
    x = np.random.default_rng(2).standard_normal((1, 2000)).astype(np.float32)
    out = FF.low_pass(x, 8000, 7500.0, 4)  # above Nyquist (4 kHz): clipped just below it
    assert np.isfinite(out).all() and np.abs(out - x).max() < 0.5
    np.testing.assert_array_equal(FF.band_pass(x, 8000, 6000.0, 1000.0, 2), 0.0)  # nothing passes
    np.testing.assert_array_equal(FF.band_stop(x, 8000, 6000.0, 1000.0, 2), x)  # nothing removed
    np.testing.assert_array_equal(FF.peaking(x, 8000, 5000.0, 12.0, 1.0), x)
    short = np.array([[0.25]], np.float32)
    assert FF.high_pass(short, SR, 100.0, 2).shape == (1, 1)
    for length in (1, 2, 7):  # forward-backward filtering of clips shorter than scipy's default padding
        out = FF.low_pass(np.full((2, length), 0.5, np.float32), SR, 1000.0, 4, zero_phase=True)
        assert out.shape == (2, length) and np.isfinite(out).all()


# ---------------------------------------------------------------------------------------------
# RBJ biquads


def cookbook(kind: str, f0: float, gain_db: float, q: float, fs: float) -> tuple[np.ndarray, np.ndarray]:
    """Audio EQ Cookbook (R. Bristow-Johnson) formulas, written out per filter type."""
    a_lin = 10 ** (gain_db / 40)
    w0 = 2 * np.pi * f0 / fs
    alpha = np.sin(w0) / (2 * q)
    cw = np.cos(w0)
    sq = 2 * np.sqrt(a_lin) * alpha
    if kind == "peaking":
        b = [1 + alpha * a_lin, -2 * cw, 1 - alpha * a_lin]
        a = [1 + alpha / a_lin, -2 * cw, 1 - alpha / a_lin]
    elif kind == "low_shelf":
        b = [
            a_lin * ((a_lin + 1) - (a_lin - 1) * cw + sq),
            2 * a_lin * ((a_lin - 1) - (a_lin + 1) * cw),
            a_lin * ((a_lin + 1) - (a_lin - 1) * cw - sq),
        ]
        a = [(a_lin + 1) + (a_lin - 1) * cw + sq, -2 * ((a_lin - 1) + (a_lin + 1) * cw), (a_lin + 1) + (a_lin - 1) * cw - sq]
    else:
        b = [
            a_lin * ((a_lin + 1) + (a_lin - 1) * cw + sq),
            -2 * a_lin * ((a_lin - 1) + (a_lin + 1) * cw),
            a_lin * ((a_lin + 1) + (a_lin - 1) * cw - sq),
        ]
        a = [(a_lin + 1) - (a_lin - 1) * cw + sq, 2 * ((a_lin - 1) - (a_lin + 1) * cw), (a_lin + 1) - (a_lin - 1) * cw - sq]
    return np.array(b) / a[0], np.array(a) / a[0]


@pytest.mark.parametrize("kind", FF.BIQUAD_KINDS)
@pytest.mark.parametrize(("f0", "gain", "q"), [(250.0, 9.0, 0.7), (1200.0, -15.0, 0.3), (3000.0, 4.5, 0.95)])
def test_biquads_match_the_cookbook(kind: str, f0: float, gain: float, q: float) -> None:
    b, a = cookbook(kind, f0, gain, q, SR)
    np.testing.assert_allclose(FF.biquad_sos(kind, f0, gain, q, SR)[0], np.concatenate([b, a]), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("f0", "gain", "q"), [(300.0, 12.0, 0.7), (1000.0, -9.0, 2.0), (2500.0, 18.0, 4.0), (700.0, -20.0, 0.5)])
def test_peaking_reaches_the_drawn_gain_at_the_centre(f0: float, gain: float, q: float) -> None:
    transform = fixed(AF.Peaking, min_center_freq=f0, max_center_freq=f0, min_gain_db=gain, max_gain_db=gain, min_q=q, max_q=q)
    measured = tone_gain_db(lambda x: transform(audio=x, sample_rate=SR, rng=0)["audio"], f0)
    assert abs(measured - gain) < 0.2
    far = tone_gain_db(lambda x: transform(audio=x, sample_rate=SR, rng=0)["audio"], f0 * 8 if f0 < 1000 else f0 / 10)
    assert abs(far) < abs(gain) / 3


@pytest.mark.parametrize(("cls", "gain"), [(AF.LowShelf, 12.0), (AF.LowShelf, -9.0), (AF.HighShelf, 10.0), (AF.HighShelf, -15.0)])
def test_shelves_have_half_the_gain_at_the_centre_and_all_of_it_beyond(cls, gain: float) -> None:
    f0 = 1000.0
    transform = fixed(cls, min_center_freq=f0, max_center_freq=f0, min_gain_db=gain, max_gain_db=gain, min_q=0.707, max_q=0.707)

    def process(x: np.ndarray) -> np.ndarray:
        return transform(audio=x, sample_rate=SR, rng=0)["audio"]

    assert abs(tone_gain_db(process, f0) - gain / 2) < 0.2
    shelf = 40.0 if cls is AF.LowShelf else 7800.0
    assert abs(tone_gain_db(process, shelf, seconds=2.0) - gain) < 0.2
    other = 7800.0 if cls is AF.LowShelf else 40.0
    assert abs(tone_gain_db(process, other, seconds=2.0)) < 0.2


def test_seven_band_eq_draws_audiomentations_bands_and_skips_past_nyquist() -> None:
    transform = AF.SevenBandParametricEQ(min_gain_db=-6.0, max_gain_db=6.0, p=1.0)
    x = speech()[:, :16000]
    skipped = 0
    for seed in range(20):
        out = transform(audio=x, sample_rate=SR, rng=seed, record=True)
        bands = out["applied"][0]["params"]["bands"]
        assert [b[0] for b in bands] == ["low_shelf"] + ["peaking"] * 5 + ["high_shelf"]
        for (kind, freq, gain, q), (_, low, high, q_low, q_high) in zip(bands, AF.SEVEN_BANDS, strict=True):
            assert low <= freq <= high and -6.0 <= gain <= 6.0 and q_low <= q <= q_high, kind
        # the same as the bands one after the other (those below Nyquist)
        expected = x
        for kind, freq, gain, q in bands:
            if freq < SR / 2:
                expected = getattr(FF, kind)(expected, SR, freq, gain, q)
            else:
                skipped += 1
        np.testing.assert_allclose(out["audio"], expected, atol=2e-5)
    assert skipped > 0  # the high shelf (4216-9486 Hz) often lands above 8 kHz


# ---------------------------------------------------------------------------------------------
# Sampling and arguments


def test_cutoffs_are_mel_uniform_and_rolloffs_multiples_of_six() -> None:
    transform = AF.LowPass(min_cutoff_freq=150.0, max_cutoff_freq=7500.0, min_rolloff=6, max_rolloff=30, p=1.0)
    x = np.zeros((1, 64), np.float32)
    rng = np.random.default_rng(0)
    draws = [transform(audio=x, sample_rate=SR, rng=rng, record=True)["applied"][0]["params"] for _ in range(1500)]
    mels = np.array([FF.hz_to_mel(d["cutoff_freq"]) for d in draws])
    low, high = FF.hz_to_mel(150.0), FF.hz_to_mel(7500.0)
    assert mels.min() >= low and mels.max() <= high
    fraction = (mels - low) / (high - low)
    assert abs(fraction.mean() - 0.5) < 0.03 and abs((fraction < 0.25).mean() - 0.25) < 0.04
    assert {d["rolloff"] for d in draws} == {6, 12, 18, 24, 30}
    zero_phase = AF.HighPass(min_rolloff=12, max_rolloff=36, zero_phase=True, p=1.0)
    rolloffs = {zero_phase(audio=x, sample_rate=SR, rng=s, record=True)["applied"][0]["params"]["rolloff"] for s in range(40)}
    assert rolloffs == {12, 24, 36}


def test_band_params_follow_centre_and_fraction() -> None:
    transform = AF.BandPass(
        min_center_freq=500.0, max_center_freq=500.0, min_bandwidth_fraction=0.5, max_bandwidth_fraction=1.5, p=1.0
    )
    for seed in range(10):
        params = transform(audio=np.zeros(32, np.float32), sample_rate=SR, rng=seed, record=True)["applied"][0]["params"]
        assert params["center_freq"] == 500.0 and 250.0 <= params["bandwidth"] <= 750.0


@pytest.mark.parametrize(
    ("cls", "kwargs", "pattern"),
    [
        (AF.LowPass, {"min_rolloff": 10}, r"LowPass: argument 'min_rolloff' expects a multiple of 6"),
        (AF.LowPass, {"min_rolloff": 18, "max_rolloff": 24, "zero_phase": True}, r"'min_rolloff' expects a multiple of 12"),
        (AF.HighPass, {"min_rolloff": 30, "max_rolloff": 24}, r"'min_rolloff' expects a number <= max_rolloff"),
        (AF.HighPass, {"min_cutoff_freq": 0.0}, r"'min_cutoff_freq' expects a number > 0"),
        (
            AF.LowPass,
            {"min_cutoff_freq": 5000.0, "max_cutoff_freq": 100.0},
            r"'min_cutoff_freq' expects a number <= max_cutoff_freq",
        ),
        (
            AF.BandPass,
            {"max_bandwidth_fraction": 2.0},
            r"BandPass: argument 'max_bandwidth_fraction' expects a number > 0.0 and < 2.0",
        ),
        (AF.BandStop, {"min_bandwidth_fraction": 0.0}, r"'min_bandwidth_fraction' expects a number > 0.0"),
        (AF.BandStop, {"zero_phase": 1}, r"'zero_phase' expects True or False"),
        (AF.Peaking, {"min_q": 0.0}, r"Peaking: argument 'min_q' expects a number > 0"),
        (AF.LowShelf, {"min_gain_db": "loud"}, r"'min_gain_db' expects a finite number"),
        (AF.SevenBandParametricEQ, {"min_gain_db": 3.0, "max_gain_db": -3.0}, r"'min_gain_db' expects a number <= max_gain_db"),
    ],
)
def test_bad_arguments_name_the_class_and_argument(cls, kwargs, pattern: str) -> None:
    with pytest.raises(ak.ArgumentError, match=pattern):
        cls(**kwargs)


def test_design_helpers_reject_bad_input() -> None:
    with pytest.raises(ValueError, match="kind expects"):
        FF.butterworth_sos("allpass", 2, 100.0, SR)
    with pytest.raises(ValueError, match="increasing"):
        FF.butterworth_sos("bandpass", 2, (2000.0, 1000.0), SR)
    with pytest.raises(ValueError, match="Nyquist"):
        FF.biquad_sos("peaking", 9000.0, 3.0, 1.0, SR)


# ---------------------------------------------------------------------------------------------
# The block-parallel IIR against scipy's sample-by-sample sosfilt


def _sosfilt64(sos: np.ndarray, x: np.ndarray) -> np.ndarray:
    zi = FF.sos_steady_state(sos)[:, None, :] * x[None, :, 0, None].astype(np.float64)
    return signal.sosfilt(sos, x.astype(np.float64), axis=-1, zi=zi)[0]


@pytest.mark.parametrize("rate", [8000, 16000, 44100])
def test_block_filter_matches_sosfilt_for_random_designs(rate: int) -> None:
    rng = np.random.default_rng(rate)
    x = rng.standard_normal((2, 64 * 37 + 29)).astype(np.float32)  # a partial last block
    x[1] *= 0.3
    designs = []
    for _ in range(12):
        f = float(FF.mel_to_hz(rng.uniform(FF.hz_to_mel(20.0), FF.hz_to_mel(rate / 2))))
        order = int(rng.integers(1, 5))
        designs.append(FF.butterworth_sos("lowpass" if rng.random() < 0.5 else "highpass", order, f, rate))
        designs.append(FF.butterworth_sos("bandpass", order, (f / 2, min(1.5 * f, 0.49 * rate)), rate))
        designs.append(
            FF.biquad_sos(
                str(rng.choice(FF.BIQUAD_KINDS)),
                min(f, 0.45 * rate),
                float(rng.uniform(-18, 18)),
                float(rng.uniform(0.2, 5)),
                rate,
            )
        )
    for sos in designs:
        reference = _sosfilt64(sos, x)
        ours = FF.sos_filter(x, sos)
        assert ours.dtype == np.float32 and ours.shape == x.shape
        assert np.abs(ours - reference).max() <= 1e-5 * np.abs(reference).max(), sos


def test_block_filter_paths() -> None:
    x = np.random.default_rng(5).standard_normal((1, 5000)).astype(np.float32)
    # close poles of two sections: one eigenbasis is too ill-conditioned, the cascade runs in two parts
    split = FF.butterworth_sos("lowpass", 6, 50.0, 16000)
    assert iir._plan(split.tobytes(), len(split)) is None
    zi = FF.sos_steady_state(split)[:, None, :] * float(x[0, 0])
    out = iir.block_sos_filter(x, split, zi)
    assert out is not None and np.abs(out - _sosfilt64(split, x)).max() < 1e-5 * np.abs(out).max() + 1e-12
    # resonances near Nyquist in several sections: no block method, sosfilt in float64 instead
    edge = FF.butterworth_sos("bandpass", 4, (270.0, 3999.6), 8000)
    assert iir.block_sos_filter(x, edge, np.zeros((4, 1, 2))) is None
    np.testing.assert_allclose(FF.sos_filter(x, edge), _sosfilt64(edge, x), atol=1e-5 * np.abs(_sosfilt64(edge, x)).max())
    # clips shorter than four blocks are left to sosfilt
    assert iir.block_sos_filter(x[:, :200], split, zi) is None


def test_state_space_realizes_the_cascade() -> None:
    sos = FF.butterworth_sos("bandstop", 3, (500.0, 900.0), SR)
    a, b, c, d = iir.state_space(sos)
    impulse = np.zeros(200)
    impulse[0] = 1.0
    state = np.zeros(len(b))
    response = []
    for value in impulse:
        response.append(c @ state + d * value)
        state = a @ state + b * value
    np.testing.assert_allclose(response, signal.sosfilt(sos, impulse), atol=1e-12)
