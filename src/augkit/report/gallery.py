"""An HTML gallery: each original beside its augmented copies, boxes drawn as SVG over the images.

The page is static (no scripts, no network) and references the image files by relative path, so
the folder can be zipped and opened anywhere.

>>> item = GalleryItem("cat", "images/cat.jpg", 375, 500, [[10, 10, 50, 40]], ["eye"], [])
>>> item.title
'cat'
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["GalleryItem", "write_gallery"]

_PALETTE = ("#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#9a6324")


@dataclass
class GalleryItem:
    """One picture: a relative image path, its size, pascal_voc boxes with labels, and a caption."""

    title: str
    src: str
    height: int
    width: int
    bboxes: Sequence[Sequence[float]]
    labels: Sequence[str]
    applied: list[dict[str, object]] = field(default_factory=list)


def _colour(label: str, labels: list[str]) -> str:
    return _PALETTE[labels.index(label) % len(_PALETTE)]


def _figure(item: GalleryItem, all_labels: list[str]) -> str:
    rects = []
    for box, label in zip(item.bboxes, item.labels, strict=True):
        x1, y1, x2, y2 = (float(v) for v in box[:4])
        colour = _colour(str(label), all_labels)
        rects.append(
            f'<rect x="{x1:.1f}" y="{y1:.1f}" width="{x2 - x1:.1f}" height="{y2 - y1:.1f}" '
            f'fill="none" stroke="{colour}" stroke-width="2"><title>{html.escape(str(label))}</title></rect>'
            f'<text x="{x1 + 2:.1f}" y="{max(y1 - 3, 10):.1f}" fill="{colour}" font-size="12">'
            f"{html.escape(str(label))}</text>"
        )
    applied = [entry["name"] for entry in item.applied if entry.get("applied")]
    caption = html.escape(item.title) + (f"<br><small>{html.escape(', '.join(map(str, applied)))}</small>" if applied else "")
    details = ""
    if item.applied:
        record = html.escape(json.dumps(item.applied, indent=1))
        details = f"<details><summary>record</summary><pre>{record}</pre></details>"
    return (
        f'<figure><svg viewBox="0 0 {item.width} {item.height}" width="{item.width}" height="{item.height}" '
        f'role="img" aria-label="{html.escape(item.title)}">'
        f'<image href="{html.escape(item.src)}" width="{item.width}" height="{item.height}"/>'
        f"{''.join(rects)}</svg><figcaption>{caption}</figcaption>{details}</figure>"
    )


_STYLE = """
body{font-family:system-ui,sans-serif;margin:1.5em;background:#fafafa;color:#222}
section{margin-bottom:2em} .row{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}
figure{margin:0;background:#fff;border:1px solid #ddd;padding:6px}
figure.original{border-color:#555} svg{max-width:320px;height:auto;display:block}
figcaption{font-size:13px;max-width:320px} pre{font-size:11px;max-width:320px;overflow:auto}
"""


def write_gallery(path: str | Path, rows: Sequence[tuple[GalleryItem, Sequence[GalleryItem]]], title: str) -> Path:
    """Write an HTML page with one row per original: the original first, then its copies."""
    target = Path(path)
    labels = sorted({str(label) for original, copies in rows for item in (original, *copies) for label in item.labels})
    sections = []
    for original, copies in rows:
        figures = [_figure(original, labels).replace("<figure>", '<figure class="original">', 1)]
        figures += [_figure(copy, labels) for copy in copies]
        sections.append(f"<section><h2>{html.escape(original.title)}</h2><div class='row'>{''.join(figures)}</div></section>")
    page = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1><p>Originals (dark frame) beside augmented copies; boxes as the "
        "pipeline output them.</p>" + "".join(sections) + "</body></html>\n"
    )
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(page, encoding="utf-8")
    temporary.replace(target)
    return target
