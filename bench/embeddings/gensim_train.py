#!/usr/bin/python3
"""Train gensim Skip-gram (negative sampling) on a corpus file with the same
hyperparameters as embbench train, print throughput, write text vectors.

usage: gensim_train.py CORPUS OUT.txt [--threads 2] [--epochs 1] ...
"""
import argparse
import logging
import resource
import time

from gensim.models import Word2Vec
from gensim.models.word2vec import FAST_VERSION


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("out")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--window", type=int, default=5)
    ap.add_argument("--negative", type=int, default=5)
    ap.add_argument("--sample", type=float, default=1e-4)
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--alpha", type=float, default=0.025)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    assert FAST_VERSION >= 0, "gensim without its compiled routines"
    m = Word2Vec(vector_size=a.dim, window=a.window, negative=a.negative, hs=0, sg=1,
                 sample=a.sample, min_count=a.min_count, alpha=a.alpha,
                 min_alpha=a.alpha * 1e-4, workers=a.threads, seed=a.seed)
    m.build_vocab(corpus_file=a.corpus)
    total = m.corpus_total_words
    kept = sum(m.wv.get_vecattr(w, "count") for w in m.wv.index_to_key)
    c0, t0 = cpu(), time.perf_counter()
    m.train(corpus_file=a.corpus, total_examples=m.corpus_count, total_words=total, epochs=a.epochs)
    wall, c = time.perf_counter() - t0, cpu() - c0
    toks = kept * a.epochs
    print("gensim   vocab=%d tokens=%d train=%.2fs cpu=%.2fs tokens/s(train wall)=%.0f tokens/cpu-s=%.0f"
          % (len(m.wv), toks, wall, c, toks / wall, toks / c))
    m.wv.save_word2vec_format(a.out, binary=False)


if __name__ == "__main__":
    main()
