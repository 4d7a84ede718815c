"""How fast tokenizing alone is, next to issue 9's goal for the whole of ingestion.

On the same article text as the benchmark, one core: rjieba's ``tag`` (what the entity stage
runs) and ``cut`` without HMM (what the terms stage runs), and the benchmark's baseline,
``jieba.posseg`` after ``jieba.initialize()``. Prints MB/s of UTF-8 text for each and the goal,
30 times the baseline per core.
  python scripts/tokenizer_speed.py [PROCESSED_DIR] [--mb 3]
"""

import argparse
import time
from pathlib import Path

import pyarrow.parquet as pq

DEFAULT_DIR = Path(__file__).resolve().parents[1] / "data/synthetic/n100000-s7/processed"


def sample_texts(processed: Path, megabytes: float) -> tuple[list[str], float]:
    texts = pq.read_table(processed / "articles.parquet", columns=["text_simplified"])
    sample, size = [], 0
    for text in texts.column(0).to_pylist():
        sample.append(text)
        size += len(text.encode("utf-8"))
        if size >= megabytes * 1e6:
            break
    return sample, size / 1e6


def megabytes_per_second(tokenize, texts: list[str], megabytes: float) -> float:
    start = time.perf_counter()
    for text in texts:
        for _ in tokenize(text):
            pass
    return megabytes / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("processed", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--mb", type=float, default=3.0, help="text for rjieba (posseg: a third)")
    args = parser.parse_args()

    import jieba
    import jieba.posseg
    import rjieba

    jieba.setLogLevel(60)
    jieba.initialize()
    rjieba.cut("预热")  # loads rjieba's dictionary before the clock starts
    texts, mb = sample_texts(args.processed, args.mb)
    tag = megabytes_per_second(rjieba.tag, texts, mb)
    cut = megabytes_per_second(lambda t: rjieba.cut(t, False), texts, mb)
    few, few_mb = sample_texts(args.processed, args.mb / 3)
    baseline = megabytes_per_second(jieba.posseg.cut, few, few_mb)
    both = 1 / (1 / tag + 1 / cut)
    print(f"rjieba.tag            {tag:6.2f} MB/s")
    print(f"rjieba.cut (no HMM)   {cut:6.2f} MB/s")
    print(f"both passes           {both:6.2f} MB/s")
    print(f"jieba.posseg          {baseline:6.3f} MB/s (the benchmark's baseline)")
    print(f"goal, 30x per core    {30 * baseline:6.2f} MB/s")


if __name__ == "__main__":
    main()
