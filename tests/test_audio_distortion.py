"""Distortion transforms: clipping, percentile clipping, tanh, bit crushing, aliasing, μ-law.

References are independent of the kernels: numpy.percentile, float64 formulas written out, np.interp
for the two linear resamplings, and the alias frequency predicted by folding.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import augkit as ak
from augkit.audio.distortion import Aliasing, BitCrush, Clip, ClippingDistortion, MuLawCompression, TanhDistortion
from augkit.audio.functional import distortion as FD
from augkit.samples import load_speech


@pytest.fixture(scope="module")
def speech() -> tuple[np.ndarray, int]:
    return load_speech()


@pytest.fixture(scope="module")
def smooth_speech(speech: tuple[np.ndarray, int]) -> np.ndarray:
    """Speech with a little dither, so no two samples tie (percentile counts are then exact)."""
    x, _ = speech
    return (x + 1e-6 * np.random.default_rng(0).standard_normal(x.size)).astype(np.float32)


def dominant_frequency(wave: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(wave * np.hanning(wave.size)))
    return float(np.argmax(spectrum) * rate / wave.size)


# ---------------------------------------------------------------------------------------------
# Clipping


def test_clip_bounds(speech: tuple[np.ndarray, int]) -> None:
    x, rate = speech
    y = Clip(a_min=-0.1, a_max=0.05, p=1.0)(audio=x, sample_rate=rate)["audio"]
    assert y.min() == np.float32(-0.1) and y.max() == np.float32(0.05)
    inside = (x >= -0.1) & (x <= 0.05)
    np.testing.assert_array_equal(y[inside], x[inside])
    np.testing.assert_array_equal(Clip(p=1.0)(audio=x, sample_rate=rate)["audio"], x)  # speech is within [-1, 1]


@pytest.mark.parametrize("percent", [0, 1, 13, 40, 100])
def test_percentile_thresholds_match_numpy(smooth_speech: np.ndarray, percent: int) -> None:
    stereo = np.stack([smooth_speech, 0.5 * smooth_speech[::-1]])
    for wave in (smooth_speech, stereo):
        low, high = FD.percentile_thresholds(wave, percent)
        expected = np.percentile(wave.astype(np.float64), [percent / 2, 100 - percent / 2])
        assert (low, high) == pytest.approx(tuple(expected), abs=1e-9)


@pytest.mark.parametrize("percent", [2, 10, 30, 40])
def test_clipping_distortion_clips_the_drawn_percentage(smooth_speech: np.ndarray, percent: int) -> None:
    rate = 16000
    t = ClippingDistortion(min_percentile_threshold=percent, max_percentile_threshold=percent, p=1.0)
    out = t(audio=smooth_speech, sample_rate=rate, rng=0, record=True)
    params = out["applied"][0]["params"]
    assert params["percentile_threshold"] == percent
    changed = np.count_nonzero(out["audio"] != smooth_speech) / smooth_speech.size
    assert changed == pytest.approx(percent / 100, abs=3 / smooth_speech.size)
    assert out["audio"].min() == np.float32(params["low"]) and out["audio"].max() == np.float32(params["high"])


def test_clipping_distortion_draws_integers_over_the_range(smooth_speech: np.ndarray) -> None:
    t = ClippingDistortion(min_percentile_threshold=5, max_percentile_threshold=9, p=1.0)
    seen = {
        t(audio=smooth_speech[:4000], sample_rate=16000, rng=s, record=True)["applied"][0]["params"]["percentile_threshold"]
        for s in range(60)
    }
    assert seen == {5, 6, 7, 8, 9}


# ---------------------------------------------------------------------------------------------
# Tanh


@pytest.mark.parametrize("amount", [0.0, 0.01, 0.3, 0.7, 1.0])
def test_tanh_distortion_matches_the_formula(speech: tuple[np.ndarray, int], amount: float) -> None:
    x, rate = speech
    x64 = x.astype(np.float64)
    threshold = np.percentile(np.abs(x64), 100 - 99 * amount)
    shaped = np.tanh(0.5 / (threshold + 1e-6) * x64)
    expected = shaped * np.sqrt(np.mean(x64**2) / np.mean(shaped**2))
    t = TanhDistortion(min_distortion=amount, max_distortion=amount, p=1.0)
    y = t(audio=x, sample_rate=rate, rng=0)["audio"]
    np.testing.assert_allclose(y, expected, atol=2e-6)
    assert np.sqrt(np.mean(y.astype(np.float64) ** 2)) == pytest.approx(np.sqrt(np.mean(x64**2)), rel=1e-5)
    np.testing.assert_allclose(FD.tanh_distortion(-x, amount), -y, atol=1e-7)  # odd symmetry


def test_tanh_distortion_of_silence_is_silence() -> None:
    silent = np.zeros((2, 100), np.float32)
    np.testing.assert_array_equal(TanhDistortion(p=1.0)(audio=silent, sample_rate=16000, rng=0)["audio"], silent)


# ---------------------------------------------------------------------------------------------
# Bit crushing


@pytest.mark.parametrize("bits", [1, 2, 3, 5, 8, 12])
def test_bit_crush_produces_two_to_the_bits_levels(bits: int) -> None:
    ramp = np.linspace(-1.0, 1.0, 200_001, dtype=np.float32)
    y = FD.bit_crush(ramp, bits)
    levels = np.unique(y)
    assert levels.size == 2**bits
    step = 2.0 ** (1 - bits)
    np.testing.assert_allclose(np.diff(levels), step)
    assert levels[0] == -1.0 and levels[-1] == 1.0 - step
    inside = ramp <= 1.0 - step
    assert np.abs(y[inside] - ramp[inside]).max() <= step / 2 + 1e-7


def test_bit_crush_class_draws_within_range(speech: tuple[np.ndarray, int]) -> None:
    x, rate = speech
    t = BitCrush(min_bit_depth=3, max_bit_depth=6, p=1.0)
    seen = set()
    for seed in range(40):
        out = t(audio=x[:2000], sample_rate=rate, rng=seed, record=True)
        bits = out["applied"][0]["params"]["bit_depth"]
        seen.add(bits)
        assert np.unique(out["audio"]).size <= 2**bits
    assert seen == {3, 4, 5, 6}


# ---------------------------------------------------------------------------------------------
# Aliasing


@pytest.mark.parametrize(
    ("freq", "new_rate", "alias"), [(5000, 8000, 3000), (6000, 10000, 4000), (7000, 12000, 5000), (1000, 8000, 1000)]
)
def test_aliasing_folds_to_the_expected_frequency(freq: int, new_rate: int, alias: int) -> None:
    rate = 48000  # well above the tone, so the first interpolation is close to the continuous sine
    t = np.arange(rate) / rate
    x = np.sin(2 * np.pi * freq * t).astype(np.float32)
    y = FD.aliasing(x, rate, new_rate)
    assert y.shape == x.shape
    assert dominant_frequency(y, rate) == pytest.approx(alias, abs=2.0)


def test_aliasing_is_two_linear_interpolations(speech: tuple[np.ndarray, int]) -> None:
    x, rate = speech
    stereo = np.stack([x, -0.5 * x])
    for new_rate in (8000.0, 11025.5, 22050.0, 30000.0):
        grid = np.arange(x.size)
        down_times = np.arange(0.0, x.size - 1 + 1e-9, rate / new_rate)
        down = np.interp(down_times, grid, x.astype(np.float64))
        expected = np.interp(grid, down_times, down)
        y = FD.aliasing(stereo, rate, new_rate)
        np.testing.assert_allclose(y[0], expected, atol=1e-5)
        np.testing.assert_allclose(y[1], -0.5 * expected, atol=1e-5)


def test_aliasing_class(speech: tuple[np.ndarray, int]) -> None:
    x, rate = speech
    out = Aliasing(p=1.0)(audio=x, sample_rate=rate, rng=2, record=True)
    new_rate = out["applied"][0]["params"]["new_sample_rate"]
    assert 8000.0 <= new_rate <= 30000.0 and out["audio"].shape == x.shape and out["sample_rate"] == rate


# ---------------------------------------------------------------------------------------------
# μ-law


def mu_law_curve(x: np.ndarray, mu: float) -> np.ndarray:
    return np.sign(x) * np.log(1.0 + mu * np.abs(x)) / np.log(1.0 + mu)


@pytest.mark.parametrize("channels", [256, 16, 2**12])
def test_mu_law_error_is_bounded_by_the_step(speech: tuple[np.ndarray, int], channels: int) -> None:
    x, rate = speech
    wave = np.concatenate([x, np.linspace(-1, 1, 20001, dtype=np.float32)])
    y = MuLawCompression(quantization_channels=channels, p=1.0)(audio=wave, sample_rate=rate)["audio"]
    mu = channels - 1.0
    # uniform in the companded domain: at most half a step (1/mu) away there
    companded_error = np.abs(mu_law_curve(y.astype(np.float64), mu) - mu_law_curve(wave.astype(np.float64), mu))
    assert companded_error.max() <= 1.0 / mu + 1e-5
    # so each output is one of the two reconstruction levels around the input
    levels = np.sign(np.linspace(-1, 1, channels)) * np.expm1(np.abs(np.linspace(-1, 1, channels)) * np.log1p(mu)) / mu
    upper = np.clip(np.searchsorted(levels, wave), 1, channels - 1)
    gap = levels[upper] - levels[upper - 1]
    assert (np.abs(y - wave) <= gap + 1e-6).all()
    assert np.unique(y).size <= channels


def test_mu_law_codes_and_speech_quality(speech: tuple[np.ndarray, int]) -> None:
    x, _ = speech
    codes = FD.mu_law_encode(x)
    expected = np.floor((mu_law_curve(np.clip(x.astype(np.float64), -1, 1), 255.0) + 1) / 2 * 255 + 0.5)
    assert np.mean(codes == expected) > 0.999  # float32 rounding may flip a code at an exact boundary
    assert codes.min() >= 0 and codes.max() <= 255
    y = FD.mu_law_compression(x)
    snr = 10 * math.log10(np.sum(x.astype(np.float64) ** 2) / np.sum((y - x).astype(np.float64) ** 2))
    assert 25.0 < snr < 45.0  # 8-bit μ-law on speech: about 35 dB
    np.testing.assert_array_equal(FD.mu_law_compression(np.array([3.0, -3.0], np.float32)), [1.0, -1.0])


# ---------------------------------------------------------------------------------------------
# Arguments


@pytest.mark.parametrize(
    ("build", "pattern"),
    [
        (lambda: Clip(a_min=1.0, a_max=-1.0), r"^Clip: argument 'a_max' expects a finite number >= 1.0"),
        (
            lambda: ClippingDistortion(max_percentile_threshold=101),
            r"^ClippingDistortion: argument 'max_percentile_threshold' expects an integer in \[0, 100\]",
        ),
        (
            lambda: ClippingDistortion(min_percentile_threshold=30, max_percentile_threshold=20),
            r"^ClippingDistortion: argument 'min_percentile_threshold' expects a number <=",
        ),
        (
            lambda: ClippingDistortion(min_percentile_threshold=2.5),
            r"^ClippingDistortion: argument 'min_percentile_threshold' expects an integer",
        ),
        (
            lambda: TanhDistortion(max_distortion=1.5),
            r"^TanhDistortion: argument 'max_distortion' expects a finite number in \[0.0, 1.0\]",
        ),
        (lambda: BitCrush(min_bit_depth=0), r"^BitCrush: argument 'min_bit_depth' expects an integer in \[1, 32\]"),
        (
            lambda: BitCrush(min_bit_depth=12, max_bit_depth=8),
            r"^BitCrush: argument 'min_bit_depth' expects a number <= max_bit_depth",
        ),
        (lambda: Aliasing(min_sample_rate=1), r"^Aliasing: argument 'min_sample_rate' expects an integer >= 2"),
        (
            lambda: MuLawCompression(quantization_channels=1),
            r"^MuLawCompression: argument 'quantization_channels' expects an integer in \[2, 65536\]",
        ),
        (lambda: MuLawCompression(bits=8), r"^MuLawCompression: unknown argument 'bits'"),
    ],
)
def test_bad_arguments_raise_clearly(build: object, pattern: str) -> None:
    with pytest.raises(ak.ArgumentError, match=pattern):
        build()  # type: ignore[operator]
