"""Python peers of annbench: hnswlib and faiss (Debian's python3-hnswlib
and python3-faiss) on the vectors, queries and exact answers annbench
wrote to DIR, with the same M, efConstruction and efSearch values.

    /usr/bin/python3 peers.py DIR [M] [efConstruction] [ef,ef,...]

Build uses all cores; queries run one at a time on one thread, as
annbench's do. Times are CPU seconds of this process (time.process_time)
and wall seconds. Run it with OMP_WAIT_POLICY=PASSIVE (compare.sh does) so
that faiss's idle OpenMP threads do not spin on a shared machine.
"""
import os
import sys
import time

import numpy as np


def read_vecs(path, dtype):
    raw = np.fromfile(path, dtype=np.int32)
    dim = raw[0]
    return raw.reshape(-1, dim + 1)[:, 1:].view(dtype).copy()


def recall(found, truth):
    hit = 0
    for f, t in zip(found, truth):
        hit += len(set(int(x) for x in f) & set(int(x) for x in t if x >= 0))
    return hit / float((truth >= 0).sum())


def timed(fn):
    c0, w0 = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.process_time() - c0, time.perf_counter() - w0


def main():
    d = sys.argv[1]
    m = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    efc = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    efs = [int(x) for x in (sys.argv[4] if len(sys.argv) > 4 else "10,20,40,80,160,320").split(",")]
    base = read_vecs(os.path.join(d, "base.fvecs"), np.float32)
    queries = read_vecs(os.path.join(d, "query.fvecs"), np.float32)
    truth = read_vecs(os.path.join(d, "gt.ivecs"), np.int32)
    n, dim = base.shape
    k = truth.shape[1]
    base /= np.maximum(np.linalg.norm(base, axis=1, keepdims=True), 1e-30)
    queries /= np.maximum(np.linalg.norm(queries, axis=1, keepdims=True), 1e-30)
    print("# peers n=%d dim=%d queries=%d k=%d M=%d efConstruction=%d cores=%d" % (n, dim, len(queries), k, m, efc, os.cpu_count()))

    try:
        import hnswlib
        idx = hnswlib.Index(space="ip", dim=dim)
        def build():
            idx.init_index(max_elements=n, ef_construction=efc, M=m, random_seed=1)
            idx.add_items(base, np.arange(n), num_threads=os.cpu_count())
        _, c, w = timed(build)
        path = os.path.join(d, "hnswlib.bin")
        idx.save_index(path)
        size = os.path.getsize(path)
        os.remove(path)
        print("hnswlib build: wall %.1fs, CPU %.1fs (%.1f us CPU/vector), file %.1f B/vector" % (w, c, 1e6 * c / n, size / n))
        for ef in efs:
            idx.set_ef(max(ef, k))
            def search():
                return [idx.knn_query(q, k=k, num_threads=1)[0][0] for q in queries]
            found, c, w = timed(search)
            print("%-34s %8.4f %10.1f %10.1f" % ("hnswlib ef=%d" % ef, recall(found, truth), len(queries) / c, len(queries) / w))
        del idx
    except ImportError as e:
        print("hnswlib: not installed (%s)" % e)

    try:
        import faiss
        faiss.omp_set_num_threads(os.cpu_count())
        idx = faiss.IndexHNSWFlat(dim, m, faiss.METRIC_INNER_PRODUCT)
        idx.hnsw.efConstruction = efc
        _, c, w = timed(lambda: idx.add(base))
        size = len(faiss.serialize_index(idx))
        print("faiss IndexHNSWFlat build: wall %.1fs, CPU %.1fs (%.1f us CPU/vector), serialized %.1f B/vector" % (w, c, 1e6 * c / n, size / n))
        faiss.omp_set_num_threads(1)
        for ef in efs:
            idx.hnsw.efSearch = max(ef, k)
            def search():
                return [idx.search(queries[i:i + 1], k)[1][0] for i in range(len(queries))]
            found, c, w = timed(search)
            print("%-34s %8.4f %10.1f %10.1f" % ("faiss HNSWFlat ef=%d" % ef, recall(found, truth), len(queries) / c, len(queries) / w))
    except ImportError as e:
        print("faiss: not installed (%s)" % e)


if __name__ == "__main__":
    main()
