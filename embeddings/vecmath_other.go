//go:build !amd64 || purego

package embeddings

// hasAVX2FMA is false: this build uses the pure-Go kernels.
const hasAVX2FMA = false

// dot returns the inner product of a and b; len(b) >= len(a).
func dot(a, b []float32) float32 { return dotGeneric(a, b) }

// axpy adds alpha*x to y; len(y) >= len(x).
func axpy(alpha float32, x, y []float32) { axpyGeneric(alpha, x, y) }

// update2 does acc += g*out; out += g*in over len(in) elements.
func update2(g float32, in, out, acc []float32) { update2Generic(g, in, out, acc) }
