#!/usr/bin/env python3
"""Build augkit's bundled WordNet 3.0 synonym/antonym table from the raw WNDB database files.

The table read by :mod:`augkit.text.lexicon` is generated once by this script and committed to the repository
(``src/augkit/text/data/wordnet30.bin.xz``). It parses the Princeton WordNet database files directly, following
their documented format (``wndb(5WN)``): no NLTK, no network.

Usage (from the repository root)::

    # Debian/Ubuntu: the files come with the ``wordnet-base`` package (1:3.0-37); no install is needed:
    cd /tmp && apt-get download wordnet-base && dpkg-deb -x wordnet-base_*.deb /tmp/wn
    python scripts/build_wordnet_table.py --wordnet-dir /tmp/wn/usr/share/wordnet \\
        --output src/augkit/text/data/wordnet30.bin.xz

``--wordnet-dir`` defaults to ``/usr/share/wordnet`` (where ``apt-get install wordnet-base`` puts them) and
``--output`` to the bundled table's path. The output is deterministic: the same input files give the same bytes.

What is stored (all lemma strings lower-cased, ``_`` replaced by a space, adjective markers such as ``(p)``
removed, duplicates inside one synset dropped):

* every synset (117,659 in WordNet 3.0), grouped by part of speech in the order noun, verb, adjective (head and
  satellite synsets), adverb, each group in data-file order; a synset is its list of member lemmas;
* per member, its sense number: the rank of the synset in the ``index.<pos>`` list of that lemma (WordNet's
  sense order, most frequent first), so lemma -> synsets can be rebuilt in sense order at run time;
* every antonym pointer (``!``; all are lexical, word to word) as a pair of member indices;
* the morphological exception lists ``noun.exc``, ``verb.exc``, ``adj.exc`` and ``adv.exc`` verbatim.

File layout: an xz stream whose content is ``b"AKWN"``, a little-endian uint32 header length, a UTF-8 JSON
header (format version, WordNet version, counts, SHA-256 of every input file, section table) and the sections,
each starting at a multiple of 8 bytes of the content:

=================  =====  ===================================================================================
section            dtype  content
=================  =====  ===================================================================================
``lemmas``         utf-8  distinct lemma strings joined by ``\\n``; lemma id = position, ids given in order of
                          first appearance while walking the synsets member by member
``synset_size``    u1     number of members of each synset
``member_new``     bits   per member (``numpy.packbits``, big bit order): 1 when the member is the first
                          appearance of its lemma (its id is then the next unused id)
``member_repeat``  <u4    lemma ids of the members whose bit is 0, in member order
``member_sense``   u1     1-based sense number of each member within its lemma and part of speech
``antonyms``       <u4    (source member, target member) pairs of the antonym pointers, in data-file order
``exc_noun`` ...   utf-8  the exception files ``noun.exc``, ``verb.exc``, ``adj.exc``, ``adv.exc`` verbatim
=================  =====  ===================================================================================
"""

from __future__ import annotations

import argparse
import hashlib
import json
import lzma
import re
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = ["FORMAT_NAME", "FORMAT_VERSION", "MAGIC", "build_table", "main", "parse_wordnet"]

MAGIC = b"AKWN"
FORMAT_NAME = "augkit-wordnet-table"
FORMAT_VERSION = 1
POS_FILES = (("n", "noun"), ("v", "verb"), ("a", "adj"), ("r", "adv"))
EXC_FILES = ("noun", "verb", "adj", "adv")
INPUT_FILES = tuple(f"data.{name}" for _, name in POS_FILES) + tuple(f"index.{name}" for _, name in POS_FILES)
INPUT_FILES += tuple(f"{name}.exc" for name in EXC_FILES)
DEFAULT_WORDNET_DIR = "/usr/share/wordnet"
DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "src" / "augkit" / "text" / "data" / "wordnet30.bin.xz"
_ADJ_MARKER = re.compile(r"\((?:a|p|ip)\)$")
_VERSION = re.compile(r"WordNet (\d+(?:\.\d+)*) Copyright")


@dataclass
class ParsedWordNet:
    """The parsed database: synsets as lists of lemma strings plus the data needed for the table."""

    synset_pos: list[str] = field(default_factory=list)  # 'n', 'v', 'a', 's', 'r' per synset
    synsets: list[list[str]] = field(default_factory=list)  # member lemmas per synset
    senses: list[list[int]] = field(default_factory=list)  # sense number per member
    antonyms: list[tuple[int, int]] = field(default_factory=list)  # (source member, target member)
    version: str = "unknown"


