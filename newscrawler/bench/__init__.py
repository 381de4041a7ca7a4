"""Extraction benchmark: score `extract_article` on a labelled corpus, field by field, and time it.

Why it exists: extraction quality is claimed in numbers (README), and users can check those numbers
on their own labelled pages. The metric definitions follow the corpus README exactly
(`/work/shared/corpus/README.md` format), so figures compare with other extractors.

Run `python -m newscrawler.bench --corpus DIR` (or `make bench BENCH_ARGS="..."`).
"""

from newscrawler.bench.corpus import CorpusError, CorpusPage, default_corpus_dir, load_corpus
from newscrawler.bench.metrics import shingles, tokens

__all__ = [
    "CorpusError",
    "CorpusPage",
    "default_corpus_dir",
    "load_corpus",
    "shingles",
    "tokens",
]
