"""Level transforms: gain, fades, peak and BS.1770 loudness normalization, polarity, the limiter.

References are independent of the kernels: float64 formulas written differently, the K-weighting
coefficients as published in ITU-R BS.1770-4 with scipy's own filtering, and the standard's known
readings (a full-scale 997 Hz sine in one channel reads -3.01 LKFS).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.signal import sosfilt, sosfreqz

import augkit as ak
from augkit.audio.base import ClipInfo
from augkit.audio.functional import level as FL
from augkit.audio.level import Gain, GainTransition, Limiter, LoudnessNormalization, Normalize, PolarityInversion
from augkit.samples import load_speech

# BS.1770-4 Tables 1 and 2: the K-weighting stages at 48 kHz, as published
STANDARD_48K = np.array(
    [
        [1.53512485958697, -2.69169618940638, 1.19839281085285, 1.0, -1.69065929318241, 0.73248077421585],
        [1.0, -2.0, 1.0, 1.0, -1.99004745483398, 0.99007225036621],
    ]
)


@pytest.fixture(scope="module")
def speech() -> tuple[np.ndarray, int]:
    data, rate = load_speech()
    assert rate == 16000
    return data, rate


def sine(freq: float, rate: int, seconds: float = 3.0, amplitude: float = 1.0) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def reference_loudness(
    audio: np.ndarray, rate: int, sos: np.ndarray, weights: tuple[float, ...] = (1.0, 1.0, 1.0, 1.41, 1.41)
) -> float:
    """BS.1770-4 written out block by block in float64 (a loop over blocks, scipy's sosfilt)."""
    channels = np.atleast_2d(audio).astype(np.float64)
    filtered = sosfilt(sos, channels, axis=-1)
    size, hop = round(0.4 * rate), round(0.1 * rate)
    powers = []
    for start in range(0, channels.shape[1] - size + 1, hop):
        z = (filtered[:, start : start + size] ** 2).mean(axis=1)
        powers.append(sum(weights[i] * z[i] for i in range(len(z))))
    loudness = [-0.691 + 10 * math.log10(p) if p > 0 else -math.inf for p in powers]
    above = [p for p, lk in zip(powers, loudness, strict=True) if lk > -70.0]
    gate = -0.691 + 10 * math.log10(sum(above) / len(above)) - 10.0
    kept = [p for p, lk in zip(powers, loudness, strict=True) if lk > -70.0 and lk > gate]
    return -0.691 + 10 * math.log10(sum(kept) / len(kept))


# ---------------------------------------------------------------------------------------------
# Gain, fades, polarity


def test_gain_is_exact_in_db(speech: tuple[np.ndarray, int]) -> None:
    x, rate = speech
    for db in (-12.0, -3.5, 0.0, 6.0206, 11.9):
        y = FL.gain(x, db)
        assert y.dtype == np.float32 and not np.shares_memory(x, y)
        measured = 20 * math.log10(np.sqrt(np.mean(y.astype(np.float64) ** 2)) / np.sqrt(np.mean(x.astype(np.float64) ** 2)))
        assert measured == pytest.approx(db, abs=1e-5)
    out = Gain(p=1.0)(audio=x, sample_rate=rate, rng=3, record=True)
    db = out["applied"][0]["params"]["gain_db"]
    assert -12.0 <= db <= 12.0
    np.testing.assert_allclose(out["audio"], x.astype(np.float64) * 10 ** (db / 20), rtol=1e-6, atol=1e-9)


def test_gain_draws_cover_the_range() -> None:
    t = Gain(min_gain_db=-6.0, max_gain_db=2.0)
    draws = [t.sample_clip(np.random.default_rng(s), None)["gain_db"] for s in range(400)]  # type: ignore[arg-type]
    assert min(draws) >= -6.0 and max(draws) <= 2.0
    assert np.mean(draws) == pytest.approx(-2.0, abs=0.4) and np.std(draws) == pytest.approx(8 / math.sqrt(12), abs=0.3)
    assert Gain(min_gain_db=3.0, max_gain_db=3.0).sample_clip(np.random.default_rng(0), None)["gain_db"] == 3.0  # type: ignore[arg-type]


def test_gain_transition_matches_a_db_interpolation() -> None:
    x = np.full((2, 1000), 0.5, np.float32)
    for start, length in ((100, 300), (-200, 500), (900, 400), (-50, 1), (0, 1000), (-5000, 20000)):
        y = FL.gain_transition(x, -20.0, 6.0, start, length)
        end = start + length - 1
        db = (
            np.interp(np.arange(1000), [start, max(end, start)], [-20.0, 6.0])
            if length > 1
            else np.where(np.arange(1000) < start, -20.0, 6.0)
        )
        np.testing.assert_allclose(y, 0.5 * 10 ** (db / 20)[None].repeat(2, 0), rtol=2e-6)


def test_gain_transition_draws() -> None:
    rate, n = 16000, 32000
    clip = ClipInfo(np.zeros((1, n), np.float32), rate)
    for unit, lo, hi, scale in (("seconds", 0.2, 6.0, rate), ("samples", 10, 400, 1), ("fraction", 0.1, 0.5, n)):
        t = GainTransition(min_gain_db=-24.0, max_gain_db=6.0, min_duration=lo, max_duration=hi, duration_unit=unit)
        for seed in range(200):
            params = t.sample_clip(np.random.default_rng(seed), clip)
            assert lo * scale - 1 <= params["length"] <= hi * scale + 1
            assert 1 - params["length"] <= params["start"] <= n - 1  # the fade overlaps the clip
            assert -24.0 <= params["start_gain_db"] <= 6.0 and -24.0 <= params["end_gain_db"] <= 6.0


def test_polarity_inversion(speech: tuple[np.ndarray, int]) -> None:
    x, rate = speech
    y = PolarityInversion(p=1.0)(audio=x, sample_rate=rate)["audio"]
    np.testing.assert_array_equal(y, -x)
    np.testing.assert_array_equal(FL.polarity_inversion(y), x)


# ---------------------------------------------------------------------------------------------
# Peak normalization


def test_normalize_peak_is_exactly_one(speech: tuple[np.ndarray, int]) -> None:
    x, rate = speech
    stereo = np.stack([x * 0.3, -x * 0.7])
    for wave in (x, stereo, x * 4.0):
        y = Normalize(p=1.0)(audio=wave, sample_rate=rate)["audio"]
        assert np.abs(y).max() == 1.0
        np.testing.assert_allclose(y, wave / np.abs(wave).max(), rtol=1e-6)
    silent = np.zeros(100, np.float32)
    np.testing.assert_array_equal(Normalize(p=1.0)(audio=silent, sample_rate=rate)["audio"], silent)


def test_normalize_only_too_loud_sounds(speech: tuple[np.ndarray, int]) -> None:
    x, rate = speech
    t = Normalize(apply_to="only_too_loud_sounds", p=1.0)
    np.testing.assert_array_equal(t(audio=x, sample_rate=rate)["audio"], x)  # peaks below 1: untouched
    assert np.abs(t(audio=x * 5.0, sample_rate=rate)["audio"]).max() == 1.0


def test_normalize_pairs_get_the_main_clips_gain(speech: tuple[np.ndarray, int]) -> None:
    x, rate = speech
    pipe = ak.Compose([Normalize(p=1.0)], additional_targets={"clean": "audio"})
    out = pipe(audio=x, clean=x * 0.5, sample_rate=rate)
    np.testing.assert_allclose(out["clean"], 0.5 * x / np.abs(x).max(), rtol=1e-6)


# ---------------------------------------------------------------------------------------------
# BS.1770-4 loudness


def test_k_weighting_reproduces_the_published_48k_coefficients() -> None:
    np.testing.assert_allclose(FL.k_weighting_sos(48000), STANDARD_48K, atol=1e-12)


@pytest.mark.parametrize("rate", [16000, 44100, 48000])
def test_full_scale_997_hz_sine_reads_minus_3_01(rate: int) -> None:
    assert FL.integrated_loudness(sine(997, rate), rate) == pytest.approx(-3.01, abs=0.05)
    left_only = np.stack([sine(997, rate), np.zeros(3 * rate, np.float32)])
    assert FL.integrated_loudness(left_only, rate) == pytest.approx(-3.01, abs=0.05)
    both = np.stack([sine(997, rate), sine(997, rate)])
    assert FL.integrated_loudness(both, rate) == pytest.approx(-3.01 + 10 * math.log10(2), abs=0.05)
    surround = np.zeros((5, 3 * rate), np.float32)
    surround[3] = sine(997, rate)  # Ls weighs 1.41
    assert FL.integrated_loudness(surround, rate) == pytest.approx(-3.01 + 10 * math.log10(1.41), abs=0.05)


@pytest.mark.parametrize(("freq", "rate"), [(100, 16000), (100, 48000), (10000, 44100), (10000, 48000)])
def test_sine_offsets_follow_the_k_weighting_curve(freq: int, rate: int) -> None:
    _, response = sosfreqz(STANDARD_48K, [freq, 997], fs=48000)  # the published filter's response
    expected = 20 * math.log10(abs(response[0]) / abs(response[1]))
    measured = FL.integrated_loudness(sine(freq, rate), rate) - FL.integrated_loudness(sine(997, rate), rate)
    assert measured == pytest.approx(expected, abs=0.2)
    assert abs(expected) > 0.5  # the check has teeth: 100 Hz reads ~-1.8 dB, 10 kHz ~+3.4 dB


def test_loudness_matches_a_block_by_block_reference(speech: tuple[np.ndarray, int]) -> None:
    x, _ = speech
    from scipy.signal import resample_poly

    x48 = resample_poly(x, 3, 1).astype(np.float32)
    stereo = np.stack([x48, 0.5 * np.roll(x48, 480)])
    for wave in (x48, stereo):
        assert FL.integrated_loudness(wave, 48000) == pytest.approx(reference_loudness(wave, 48000, STANDARD_48K), abs=0.01)


def test_gates_drop_silence_and_quiet_blocks() -> None:
    rate = 16000
    sos = FL.k_weighting_sos(rate)
    loud = sine(997, rate, 2.0, 0.5)
    with_silence = np.concatenate([loud, np.zeros(2 * rate, np.float32)])
    with_quiet = np.concatenate([loud, sine(997, rate, 2.0, 0.5 * 10 ** (-30 / 20))])  # 30 LU below
    for wave in (with_silence, with_quiet):
        gated = FL.integrated_loudness(wave, rate)
        assert gated == pytest.approx(reference_loudness(wave, rate, sos), abs=0.01)
        ungated = -0.691 + 10 * math.log10(np.mean(10 ** ((FL.block_loudness(wave, rate) + 0.691) / 10)))
        assert gated > ungated + 2.0  # the quiet half's blocks were gated out
    assert FL.integrated_loudness(np.zeros(rate, np.float32), rate) == -math.inf


def test_short_clip_is_one_block() -> None:
    rate = 16000
    short = sine(997, rate, 0.25)
    assert FL.block_loudness(short, rate).shape == (1,)
    assert FL.integrated_loudness(short, rate) == pytest.approx(-3.01, abs=0.1)


@pytest.mark.parametrize("target", [-31.0, -23.0, -13.0])
def test_loudness_normalization_reaches_the_target(speech: tuple[np.ndarray, int], target: float) -> None:
    x, rate = speech
    stereo = np.stack([x, 0.3 * np.roll(x, 100)])
    for wave in (x, stereo, 0.01 * x):
        assert FL.integrated_loudness(FL.loudness_normalize(wave, rate, target), rate) == pytest.approx(target, abs=0.1)


def test_loudness_normalization_class(speech: tuple[np.ndarray, int]) -> None:
    x, rate = speech
    t = LoudnessNormalization(p=1.0)
    targets = []
    for seed in range(5):
        out = t(audio=x, sample_rate=rate, rng=seed, record=True)
        params = out["applied"][0]["params"]
        assert -31.0 <= params["lufs"] <= -13.0
        assert FL.integrated_loudness(out["audio"], rate) == pytest.approx(params["lufs"], abs=0.1)
        targets.append(params["lufs"])
    assert len(set(targets)) == 5
    silent = np.zeros(rate, np.float32)
    np.testing.assert_array_equal(t(audio=silent, sample_rate=rate, rng=0)["audio"], silent)


# ---------------------------------------------------------------------------------------------
# Limiter


@pytest.mark.parametrize("channels", [1, 2])
def test_limiter_output_never_exceeds_the_threshold(speech: tuple[np.ndarray, int], channels: int) -> None:
    x, rate = speech
    wave = np.stack([x, 0.8 * np.roll(x, 333)])[:channels]
    rng = np.random.default_rng(0)
    for _ in range(12):
        threshold = float(np.abs(wave).max() * 10 ** (rng.uniform(-24, -2) / 20))
        attack, release = rng.uniform(0.0, 0.03), rng.uniform(0.02, 0.7)
        y = FL.limiter(wave, rate, threshold, attack, release)
        assert y.shape == wave.shape and y.dtype == np.float32
        assert np.abs(y).max() <= threshold
        gain = y[np.abs(wave) > 1e-3] / wave[np.abs(wave) > 1e-3]
        assert gain.min() > 0.0 and gain.max() <= 1.0


def test_limiter_leaves_quiet_parts_untouched_and_looks_ahead() -> None:
    rate = 16000
    rng = np.random.default_rng(1)
    quiet = (0.05 * rng.standard_normal(3 * rate)).astype(np.float32)
    burst = (0.9 * np.sign(rng.standard_normal(rate // 4))).astype(np.float32)
    onset, end = rate, rate + rate // 4
    x = np.concatenate([quiet[:onset], burst, quiet[onset:]])
    attack, release = 0.004, 0.05
    y = FL.limiter(x, rate, 0.5, attack, release)
    assert np.abs(y).max() <= 0.5
    lead = int(2 * attack * rate)  # the gain starts falling within about one attack time of the onset
    np.testing.assert_array_equal(y[: onset - lead], x[: onset - lead])
    assert abs(y[onset - 1]) < abs(x[onset - 1])  # ...but before it: a look-ahead, not a reaction
    settled = end + int(25 * release * rate)
    np.testing.assert_array_equal(y[settled:], x[settled:])


def test_limiter_release_time_constant() -> None:
    rate, release = 16000, 0.1
    x = np.concatenate([np.full(rate // 2, 1.0), np.full(rate, 0.25)]).astype(np.float32)
    y = FL.limiter(x, rate, 0.5, 0.001, release)
    reduction = -20 * np.log10(y / x)  # dB
    start = rate // 2
    full = reduction[start - 100]
    assert full == pytest.approx(6.02, abs=0.01)  # 1.0 limited to 0.5
    after = reduction[start + int(release * rate)] / full
    assert after == pytest.approx(math.exp(-1.0), abs=0.05)


def test_limiter_links_channels_and_modes(speech: tuple[np.ndarray, int]) -> None:
    x, rate = speech
    stereo = np.stack([x, 0.5 * x])
    y = Limiter(min_threshold_db=-12.0, max_threshold_db=-12.0, p=1.0)(audio=stereo, sample_rate=rate, rng=0)["audio"]
    mask = np.abs(x) > 1e-3
    np.testing.assert_allclose(y[0][mask] / stereo[0][mask], y[1][mask] / stereo[1][mask], rtol=1e-5)
    assert np.abs(y).max() <= np.abs(stereo).max() * 10 ** (-12 / 20)
    absolute = Limiter(min_threshold_db=-20.0, max_threshold_db=-20.0, threshold_mode="absolute", p=1.0)
    assert np.abs(absolute(audio=x, sample_rate=rate, rng=0)["audio"]).max() <= 0.1
    silent = np.zeros(1000, np.float32)
    np.testing.assert_array_equal(Limiter(p=1.0)(audio=silent, sample_rate=rate, rng=0)["audio"], silent)


# ---------------------------------------------------------------------------------------------
# Arguments


@pytest.mark.parametrize(
    ("build", "pattern"),
    [
        (lambda: Gain(min_gain_db=6.0, max_gain_db=-6.0), r"^Gain: argument 'min_gain_db' expects a number <= max_gain_db"),
        (lambda: Gain(min_gain_db="loud"), r"^Gain: argument 'min_gain_db' expects a finite number"),
        (lambda: GainTransition(duration_unit="minutes"), r"^GainTransition: argument 'duration_unit' expects one of"),
        (lambda: GainTransition(min_duration=0.0), r"^GainTransition: argument 'min_duration' expects a number > 0"),
        (lambda: Normalize(apply_to="some"), r"^Normalize: argument 'apply_to' expects one of 'all', 'only_too_loud_sounds'"),
        (lambda: LoudnessNormalization(min_lufs=-10.0, max_lufs=-20.0), r"^LoudnessNormalization: argument 'min_lufs'"),
        (lambda: LoudnessNormalization(max_lufs=math.nan), r"^LoudnessNormalization: argument 'max_lufs' expects a finite"),
        (lambda: Limiter(min_release=0.0), r"^Limiter: argument 'min_release' expects a number > 0"),
        (lambda: Limiter(min_attack=-1.0), r"^Limiter: argument 'min_attack' expects a finite number in \[0.0, 10.0\]"),
        (lambda: Limiter(threshold_mode="peak"), r"^Limiter: argument 'threshold_mode' expects one of"),
        (lambda: PolarityInversion(p=2.0), r"^PolarityInversion: argument 'p' expects a probability"),
    ],
)
def test_bad_arguments_raise_clearly(build: object, pattern: str) -> None:
    with pytest.raises(ak.ArgumentError, match=pattern):
        build()  # type: ignore[operator]


def test_limiter_kernel_rejects_bad_values() -> None:
    with pytest.raises(ValueError, match="limiter: expects threshold > 0"):
        FL.limiter(np.ones(10, np.float32), 16000, 0.0, 0.01, 0.1)