def _normalise(word: str, pos: str) -> str:
    if pos == "a":
        word = _ADJ_MARKER.sub("", word)
    return word.lower().replace("_", " ")


def _is_header(line: str) -> bool:
    return line.startswith("  ")  # licence lines at the top of every data/index file: two spaces, line number


def _read_index(path: Path) -> dict[str, list[int]]:
    """``index.<pos>``: lemma -> synset offsets in sense order."""
    out: dict[str, list[int]] = {}
    with path.open(encoding="latin-1") as fh:
        for line in fh:
            if _is_header(line):
                continue
            f = line.split()
            synset_cnt, p_cnt = int(f[2]), int(f[3])
            offsets = [int(o) for o in f[6 + p_cnt : 6 + p_cnt + synset_cnt]]
            if len(offsets) != synset_cnt:
                raise ValueError(f"{path.name}: malformed line {line[:60]!r}")
            out[f[0].replace("_", " ")] = offsets
    return out


def parse_wordnet(wordnet_dir: Path) -> ParsedWordNet:
    """Parse the ``data.*`` and ``index.*`` files of a WordNet database directory."""
    parsed = ParsedWordNet()
    raw: list[tuple[str, int, list[str], list[tuple[int, int, str, int]]]] = []  # pos, offset, words, pointers
    for _, name in POS_FILES:
        with (wordnet_dir / f"data.{name}").open(encoding="latin-1") as fh:
            for line in fh:
                if _is_header(line):
                    if parsed.version == "unknown" and (m := _VERSION.search(line)):
                        parsed.version = m.group(1)
                    continue
                f = line.split(" | ", 1)[0].split()
                offset, ss_type, w_cnt = int(f[0]), f[2], int(f[3], 16)
                words = [f[4 + 2 * i] for i in range(w_cnt)]
                i = 4 + 2 * w_cnt
                ptrs = []
                for k in range(int(f[i])):
                    symbol, target, tpos, src_tgt = f[i + 1 + 4 * k : i + 5 + 4 * k]
                    if symbol == "!":
                        tpos = "a" if tpos == "s" else tpos
                        ptrs.append((int(src_tgt[:2], 16), int(target), tpos, int(src_tgt[2:], 16)))
                raw.append((ss_type, offset, words, ptrs))
    # Member numbering, with duplicates (after lower-casing) inside a synset merged.
    where: dict[tuple[str, int], int] = {}  # (pos, offset) -> synset index
    word_to_member: list[list[int]] = []
    n_members = 0
    for s, (ss_type, offset, words, _) in enumerate(raw):
        pos = "a" if ss_type == "s" else ss_type
        where[(pos, offset)] = s
        members: list[str] = []
        mapping = []
        for word in words:
            lemma = _normalise(word, pos)
            if lemma not in members:
                members.append(lemma)
            mapping.append(n_members + members.index(lemma))
        parsed.synset_pos.append(ss_type)
        parsed.synsets.append(members)
        word_to_member.append(mapping)
        n_members += len(members)
    # Sense numbers from the index files; data and index must describe the same word-sense pairs.
    pos_of = [("a" if t == "s" else t) for t in parsed.synset_pos]
    if pos_of != sorted(pos_of, key="nvar".index):
        raise ValueError("data files are not grouped by part of speech as expected")
    rank: dict[tuple[str, str, int], int] = {}
    for pos, name in POS_FILES:
        for lemma, offsets in _read_index(wordnet_dir / f"index.{name}").items():
            for sense, off in enumerate(offsets, start=1):
                rank[(pos, lemma, off)] = sense
    for s, members in enumerate(parsed.synsets):
        pos, off = pos_of[s], raw[s][1]
        row = []
        for lemma in members:
            if (pos, lemma, off) not in rank:
                raise ValueError(f"index.* lacks {lemma!r} in synset {off:08d} {pos}")
            row.append(rank[(pos, lemma, off)])
        parsed.senses.append(row)
    if n_members != len(rank):
        raise ValueError(f"the index files list {len(rank)} word senses but the data files have {n_members}")
    for s, (_, _, _, ptrs) in enumerate(raw):
        for src_word, target_offset, target_pos, dst_word in ptrs:
            if src_word == 0 or dst_word == 0:
                raise ValueError("semantic antonym pointer found; WordNet 3.0 has only lexical ones")
            target_synset = where[(target_pos, target_offset)]
            parsed.antonyms.append((word_to_member[s][src_word - 1], word_to_member[target_synset][dst_word - 1]))
    return parsed


