"""Time three dashboard queries over one processed corpus in several query layers.

For the same random filters (a date range; half of them also 1-3 outlets): a) the top 20
entities by mentions, with distinct articles per entity; b) mentions per (entity, outlet)
of those 20; c) the top 100 terms by summed count. Every layer's answers are asserted
equal to those of pandas on string columns. Each layer runs in a fresh process; held MB =
RSS after setup, peak MB = highest RSS, both above that process's RSS after its imports.
  python scripts/compare_query_layers.py [PROCESSED_DIR] [--filters 20] [--seed 7]
"""

import argparse
import datetime as dt
import importlib.util
import multiprocessing as mp
import time
from concurrent.futures import ProcessPoolExecutor
from functools import partialmethod
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "data/synthetic/n100000-s7/processed"
COLS = {
    "articles": ["article_id", "source", "published"],
    "mentions": ["article_id", "entity_id", "type"],
    "terms": ["article_id", "term", "count"],
}
# "<package>-<variant>"; a layer whose package is not installed is skipped
LAYERS = ["pandas-str", "pandas-cat", "numpy-codes", "duckdb-parquet", "duckdb-arrow"]
LAYERS += ["duckdb-table", "polars-lazy", "polars-eager"]


def read(d, name):
    return pq.read_table(d / f"{name}.parquet", columns=COLS[name])


def top(pairs, n):  # [(key, value, ...)] -> the n largest values, ties by key
    return sorted(pairs, key=lambda r: (-r[1], r[0]))[:n]


def norm(rows):  # numpy/pandas scalars -> plain Python, for comparison
    return [tuple(v if isinstance(v, str) else int(v) for v in r) for r in rows]


class PandasLayer:
    def __init__(self, d, variant):
        a, m, t = (read(d, n).to_pandas() for n in COLS)
        if variant == "cat":
            for df, col in ((a, "source"), (m, "entity_id"), (m, "type"), (t, "term")):
                df[col] = df[col].astype("category")
        self.a, self.m, self.t = a, m, t

    def sel(self, f):
        keep = (self.a["published"] >= f[0]) & (self.a["published"] <= f[1])
        if f[2]:
            keep &= self.a["source"].isin(f[2])
        return self.a[keep]

    def q_a(self, f):
        m = self.m[self.m["article_id"].isin(self.sel(f)["article_id"])]
        g = m.groupby("entity_id", observed=True)["article_id"].agg(["size", "nunique"])
        return top(norm(g.itertuples()), 20)

    def q_b(self, f, ents):
        m = self.m[self.m["entity_id"].isin(ents)][["article_id", "entity_id"]]
        m = m.merge(self.sel(f)[["article_id", "source"]], on="article_id")
        g = m.groupby(["entity_id", "source"], observed=True).size()
        return sorted(norm((e, s, n) for (e, s), n in g.items()))

    def q_c(self, f):
        t = self.t[self.t["article_id"].isin(self.sel(f)["article_id"])]
        return top(norm(t.groupby("term", observed=True)["count"].sum().items()), 100)


