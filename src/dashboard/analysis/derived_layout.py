"""A derived value (``filters.derived``) as flat arrays and a layout, and back.

The per-corpus structures the pages count on (``MentionIndex``, ``PairIndex``, the map's
country rows ...) are dataclasses, tuples, frames, series and indexes of numpy arrays.
``encode`` takes one apart into named one-dimensional arrays and a JSON layout; ``decode``
puts it together again from the arrays a run's derived file maps (``tables/derived_files``),
without copying them: numeric columns, codes and positions stay views of the map.

What cannot be taken apart this way (a dict, an object array of anything but strings or
dates, an extension array other than a category or strings, a class outside the analysis
code) raises TypeError; such a value is not kept in a file and is built in each process, as
before.

``register_run`` ties a corpus's frames to its run folder: only a value built from frames of
one run is kept, in that run's folder. ``code_version()`` names the code that builds the
values: when that code changes, the files of the older code are not read.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import weakref
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

_RUNS: dict[int, tuple[weakref.ref, Path, str]] = {}
_TRUSTED_MODULES = "dashboard.analysis."
_NAN = ".nan"  # beside an object array's key: where its NaNs go back


def register_run(frames, run_dir: Path, run_id: str) -> None:
    """``frames`` (a loaded corpus's) come from the run ``run_id`` in ``run_dir``."""
    # A snapshot of the items (one C call): sessions are threads, two may load at once.
    for dead in [k for k, (ref, *_) in list(_RUNS.items()) if ref() is None]:
        _RUNS.pop(dead, None)
    for frame in frames:
        _RUNS[id(frame)] = (weakref.ref(frame), Path(run_dir), run_id)


def run_of(frames) -> tuple[Path, str] | None:
    """The run all of ``frames`` come from; None when any is not a loaded corpus's."""
    runs = set()
    for frame in frames:
        hit = _RUNS.get(id(frame))
        if hit is None or hit[0]() is not frame:
            return None
        runs.add(hit[1:])
    return runs.pop() if len(runs) == 1 else None


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the analysis code, the helpers it uses and the code that reads the
    tables (a derived value depends on nothing else but the run's tables)."""
    digest = hashlib.blake2b(digest_size=8)
    package = Path(__file__).resolve().parent
    for folder in (package, package.parent / "common", package.parent / "tables"):
        for path in sorted(folder.glob("*.py")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    digest.update(f"{np.__version__} {pd.__version__}".encode())
    return digest.hexdigest()


class _Encoder:
    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}

    def array(self, values) -> str:
        key = f"a{len(self.arrays)}"
        values = np.asarray(values)
        if values.dtype == object:
            # Strings with NaN for a missing one (what pandas gives): the file keeps strings
            # and nulls, so where the NaNs were is kept beside them.
            missing = pd.isna(values)
            if missing.any():
                gaps = values[missing].tolist()
                if not all(v is None or isinstance(v, float) for v in gaps):
                    raise TypeError("an object array is kept with None or NaN for a gap only")
                is_nan = np.array([v is not None for v in gaps], dtype=bool)
                values = np.where(missing, None, values)
                self.arrays[key + _NAN] = np.flatnonzero(missing)[is_nan]
        self.arrays[key] = values
        return key

    def ndarray(self, values: np.ndarray) -> dict:
        """A numpy array; an object array of ``date`` (and None) as days, not objects."""
        if values.dtype == object and len(values):
            items = values.tolist()
            if any(isinstance(v, date) for v in items) and all(
                v is None or (isinstance(v, date) and not isinstance(v, datetime)) for v in items
            ):
                return {"t": "dates", "k": self.array(np.array(items, dtype="datetime64[D]"))}
        return {"t": "array", "k": self.array(values)}

    def values(self, container: pd.Series | pd.Index) -> dict:
        """A series', column's or index's values: numpy, a category, or strings."""
        dtype = container.dtype
        if isinstance(dtype, pd.CategoricalDtype):
            values = container.array
            return {
                "t": "categorical",
                "codes": self.array(values.codes),
                "categories": self.index(values.categories),
                "ordered": bool(values.ordered),
            }
        if isinstance(dtype, np.dtype):
            return self.ndarray(container.to_numpy())
        if isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow":
            # The Arrow strings themselves: read back as a view of the map, no string made.
            key = f"a{len(self.arrays)}"
            self.arrays[key] = container.array.__arrow_array__()
            return {"t": "arrow_strings", "k": key, "dtype": str(dtype)}
        if isinstance(dtype, pd.StringDtype):
            strings = container.to_numpy(dtype=object, na_value=None)
            return {"t": "strings", "k": self.array(strings), "dtype": str(dtype)}
        raise TypeError(f"values of type {dtype} are not kept")

    def index(self, index: pd.Index) -> dict:
        if isinstance(index, pd.RangeIndex):
            return {
                "t": "range",
                "start": index.start,
                "stop": index.stop,
                "step": index.step,
                "name": index.name,
            }
        if isinstance(index, pd.MultiIndex) or not isinstance(index.name, str | None):
            raise TypeError("only flat indexes with a plain name are kept")
        return {"t": "index", "values": self.values(index), "name": index.name}

    def value(self, value) -> dict:
        if value is None or isinstance(value, bool | int | float | str):
            return {"t": "scalar", "v": value}
        if isinstance(value, np.ndarray):
            return self.ndarray(value)
        if isinstance(value, pd.Index):
            return self.index(value)
        if isinstance(value, pd.Series):
            if not isinstance(value.name, str | None):
                raise TypeError("only series with a plain name are kept")
            return {
                "t": "series",
                "values": self.values(value),
                "index": self.index(value.index),
                "name": value.name,
            }
        if isinstance(value, pd.DataFrame):
            if not all(isinstance(c, str) for c in value.columns) or not value.columns.is_unique:
                raise TypeError("only frames with unique string column names are kept")
            return {
                "t": "frame",
                "columns": [[c, self.values(value[c])] for c in value.columns],
                "index": self.index(value.index),
            }
        if isinstance(value, tuple):
            return {"t": "tuple", "items": [self.value(v) for v in value]}
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            cls = type(value)
            if not cls.__module__.startswith(_TRUSTED_MODULES):
                raise TypeError(f"{cls.__qualname__} is not kept")
            return {
                "t": "dataclass",
                "cls": f"{cls.__module__}:{cls.__qualname__}",
                "fields": {
                    f.name: self.value(getattr(value, f.name)) for f in dataclasses.fields(value)
                },
            }
        raise TypeError(f"{type(value).__name__} is not kept")


def encode(value) -> tuple[dict[str, np.ndarray], dict]:
    """``value`` as named arrays and a layout; TypeError when it cannot be kept."""
    encoder = _Encoder()
    layout = encoder.value(value)
    return encoder.arrays, layout


def _array(arrays: dict[str, np.ndarray], key: str) -> np.ndarray:
    values = arrays[key]
    nans = arrays.get(key + _NAN)
    if nans is not None and len(nans):
        values[nans] = np.nan  # an object array is read out as a copy of its own
    return values


def _values(layout: dict, arrays: dict[str, np.ndarray]):
    kind = layout["t"]
    if kind == "categorical":
        # The categories were unique when kept: the public constructor checks it again
        # through an object copy of them that their index then keeps (the mentions' million
        # article ids: 67 MB of the process's own memory at a million articles).
        dtype = pd.CategoricalDtype._from_fastpath(
            decode(arrays, layout["categories"]), layout["ordered"]
        )
        return pd.Categorical.from_codes(
            _array(arrays, layout["codes"]), dtype=dtype, validate=False
        )
    if kind == "strings":
        return pd.array(_array(arrays, layout["k"]), dtype=layout["dtype"])
    if kind == "arrow_strings":
        dtype = pd.api.types.pandas_dtype(layout["dtype"])
        return pd.arrays.ArrowStringArray(arrays[layout["k"]], dtype=dtype)
    if kind == "dates":
        return arrays[layout["k"]].astype(object)  # date objects, None where NaT
    return _array(arrays, layout["k"])


def _dtype(values):
    """The dtype to give a numpy array back explicitly: pandas would read an object array
    of strings as its string dtype, which is not what was kept."""
    return values.dtype if isinstance(values, np.ndarray) else None


def _series(layout: dict, arrays: dict[str, np.ndarray], index: pd.Index, name) -> pd.Series:
    values = _values(layout, arrays)
    return pd.Series(values, index=index, name=name, dtype=_dtype(values), copy=False)


def _class(path: str) -> type:
    module, _, name = path.partition(":")
    if not module.startswith(_TRUSTED_MODULES):
        raise TypeError(f"{path} is not a class of the analysis code")
    cls = importlib.import_module(module)
    for part in name.split("."):
        cls = getattr(cls, part)
    return cls


def decode(arrays: dict[str, np.ndarray], layout: dict):
    """The value ``encode`` took apart, over ``arrays`` (views of them where it can)."""
    kind = layout["t"]
    if kind == "scalar":
        return layout["v"]
    if kind in ("array", "dates"):
        return _values(layout, arrays)
    if kind == "range":
        return pd.RangeIndex(layout["start"], layout["stop"], layout["step"], name=layout["name"])
    if kind == "index":
        values = _values(layout["values"], arrays)
        return pd.Index(values, dtype=_dtype(values), name=layout["name"], copy=False)
    if kind == "series":
        index = decode(arrays, layout["index"])
        return _series(layout["values"], arrays, index, layout["name"])
    if kind == "frame":
        index = decode(arrays, layout["index"])
        columns = {name: _series(values, arrays, index, name) for name, values in layout["columns"]}
        # One constructor, no copies (as corpus.py builds its mapped frames).
        return pd.DataFrame(columns, index=index, copy=False)
    if kind == "tuple":
        return tuple(decode(arrays, item) for item in layout["items"])
    if kind == "dataclass":
        fields = {name: decode(arrays, item) for name, item in layout["fields"].items()}
        return _class(layout["cls"])(**fields)
    raise TypeError(f"unknown layout {kind!r}")
