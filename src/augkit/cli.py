"""The ``augkit`` command line: ``--version``, ``list`` and ``demo``.

>>> main(["--version"])  # doctest: +ELLIPSIS
augkit ...
0
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import augkit as ak
from augkit.core.errors import AugkitError
from augkit.core.transform import Transform

__all__ = ["main"]


def _summary(cls: type) -> str:
    doc = (cls.__doc__ or "").strip().splitlines()
    return doc[0] if doc else ""


def _cmd_list(args: argparse.Namespace) -> int:
    classes = ak.registered_classes()
    width = max(len(cls.registry_name) for cls in classes)
    for cls in classes:
        print(f"{cls.registry_name:<{width}}  {_kind(cls):<11}  {_summary(cls)}")
    return 0


def _kind(cls: type) -> str:
    """``container``, ``spatial``/``pixel`` for images, else the target kind (audio, spectrogram, text, series)."""
    if not issubclass(cls, Transform):
        return "container"
    if cls.modality == "image":
        return "spatial" if cls.spatial else "pixel"
    return "/".join(sorted(cls.targets))


def _cmd_demo(args: argparse.Namespace) -> int:
    from augkit.demo import run_demo

    pipeline = ak.load(args.pipeline) if args.pipeline else None
    gallery = run_demo(args.output, copies=args.copies, seed=args.seed, pipeline=pipeline, progress=print)
    print(f"wrote {args.output}/: images/, manifest.jsonl, pipeline.yaml; open {gallery}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="augkit", description="Reproducible data augmentation.")
    parser.add_argument("--version", action="version", version=f"augkit {ak.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    listing = commands.add_parser("list", help="print the transform catalog, one line each")
    listing.set_defaults(func=_cmd_list)
    demo = commands.add_parser("demo", help="augment the bundled sample photos into a folder with a gallery")
    demo.add_argument("--output", default="augkit-demo", help="output folder (default: ./augkit-demo)")
    demo.add_argument("--copies", type=int, default=4, help="augmented copies per photo (default: 4)")
    demo.add_argument("--seed", type=int, default=0, help="seed of the run (default: 0)")
    demo.add_argument("--pipeline", help="a YAML or JSON pipeline file to use instead of the demo pipeline")
    demo.set_defaults(func=_cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except AugkitError as error:
        print(f"augkit: error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
