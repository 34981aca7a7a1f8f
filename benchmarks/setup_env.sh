#!/usr/bin/env bash
# Create the SEPARATE virtualenv that the peer benchmarks run in.
#
#   bash benchmarks/setup_env.sh
#
# Environment variables:
#   AUGKIT_BENCH_VENV    where to create the venv   (default: benchmarks/.venv)
#   AUGKIT_BENCH_PYTHON  interpreter to build it with (default: python3.11, else python3)
#
# The peers (Albumentations 2.0.8, torch/torchvision, Kornia, timm) are benchmark-only
# tools: they are never dependencies of augkit itself.
set -euo pipefail

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
echo "done: run  $vpy $here/run_image.py,  $vpy $here/run_overhead.py  and  $vpy $here/run_mix.py"
