"""Raw Kaggle files as delivered: find them, check their header, hash and unzip them once.

Spark cannot read inside a zip, so a zipped file is extracted (streamed) into a
cache folder under the lake; the sha256 of the delivered bytes is cached too,
keyed by path, size and modification time, so walking 17 months hashes once.

Not supported: raw files or a lake on remote storage (dbfs:, s3:); the cache and
the raw files are handled with local file operations.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from santander_lake.errors import InputError

logger = logging.getLogger(__name__)

CHUNK_BYTES = 4 * 2**20


@dataclass(frozen=True)
class RawFile:
    """One delivered file: where it came from, where Spark reads it, and its checksum."""

    source: Path
    csv_path: Path
    sha256: str


def cache_dir(lake_root: str) -> Path:
    """The lake's folder for extracted files, checksums and parsed staging copies."""
    return Path(lake_root) / "_cache"


def locate(raw_dir: str | Path, file_name: str) -> Path:
    """The delivered `file_name` in `raw_dir`, plain or zipped (`<name>.zip`)."""
    folder = Path(raw_dir)
    for candidate in (folder / file_name, folder / f"{file_name}.zip"):
        if candidate.is_file():
            return candidate
    raise InputError(f"{folder / file_name}: not found (nor {file_name}.zip) in {folder}")


def open_raw_file(lake_root: str, source: Path, columns: tuple[str, ...]) -> RawFile:
    """Check the header of `source`, then hash it and extract it if zipped.

    Raises `InputError` naming the file for an empty file or a wrong header,
    before anything is written. Reuses the cached checksum and extraction.
    """
    check_header(source, columns)

    sha256 = cached_sha256(lake_root, source)

    csv_path = source
    if source.suffix == ".zip":
        csv_path = _extracted(lake_root, source, sha256)
    return RawFile(source=source, csv_path=csv_path, sha256=sha256)


def check_header(source: Path, columns: tuple[str, ...]) -> None:
    """Raise `InputError` unless the first line of `source` names exactly `columns`.

    Names may be quoted (as Kaggle writes them) or plain.
    """
    with _open_text_member(source) as stream:
        first = stream.readline()
    if not first.strip():
        raise InputError(
            f"{source}: the file is empty; expected a header of {len(columns)} columns"
        )

    names = [
        name.strip().strip('"') for name in first.decode("utf-8-sig").rstrip("\r\n").split(",")
    ]
    if tuple(names) != columns:
        raise InputError(f"{source}: unexpected header: {_header_difference(names, columns)}")


def cached_sha256(lake_root: str, source: Path) -> str:
    """The sha256 of the bytes of `source`, remembered while its size and mtime stay."""
    registry_path = cache_dir(lake_root) / "checksums.json"
    registry = json.loads(registry_path.read_text()) if registry_path.is_file() else {}
    stat = source.stat()
    key = str(source.resolve())
    known = registry.get(key, {})
    if known.get("size") == stat.st_size and known.get("mtime_ns") == stat.st_mtime_ns:
        return known["sha256"]

    started = time.perf_counter()
    digest = hashlib.sha256()
    with source.open("rb") as stream:
        while chunk := stream.read(CHUNK_BYTES):
            digest.update(chunk)
    logger.info(
        "Hashed %s (%.1f MiB) in %.1f s",
        source,
        stat.st_size / 2**20,
        time.perf_counter() - started,
    )

    registry[key] = {
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "sha256": digest.hexdigest(),
    }
    _write_atomically(registry_path, json.dumps(registry, indent=1))
    return digest.hexdigest()


def _header_difference(names: list[str], columns: tuple[str, ...]) -> str:
    missing = [c for c in columns if c not in names]
    extra = [n for n in names if n not in columns]
    if missing or extra:
        return f"missing columns {missing}, unexpected columns {extra}"
    if len(names) != len(columns):
        return f"{len(names)} columns instead of {len(columns)} (repeated names)"
    position = next(i for i, (n, c) in enumerate(zip(names, columns, strict=True)) if n != c)
    return (
        f"column {position + 1} is {names[position]!r} where {columns[position]!r} "
        "is expected (columns out of order)"
    )


@contextmanager
def _open_text_member(source: Path) -> Iterator[IO[bytes]]:
    """A binary stream of the csv itself: the file, or the one csv inside a zip."""
    if source.suffix != ".zip":
        with source.open("rb") as stream:
            yield stream
        return
    with zipfile.ZipFile(source) as archive, archive.open(_csv_member(archive, source)) as stream:
        yield stream


def _csv_member(archive: zipfile.ZipFile, source: Path) -> zipfile.ZipInfo:
    members = [m for m in archive.infolist() if m.filename.endswith(".csv")]
    if len(members) != 1:
        names = [m.filename for m in archive.infolist()]
        raise InputError(f"{source}: expected exactly one .csv inside the zip, found {names}")
    return members[0]


def _extracted(lake_root: str, source: Path, sha256: str) -> Path:
    """Stream the csv out of the zip into the cache, once per checksum."""
    with zipfile.ZipFile(source) as archive:
        member = _csv_member(archive, source)
        target = cache_dir(lake_root) / "raw" / sha256[:16] / Path(member.filename).name
        if target.is_file() and target.stat().st_size == member.file_size:
            return target

        started = time.perf_counter()
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        with archive.open(member) as stream, partial.open("wb") as out:
            shutil.copyfileobj(stream, out, CHUNK_BYTES)
        os.replace(partial, target)

    logger.info(
        "Extracted %s from %s (%.1f MiB) in %.1f s",
        target.name,
        source,
        member.file_size / 2**20,
        time.perf_counter() - started,
    )
    return target


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
