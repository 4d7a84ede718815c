"""Arrays the app derives from a run's tables once, kept in mapped files of that run.

The pages count a selection over integer codes built from the whole corpus (which entity
each mention names, the pairs of entities of each sentence, the country rows of the map).
Built in the app, they cost each server process 100-270 MB for a moment and 170 MB for
good at 100,000 articles (issue 25). Written once into the run's folder
(``derived.<name>.<version>.arrow``) and memory-mapped, their pages are file cache the
system shares and drops, not the process's own memory, and a later process builds nothing.

A file holds named one-dimensional numpy arrays (and Arrow arrays of strings) and a small
JSON layout (what the analysis side rebuilds from them, see ``analysis/derived_layout.py``),
in one Arrow record batch of one row: each array is a list column whose values are the
array's bytes (strings: its strings), so reading one back is a view of the map, not a copy
(an object array of strings is copied out into Python strings). ``version`` names the
code that built it: a file of other code is never read.

Files are found and made as the other mapped files are (``mapped.open_or_make``): beside
the run's tables, else in this user's own temporary folder, else the arrays stay in
memory as before.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa

from .mapped import open_or_make

PREFIX = "derived."
LAYOUT_KEY = b"dashboard_layout"
_DTYPE_KEY = b"dtype"
_STRINGS = "strings"  # an object array of str and None
_ARROW_STRINGS = "arrow-strings"  # an Arrow array of strings, read back as one


def file_name(name: str, version: str) -> str:
    return f"{PREFIX}{name}.{version}.arrow"


def _column(values) -> tuple[pa.Array, str]:
    """One array as a list column of one row, and how to read it back."""
    if isinstance(values, pa.Array | pa.ChunkedArray):  # Arrow strings: kept as they are
        if not pa.types.is_string(values.type) and not pa.types.is_large_string(values.type):
            raise TypeError(f"Arrow arrays of {values.type} are not kept")
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        flat = values.cast(pa.large_string())
        offsets = pa.array([0, len(flat)], type=pa.int64())
        return pa.LargeListArray.from_arrays(offsets, flat), _ARROW_STRINGS
    values = np.asarray(values)
    if values.ndim != 1:
        raise TypeError("only one-dimensional arrays are kept")
    if values.dtype == object:
        if not all(v is None or isinstance(v, str) for v in values.tolist()):
            raise TypeError("an object array is kept only when it holds strings")
        flat, kind = pa.array(values, type=pa.large_string(), from_pandas=False), _STRINGS
    else:
        raw = np.ascontiguousarray(values).view(np.uint8)
        flat, kind = pa.array(raw, type=pa.uint8()), values.dtype.str
    offsets = pa.array([0, len(flat)], type=pa.int64())
    return pa.LargeListArray.from_arrays(offsets, flat), kind


def _array(column: pa.ChunkedArray, kind: str) -> np.ndarray | pa.Array:
    """The array of one list column, a view of the mapped buffer (an object array of
    strings: copied out; Arrow strings: the mapped Arrow array)."""
    chunk = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
    flat = chunk.values
    if kind == _ARROW_STRINGS:
        return flat
    if kind == _STRINGS:
        return flat.to_numpy(zero_copy_only=False).astype(object)
    data = np.frombuffer(flat.buffers()[1], dtype=np.uint8, count=len(flat), offset=flat.offset)
    return data.view(np.dtype(kind))


def batch_of(arrays: dict[str, np.ndarray | pa.Array], layout: dict) -> pa.RecordBatch:
    """``arrays`` as the one-row record batch a derived file holds, ``layout`` in its
    schema. TypeError when an array cannot be kept (more dimensions, objects not strings)."""
    columns, fields = [], []
    for key, values in arrays.items():
        column, kind = _column(values)
        columns.append(column)
        fields.append(pa.field(key, column.type, metadata={_DTYPE_KEY: kind.encode()}))
    schema = pa.schema(fields, metadata={LAYOUT_KEY: json.dumps(layout).encode()})
    return pa.record_batch(columns, schema=schema)


def read_batch(table: pa.Table) -> tuple[dict[str, np.ndarray], dict]:
    """The arrays and the layout of a derived file's table."""
    arrays = {
        field.name: _array(table.column(field.name), field.metadata[_DTYPE_KEY].decode())
        for field in table.schema
    }
    return arrays, json.loads(table.schema.metadata[LAYOUT_KEY])


def open_arrays(
    run_dir: Path,
    run_id: str,
    name: str,
    version: str,
    make: Callable[[], pa.RecordBatch],
) -> tuple[dict[str, np.ndarray], dict]:
    """The arrays and layout of the derived file ``name`` of the run in ``run_dir`` and of
    code ``version``, made with ``make()`` (one batch, see ``batch_of``) when missing.
    ``make`` runs at most once, even when the first place to write it fails."""
    made: list[pa.RecordBatch] = []

    def batches() -> list[pa.RecordBatch]:
        if not made:
            made.append(make())
        return made

    table = open_or_make(run_dir, run_id, file_name(name, version), batches, schema=None)
    _drop_other_versions(Path(run_dir), name, version)
    return read_batch(table)


def _drop_other_versions(run_dir: Path, name: str, version: str) -> None:
    """A run's files of code that is no longer running: never read again, so removed
    (where the folder can be written)."""
    keep = file_name(name, version)
    for path in run_dir.glob(f"{PREFIX}{name}.*.arrow"):
        other = path.name[len(PREFIX) + len(name) + 1 : -len(".arrow")]
        if path.name != keep and "." not in other:  # not the file of a longer name
            # A folder this process may not write: the file stays, unread.
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
