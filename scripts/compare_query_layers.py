"""Time three dashboard queries over one processed corpus in several query layers.

Queries, each for the same random filters (date range, half of them also 1-3 outlets):
  a) top 20 entities by mentions, with distinct articles per entity;
  b) mentions per (entity, outlet) for those 20 entities;
  c) top 100 terms by summed count.
Every layer's answers are asserted equal to those of pandas on string columns. Each layer
runs in a fresh process so that its memory can be measured. Usage:
  python scripts/compare_query_layers.py [PROCESSED_DIR] [--filters 20] [--seed 7]
"""

import argparse
import datetime as dt
import importlib.util
import multiprocessing as mp
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "data/synthetic/n100000-s7/processed"
COLS = {
    "articles": ["article_id", "source", "published"],
    "mentions": ["article_id", "entity_id", "type"],
    "terms": ["article_id", "term", "count"],
}
LAYERS = {  # name -> package it needs
    "pandas-str": "pandas",
    "pandas-cat": "pandas",
    "numpy-codes": "numpy",
    "duckdb-parquet": "duckdb",
    "duckdb-arrow": "duckdb",
    "polars-lazy": "polars",
    "polars-eager": "polars",
}


def read(d, name):
    return pq.read_table(d / f"{name}.parquet", columns=COLS[name])


def top(pairs, n):  # [(key, value, ...)] -> n largest by value, ties by key
    return sorted(pairs, key=lambda r: (-r[1], r[0]))[:n]


def norm(rows):  # numpy/pandas scalars -> plain Python for comparison
    return [tuple(v if isinstance(v, str) else int(v) for v in r) for r in rows]


class PandasLayer:
    def __init__(self, d, categorical):
        a, m, t = (read(d, n).to_pandas() for n in COLS)
        if categorical:
            a["source"] = a["source"].astype("category")
            for col in ("entity_id", "type"):
                m[col] = m[col].astype("category")
            t["term"] = t["term"].astype("category")
        self.a, self.m, self.t = a, m, t

    def sel(self, f):
        a = self.a
        keep = (a["published"] >= f[0]) & (a["published"] <= f[1])
        if f[2]:
            keep &= a["source"].isin(f[2])
        return a[keep]

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
        g = t.groupby("term", observed=True)["count"].sum()
        return top(norm(g.items()), 100)


