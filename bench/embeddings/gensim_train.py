#!/usr/bin/python3
"""Train gensim Skip-gram (negative sampling) on a corpus file with the same
hyperparameters as embbench train, print throughput, write text vectors.

usage: gensim_train.py CORPUS OUT.txt [--threads 2] [--epochs 1] [--mode file|iterable] ...

--mode selects how gensim reads the corpus, which also decides its
learning-rate schedule:
  file      corpus_file=CORPUS (default, gensim's fastest mode). Each worker
            trains on its own part of the file and decays alpha by its own
            progress against the whole epoch's count, so with W workers
            alpha only falls by 1/W of the way to min_alpha per epoch
            (to about alpha/2 after one epoch with 2 workers).
  iterable  corpus_iterable=LineSentence(CORPUS): one producer hands out
            jobs of 10,000 words, each with the alpha of global progress,
            which is word2vec's linear decay over all workers (slower: the
            producer is Python).
--min-alpha is the rate at the end of training (default alpha*1e-4, word2vec's floor).
"""
import argparse
import logging
import resource
import time

from gensim.models import Word2Vec
from gensim.models.word2vec import FAST_VERSION, LineSentence


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
    ap.add_argument("--min-alpha", type=float, default=None)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--mode", choices=("file", "iterable"), default="file")
    ap.add_argument("--save", help="also save the whole model (gensim's Word2Vec.save) here")
    ap.add_argument("--continue", dest="cont",
                    help="load a model saved with --save and continue it on CORPUS: build_vocab(update=True), then train")
    ap.add_argument("--defaults", action="store_true",
                    help="gensim's own defaults for Skip-gram: only --threads, --epochs, --seed and --mode apply")
    a = ap.parse_args()
    min_alpha = a.alpha * 1e-4 if a.min_alpha is None else a.min_alpha
    logging.basicConfig(level=logging.WARNING)
    assert FAST_VERSION >= 0, "gensim without its compiled routines"
    if a.cont:
        m = Word2Vec.load(a.cont)
        min_alpha = m.min_alpha
    elif a.defaults:
        m = Word2Vec(sg=1, workers=a.threads, seed=a.seed)
        min_alpha = m.min_alpha
    else:
        m = Word2Vec(vector_size=a.dim, window=a.window, negative=a.negative, hs=0, sg=1,
                     sample=a.sample, min_count=a.min_count, alpha=a.alpha,
                     min_alpha=min_alpha, workers=a.threads, seed=a.seed)
    if a.mode == "file":
        src = dict(corpus_file=a.corpus)
    else:
        src = dict(corpus_iterable=LineSentence(a.corpus))
    m.build_vocab(**src, update=bool(a.cont))
    total = m.corpus_total_words
    kept = sum(m.wv.get_vecattr(w, "count") for w in m.wv.index_to_key)
    c0, t0 = cpu(), time.perf_counter()
    m.train(**src, total_examples=m.corpus_count, total_words=total, epochs=a.epochs)
    wall, c = time.perf_counter() - t0, cpu() - c0
    toks = kept * a.epochs
    print("gensim   mode=%s workers=%d min_alpha=%g vocab=%d tokens=%d train=%.2fs cpu=%.2fs "
          "tokens/s(train wall)=%.0f tokens/cpu-s=%.0f maxrss=%.0fMB"
          % (a.mode, a.threads, min_alpha, len(m.wv), toks, wall, c, toks / wall, toks / c,
             resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
    m.wv.save_word2vec_format(a.out, binary=False)
    if a.save:
        m.save(a.save)


if __name__ == "__main__":
    main()