def _counts(parsed: ParsedWordNet, wordnet_dir: Path) -> dict[str, object]:
    by_type = {t: parsed.synset_pos.count(t) for t in ("n", "v", "a", "s", "r")}
    lemmas = {w for members in parsed.synsets for w in members}
    pos_of = [("a" if t == "s" else t) for t in parsed.synset_pos]
    member_lemma = [w for members in parsed.synsets for w in members]
    member_pos = [p for p, members in zip(pos_of, parsed.synsets, strict=True) for _ in members]
    sense_pairs = {frozenset(pair) for pair in parsed.antonyms}
    lemma_pairs = {frozenset((member_lemma[a], member_lemma[b])) for a, b in parsed.antonyms}
    exc = {}
    for name in EXC_FILES:
        text = (wordnet_dir / f"{name}.exc").read_text(encoding="latin-1")
        exc[name] = sum(1 for line in text.splitlines() if line.strip())
    return {
        "synsets": len(parsed.synsets),
        "synsets_by_type": by_type,
        "lemmas": len(lemmas),
        "multiword_lemmas": sum(1 for w in lemmas if " " in w),
        "lemma_pos_entries": len(set(zip(member_lemma, member_pos, strict=True))),
        "senses": len(member_lemma),
        "antonym_pointers": len(parsed.antonyms),
        "antonym_sense_pairs": len(sense_pairs),
        "antonym_lemma_pairs": len(lemma_pairs),
        "exceptions": exc,
    }


def build_table(wordnet_dir: str | Path, output: str | Path) -> dict[str, object]:
    """Parse ``wordnet_dir`` and write the compressed table to ``output``; return the header."""
    wordnet_dir = Path(wordnet_dir)
    missing = [name for name in INPUT_FILES if not (wordnet_dir / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{wordnet_dir}: missing WordNet files {', '.join(missing)}")
    parsed = parse_wordnet(wordnet_dir)

    ids: dict[str, int] = {}
    new_bits: list[bool] = []
    repeats: list[int] = []
    for members in parsed.synsets:
        for lemma in members:
            if lemma in ids:
                new_bits.append(False)
                repeats.append(ids[lemma])
            else:
                ids[lemma] = len(ids)
                new_bits.append(True)
    if max(len(m) for m in parsed.synsets) > 255 or max(max(s) for s in parsed.senses) > 255:
        raise ValueError("a synset size or sense number does not fit in one byte")
    sections: list[tuple[str, str, bytes]] = [
        ("lemmas", "utf-8", "\n".join(ids).encode("utf-8")),
        ("synset_size", "u1", np.array([len(m) for m in parsed.synsets], dtype=np.uint8).tobytes()),
        ("member_new", "bits", np.packbits(np.array(new_bits, dtype=bool)).tobytes()),
        ("member_repeat", "<u4", np.array(repeats, dtype="<u4").tobytes()),
        ("member_sense", "u1", np.array([k for row in parsed.senses for k in row], dtype=np.uint8).tobytes()),
        ("antonyms", "<u4", np.array(parsed.antonyms, dtype="<u4").reshape(-1).tobytes()),
    ]
    for name in EXC_FILES:
        sections.append((f"exc_{name}", "utf-8", (wordnet_dir / f"{name}.exc").read_bytes()))

    table = []
    payload = bytearray()
    for name, dtype, blob in sections:
        table.append({"name": name, "dtype": dtype, "offset": len(payload), "length": len(blob)})
        payload += blob
        payload += b"\0" * (-len(payload) % 8)
    header: dict[str, object] = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "wordnet_version": parsed.version,
        "licence": "WordNet 3.0 licence (Princeton University); see WORDNET_LICENSE.txt",
        "lower_cased": True,
        "pos_order": ["n", "v", "a", "r"],
        "counts": _counts(parsed, wordnet_dir),
        "inputs_sha256": {name: hashlib.sha256((wordnet_dir / name).read_bytes()).hexdigest() for name in INPUT_FILES},
        "sections": table,
    }
    head = json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")
    head += b" " * (-(len(MAGIC) + 4 + len(head)) % 8)  # so that every section starts 8-byte aligned
    content = MAGIC + struct.pack("<I", len(head)) + head + bytes(payload)
    blob = lzma.compress(content, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC64, preset=9)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(blob)
    return header


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--wordnet-dir", default=DEFAULT_WORDNET_DIR, help="unpacked WordNet dict dir (default: %(default)s)")
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT), help="table to write (default: the bundled table)")
    args = parser.parse_args(argv)
    header = build_table(args.wordnet_dir, args.output)
    size = Path(args.output).stat().st_size
    print(f"wrote {args.output}: {size:,} bytes; counts {json.dumps(header['counts'], sort_keys=True)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