class NumpyLayer:
    def __init__(self, d):
        a, m, t = (read(d, n) for n in COLS)
        self.day = a["published"].cast("int32").to_numpy()
        self.src_names, src = self.codes(a["source"])
        self.ent_names, self.ent = self.codes(m["entity_id"])
        self.term_names, self.term = self.codes(t["term"])
        self.mpos = pc.index_in(m["article_id"], a["article_id"]).to_numpy()
        self.tpos = pc.index_in(t["article_id"], a["article_id"]).to_numpy()
        assert (self.mpos >= 0).all() and (self.tpos >= 0).all(), "rows without article"
        self.msrc = src[self.mpos]
        pair = self.mpos.astype(np.int64) * len(self.ent_names) + self.ent
        self.mfirst = np.zeros(len(pair), bool)
        self.mfirst[np.unique(pair, return_index=True)[1]] = True  # first (article, entity)
        self.tcount = t["count"].to_numpy()
        self.a_src = src

    @staticmethod
    def codes(col):  # sorted dictionary and int32 code per row
        names = pc.unique(col).sort()
        return names.to_numpy(zero_copy_only=False), pc.index_in(col, names).to_numpy()

    def mask(self, f):
        lo, hi = ((x - dt.date(1970, 1, 1)).days for x in f[:2])
        keep = (self.day >= lo) & (self.day <= hi)
        if f[2]:
            keep &= np.isin(self.a_src, np.searchsorted(self.src_names, f[2]))
        return keep

    def q_a(self, f):
        rows = self.mask(f)[self.mpos]
        k = len(self.ent_names)
        n = np.bincount(self.ent[rows], minlength=k)
        arts = np.bincount(self.ent[rows & self.mfirst], minlength=k)
        order = np.lexsort((np.arange(k), -n))[:20]  # codes follow sorted ids: ties by id
        return [(self.ent_names[i], int(n[i]), int(arts[i])) for i in order if n[i]]

    def q_b(self, f, ents):
        codes = np.searchsorted(self.ent_names, ents)
        rows = self.mask(f)[self.mpos] & np.isin(self.ent, codes)
        s = len(self.src_names)
        n = np.bincount(self.ent[rows] * s + self.msrc[rows], minlength=len(self.ent_names) * s)
        idx = np.flatnonzero(n)
        return sorted((self.ent_names[i // s], self.src_names[i % s], int(n[i])) for i in idx)

    def q_c(self, f):
        rows = self.mask(f)[self.tpos]
        k = len(self.term_names)
        n = np.bincount(self.term[rows], weights=self.tcount[rows], minlength=k)
        n = n.astype(np.int64)  # sums of small ints: exact in float64
        order = np.lexsort((np.arange(k), -n))[:100]
        return [(self.term_names[i], int(n[i])) for i in order if n[i]]


SQL_A = """SELECT m.entity_id, count(*) AS n, count(DISTINCT m.article_id)
FROM {m} m JOIN {a} a USING (article_id) WHERE {where}
GROUP BY 1 ORDER BY n DESC, 1 LIMIT 20"""
SQL_B = """SELECT m.entity_id, a.source, count(*) FROM {m} m JOIN {a} a USING (article_id)
WHERE {where} AND m.entity_id IN ({ents}) GROUP BY 1, 2 ORDER BY 1, 2"""
SQL_C = """SELECT t.term, sum(t.count)::BIGINT AS n FROM {t} t JOIN {a} a USING (article_id)
WHERE {where} GROUP BY 1 ORDER BY n DESC, 1 LIMIT 100"""


class DuckLayer:
    def __init__(self, d, arrow):
        import duckdb

        self.con = duckdb.connect()
        if arrow:
            self.names = {n[0]: n for n in COLS}
            for n in COLS:
                self.con.register(n, read(d, n))
        else:
            self.names = {n[0]: f"read_parquet('{d / n}.parquet')" for n in COLS}

    def run(self, sql, f, extra=()):
        where = "a.published BETWEEN ? AND ?"
        if f[2]:
            where += f" AND a.source IN ({', '.join('?' * len(f[2]))})"
        ents = ", ".join("?" * len(extra))
        query = sql.format(where=where, ents=ents, **self.names)
        return norm(self.con.execute(query, [*f[:2], *f[2], *extra]).fetchall())

    def q_a(self, f):
        return self.run(SQL_A, f)

    def q_b(self, f, ents):
        return self.run(SQL_B, f, ents) if ents else []

    def q_c(self, f):
        return self.run(SQL_C, f)


class PolarsLayer:
    def __init__(self, d, lazy):
        import polars as pl

        self.pl = pl
        if lazy:
            self.a, self.m, self.t = (pl.scan_parquet(d / f"{n}.parquet") for n in COLS)
        else:
            self.a, self.m, self.t = (
                pl.read_parquet(d / f"{n}.parquet", columns=c).lazy() for n, c in COLS.items()
            )

    def sel(self, f):
        pl = self.pl
        keep = pl.col("published").is_between(f[0], f[1])
        if f[2]:
            keep &= pl.col("source").is_in(list(f[2]))
        return self.a.filter(keep)

    def q_a(self, f):
        pl = self.pl
        m = self.m.join(self.sel(f).select("article_id"), on="article_id", how="semi")
        g = m.group_by("entity_id").agg(pl.len().alias("n"), pl.col("article_id").n_unique())
        g = g.sort(["n", "entity_id"], descending=[True, False]).head(20)
        return norm(g.collect().rows())

    def q_b(self, f, ents):
        m = self.m.filter(self.pl.col("entity_id").is_in(ents)).select("article_id", "entity_id")
        m = m.join(self.sel(f).select("article_id", "source"), on="article_id")
        g = m.group_by("entity_id", "source").len().sort("entity_id", "source")
        return norm(g.collect().rows())

    def q_c(self, f):
        t = self.t.join(self.sel(f).select("article_id"), on="article_id", how="semi")
        g = t.group_by("term").agg(self.pl.col("count").sum())
        g = g.sort(["count", "term"], descending=[True, False]).head(100)
        return norm(g.collect().rows())


def make_layer(name, d):
    if name.startswith("pandas"):
        return PandasLayer(d, categorical=name == "pandas-cat")
    if name == "numpy-codes":
        return NumpyLayer(d)
    if name.startswith("duckdb"):
        return DuckLayer(d, arrow=name == "duckdb-arrow")
    return PolarsLayer(d, lazy=name == "polars-lazy")


def rss_mb():
    return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() / 2**20


def run_layer(name, d, filters):
    """In a fresh process: setup once, then time each query per filter (first filter is
    an untimed warm-up). Returns setup s, per-query ms, answers, memory held and peak."""
    import_mod = LAYERS[name]
    __import__(import_mod)
    base, peak0 = rss_mb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    layer = make_layer(name, d)
    setup = time.perf_counter() - t0
    held = rss_mb() - base
    times, answers = {"a": [], "b": [], "c": []}, []
    for i, f in enumerate(filters):
        t0 = time.perf_counter()
        ra = layer.q_a(f)
        t1 = time.perf_counter()
        rb = layer.q_b(f, [r[0] for r in ra])
        t2 = time.perf_counter()
        rc = layer.q_c(f)
        t3 = time.perf_counter()
        if i:
            for q, s in zip("abc", (t1 - t0, t2 - t1, t3 - t2), strict=True):
                times[q].append(s * 1000)
        answers.append((ra, rb, rc))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - peak0
    return setup, times, answers, held, peak


def make_filters(d, n, seed):
    a = read(d, "articles")
    lo, hi = (v.as_py() for v in pc.min_max(a["published"]).values())
    outlets = sorted(pc.unique(a["source"]).to_pylist())
    rng = np.random.default_rng(seed)
    out = []
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
    rows, reference = [], None
    for name, pkg in LAYERS.items():
        if importlib.util.find_spec(pkg) is None:
            print(f"skipping {name}: package {pkg!r} is not installed")
            continue
        with ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")) as ex:
            setup, times, answers, held, peak = ex.submit(
                run_layer, name, args.data_dir, filters
            ).result()
        if reference is None:
            reference = answers
        for i, (got, want) in enumerate(zip(answers, reference, strict=True)):
            for q, g, w in zip("abc", got, want, strict=True):
                assert g == w, f"{name} differs from pandas-str on query {q}, filter {i}"
        pct = [f"{np.percentile(times[q], p):8.1f}" for q in "abc" for p in (50, 95)]
        rows.append(f"{name:<15}{setup:>8.2f}  {'  '.join(pct)}{held:>9.0f}{peak:>9.0f}")
        print(f"{name}: done, answers match", flush=True)
    head = "".join(f"  {q}_p50 ms  {q}_p95 ms" for q in "abc")
    print(f"\n{args.filters} filters (+1 warm-up), seed {args.seed}, {args.data_dir}")
    print(f"{'layer':<15}{'setup s':>8}{head}  held MB  peak MB")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
