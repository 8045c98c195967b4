"""Where parse tasks leave their rows for the bucket writers: the spool.

By default it is a folder inside the staging folder. When the tasks run on other machines (a Dask
cluster), it must be somewhere every worker can reach: `ogi load --spool LOCATION`, a path on
storage every worker mounts at the same place, or a URL that fsspec opens (`s3://bucket/spool`,
`gs://…`, `abfs://…`, `file:///shared/spool`; the filesystem's own package, such as s3fs, must be
installed where the loader and the workers run). Local paths are written and read with Arrow's
own files (memory-mapped to read, as before); URLs through fsspec.

A load spools under `LOCATION/<digest of the staging folder>/.spool-<snapshot id>` and removes it
when it ends; a load that was killed leaves its spool there, and the next load of the same staging
folder removes it (it holds the staging lock, so no other load uses that folder).
"""
from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pyarrow as pa


def is_url(location: str) -> bool:
    return "://" in location


def _filesystem(url: str):
    """(fsspec filesystem, path within it) for a URL; fsspec comes with the dask extra."""
    try:
        import fsspec
    except ImportError:
        raise RuntimeError(f"the spool {url} is a URL, which needs fsspec: pip install 'ogi-warehouse[dask]'") from None
    return fsspec.core.url_to_fs(url)


def join(location: str, name: str) -> str:
    return f"{location.rstrip('/')}/{name}" if is_url(location) else os.path.join(location, name)


def open_output(path: str):
    """A file to write an Arrow stream to (replaced into place with `replace`)."""
    if not is_url(path):
        return pa.OSFile(path, "wb")
    fs, inner = _filesystem(path)
    return fs.open(inner, "wb")


def open_input(path: str):
    if not is_url(path):
        return pa.memory_map(path)
    fs, inner = _filesystem(path)
    return fs.open(inner, "rb")


def replace(partial: str, final: str) -> None:
    """Put a completely written file in place: a rename (atomic on a local or POSIX shared
    filesystem; a copy then a delete on object storage, where a written object appears whole)."""
    if not is_url(partial):
        os.replace(partial, final)
        return
    fs, inner = _filesystem(partial)
    fs.mv(inner, _filesystem(final)[1])


def _remove(location: str) -> None:
    if not is_url(location):
        shutil.rmtree(location, ignore_errors=True)
        return
    fs, inner = _filesystem(location)
    try:
        fs.rm(inner, recursive=True)
    except FileNotFoundError:
        pass


@contextmanager
def scratch(root: str, staging_dir: str, name: str) -> Iterator[str]:
    """The spool folder of one load of `staging_dir` under `root`; what an earlier, killed load
    of the same staging folder left there is removed first. Call with the staging lock held."""
    owner = join(root, hashlib.sha256(os.path.realpath(staging_dir).encode()).hexdigest()[:16])
    _remove(owner)
    folder = join(owner, name)
    if is_url(folder):
        fs, inner = _filesystem(folder)
        fs.makedirs(inner, exist_ok=True)
    else:
        os.makedirs(folder)
    try:
        yield folder
    finally:
        _remove(owner)