class NumpyLayer:
    def __init__(self, d, variant):
        a, m, t = (read(d, n) for n in COLS)
        self.day = a["published"].cast("int32").to_numpy()  # days since 1970-01-01
        self.src_names, self.src = self.codes(a["source"])
        self.ent_names, self.ent = self.codes(m["entity_id"])
        self.term_names, self.term = self.codes(t["term"])
        self.mpos = pc.index_in(m["article_id"], a["article_id"]).to_numpy()
        self.tpos = pc.index_in(t["article_id"], a["article_id"]).to_numpy()
        assert (self.mpos >= 0).all() and (self.tpos >= 0).all(), "rows without article"
        self.msrc = self.src[self.mpos]
        pair = self.mpos.astype(np.int64) * len(self.ent_names) + self.ent
        self.mfirst = np.zeros(len(pair), bool)  # first mention of its entity in its article
        self.mfirst[np.unique(pair, return_index=True)[1]] = True
        self.tcount = t["count"].to_numpy()

    @staticmethod
    def codes(col):  # sorted dictionary, int32 code per row
        names = pc.unique(col).sort()
        return names.to_numpy(zero_copy_only=False), pc.index_in(col, names).to_numpy()

    def mask(self, f):
        lo, hi = ((x - dt.date(1970, 1, 1)).days for x in f[:2])
        keep = (self.day >= lo) & (self.day <= hi)
        if f[2]:
            keep &= np.isin(self.src, np.searchsorted(self.src_names, f[2]))
        return keep

    def q_a(self, f):
        rows, k = self.mask(f)[self.mpos], len(self.ent_names)
        n = np.bincount(self.ent[rows], minlength=k)
        arts = np.bincount(self.ent[rows & self.mfirst], minlength=k)
        order = np.lexsort((np.arange(k), -n))[:20]  # codes follow sorted ids: ties by id
        return [(self.ent_names[i], int(n[i]), int(arts[i])) for i in order if n[i]]

    def q_b(self, f, ents):
        rows = self.mask(f)[self.mpos] & np.isin(self.ent, np.searchsorted(self.ent_names, ents))
        s = len(self.src_names)
        n = np.bincount(self.ent[rows] * s + self.msrc[rows], minlength=len(self.ent_names) * s)
        return [(self.ent_names[i // s], self.src_names[i % s], int(n[i])) for i in n.nonzero()[0]]

    def q_c(self, f):
        rows, k = self.mask(f)[self.tpos], len(self.term_names)
        n = np.bincount(self.term[rows], weights=self.tcount[rows], minlength=k).astype(np.int64)
        order = np.lexsort((np.arange(k), -n))[:100]  # float64 sums of small ints are exact
        return [(self.term_names[i], int(n[i])) for i in order if n[i]]


SQL_A = """SELECT m.entity_id, count(*) AS n, count(DISTINCT m.article_id)
FROM {m} m JOIN {a} a USING (article_id) WHERE {where} GROUP BY 1 ORDER BY n DESC, 1 LIMIT 20"""
SQL_B = """SELECT m.entity_id, a.source, count(*) FROM {m} m JOIN {a} a USING (article_id)
WHERE {where} AND m.entity_id IN ({ents}) GROUP BY 1, 2 ORDER BY 1, 2"""
SQL_C = """SELECT t.term, sum(t.count)::BIGINT AS n FROM {t} t JOIN {a} a USING (article_id)
WHERE {where} GROUP BY 1 ORDER BY n DESC, 1 LIMIT 100"""


class DuckLayer:
    def __init__(self, d, variant):
        import duckdb

        self.con = duckdb.connect()
        self.names = {n[0]: n for n in COLS}
        for n, cols in COLS.items():
            src = f"read_parquet('{d / n}.parquet')"
            if variant == "parquet":
                self.names[n[0]] = src
            elif variant == "arrow":
                self.con.register(n, read(d, n))
            else:  # DuckDB's own in-memory tables
                self.con.execute(f"CREATE TABLE {n} AS SELECT {', '.join(cols)} FROM {src}")

    def run(self, sql, f, ents=()):
        where = "a.published BETWEEN ? AND ?"
        if f[2]:
            where += f" AND a.source IN ({', '.join('?' * len(f[2]))})"
        ent_sql = ", ".join("?" * len(ents)) or "NULL"
        query = sql.format(where=where, ents=ent_sql, **self.names)
        return norm(self.con.execute(query, [*f[:2], *f[2], *ents]).fetchall())

    q_a, q_b, q_c = partialmethod(run, SQL_A), partialmethod(run, SQL_B), partialmethod(run, SQL_C)


class PolarsLayer:
    def __init__(self, d, variant):
        import polars as pl

        self.pl, paths = pl, {n: d / f"{n}.parquet" for n in COLS}
        if variant == "lazy":
            self.a, self.m, self.t = (pl.scan_parquet(p) for p in paths.values())
        else:  # eager DataFrames loaded once, queried through .lazy() for the same plans
            self.a, self.m, self.t = (
                pl.read_parquet(p, columns=COLS[n]).lazy() for n, p in paths.items()
            )

    def sel(self, f, *cols):
        keep = self.pl.col("published").is_between(f[0], f[1])
        if f[2]:
            keep &= self.pl.col("source").is_in(list(f[2]))
        return self.a.filter(keep).select(*cols)

    def q_a(self, f):
        pl = self.pl
        m = self.m.join(self.sel(f, "article_id"), on="article_id", how="semi")
        g = m.group_by("entity_id").agg(pl.len().alias("n"), pl.col("article_id").n_unique())
        g = g.sort(["n", "entity_id"], descending=[True, False]).head(20)
        return norm(g.collect().rows())

    def q_b(self, f, ents):
        m = self.m.filter(self.pl.col("entity_id").is_in(ents)).select("article_id", "entity_id")
        m = m.join(self.sel(f, "article_id", "source"), on="article_id")
        g = m.group_by("entity_id", "source").len().sort("entity_id", "source")
        return norm(g.collect().rows())

    def q_c(self, f):
        t = self.t.join(self.sel(f, "article_id"), on="article_id", how="semi")
        g = t.group_by("term").agg(self.pl.col("count").sum())
        g = g.sort(["count", "term"], descending=[True, False]).head(100)
        return norm(g.collect().rows())


CLASSES = {"pandas": PandasLayer, "numpy": NumpyLayer, "duckdb": DuckLayer, "polars": PolarsLayer}


def mem_mb(key):  # VmHWM: peak of this process (ru_maxrss would include its parent's)
    lines = Path("/proc/self/status").read_text().splitlines()
    return int(next(x for x in lines if x.startswith(key + ":")).split()[1]) / 1024


def run_layer(name, d, filters):
    """In a fresh process: set up once, then answer each filter, timing each query (the
    first filter is an untimed warm-up). Returns setup s, ms per query, answers, memory."""
    pkg, variant = name.split("-")
    __import__(pkg)
    base = mem_mb("VmRSS")
    t0 = time.perf_counter()
    layer = CLASSES[pkg](d, variant)
    pa.default_memory_pool().release_unused()  # Arrow buffers the setup freed
    setup, held = time.perf_counter() - t0, mem_mb("VmRSS") - base
    times, answers = [], []
    for f in filters:
        got, ms = [], []
        for q in ("q_a", "q_b", "q_c"):
            args = (f, [r[0] for r in got[0]]) if q == "q_b" else (f,)
            t0 = time.perf_counter()
            got.append(getattr(layer, q)(*args))
            ms.append((time.perf_counter() - t0) * 1000)
        times.append(ms)
        answers.append(got)
    return setup, np.array(times[1:]), answers, held, mem_mb("VmHWM") - base


def make_filters(d, n, seed):
    a = read(d, "articles")
    lo, hi = (v.as_py() for v in pc.min_max(a["published"]).values())
    outlets = sorted(pc.unique(a["source"]).to_pylist())
    rng, out = np.random.default_rng(seed), []
    for i in range(n + 1):  # +1: the warm-up filter
        x, y = sorted(int(v) for v in rng.integers(0, (hi - lo).days + 1, 2))
        k = int(rng.integers(1, 4))
        srcs = tuple(sorted(rng.choice(outlets, k, replace=False).tolist())) if i % 2 else ()
        out.append((lo + dt.timedelta(x), lo + dt.timedelta(y), srcs))
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("data_dir", nargs="?", type=Path, default=DEFAULT_DIR)
    p.add_argument("--filters", type=int, default=20)
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args()
    filters = make_filters(args.data_dir, args.filters, args.seed)
    rows, reference, ref_name = [], None, ""
    for name in LAYERS:
        if importlib.util.find_spec(pkg := name.split("-")[0]) is None:
            print(f"skipping {name}: package {pkg!r} is not installed")
            continue
        with ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")) as ex:
            job = ex.submit(run_layer, name, args.data_dir, filters)
            setup, times, answers, held, peak = job.result()
        if reference is None:
            reference, ref_name = answers, name
        for i, (got, want) in enumerate(zip(answers, reference, strict=True)):
            for q, g, w in zip("abc", got, want, strict=True):
                assert g == w, f"{name} differs from {ref_name} on query {q}, filter {i}"
        pct = np.percentile(times, [50, 95], axis=0).T.ravel()  # a50 a95 b50 b95 c50 c95
        cells = "".join(f"{v:>10.1f}" for v in pct)
        rows.append(f"{name:<15}{setup:>8.2f}{cells}{held:>9.0f}{peak:>9.0f}")
        print(f"{name}: done, answers match", flush=True)
    head = "".join(f"{q + '_p' + p + ' ms':>10}" for q in "abc" for p in ("50", "95"))
    print(f"\n{args.filters} filters (+1 untimed warm-up), seed {args.seed}, {args.data_dir}")
    print(f"{'layer':<15}{'setup s':>8}{head}{'held MB':>9}{'peak MB':>9}")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
