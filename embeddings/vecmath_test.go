package embeddings

import (
	"math"
	"testing"
)

// TestKernels checks the dispatched kernels against naive loops for every
// length up to 70, which covers all vector and scalar tails.
func TestKernels(t *testing.T) {
	r := rng{s: 7}
	f := func() float32 { return float32(r.next()>>40)/(1<<23) - 1 }
	for n := range 71 {
		a, b, c := make([]float32, n), make([]float32, n), make([]float32, n)
		for i := range n {
			a[i], b[i], c[i] = f(), f(), f()
		}
		var want float64
		for i := range n {
			want += float64(a[i]) * float64(b[i])
		}
		if got := dot(a, b); math.Abs(float64(got)-want) > 1e-4 {
			t.Errorf("dot(n=%d) = %v, want %v", n, got, want)
		}
		if got := dotGeneric(a, b); math.Abs(float64(got)-want) > 1e-4 {
			t.Errorf("dotGeneric(n=%d) = %v, want %v", n, got, want)
		}
		y, y2 := append([]float32(nil), b...), append([]float32(nil), b...)
		axpy(0.5, a, y)
		axpyGeneric(0.5, a, y2)
		for i := range n {
			w := b[i] + 0.5*a[i]
			if math.Abs(float64(y[i]-w)) > 1e-6 || math.Abs(float64(y2[i]-w)) > 1e-6 {
				t.Fatalf("axpy(n=%d)[%d] = %v (generic %v), want %v", n, i, y[i], y2[i], w)
			}
		}
		out, acc := append([]float32(nil), b...), append([]float32(nil), c...)
		out2, acc2 := append([]float32(nil), b...), append([]float32(nil), c...)
		update2(0.25, a, out, acc)
		update2Generic(0.25, a, out2, acc2)
		for i := range n {
			wo, wa := b[i]+0.25*a[i], c[i]+0.25*b[i]
			if math.Abs(float64(out[i]-wo)) > 1e-6 || math.Abs(float64(acc[i]-wa)) > 1e-6 ||
				math.Abs(float64(out2[i]-wo)) > 1e-6 || math.Abs(float64(acc2[i]-wa)) > 1e-6 {
				t.Fatalf("update2(n=%d)[%d] = %v,%v (generic %v,%v), want %v,%v", n, i, out[i], acc[i], out2[i], acc2[i], wo, wa)
			}
		}
	}
}

func pow075(c int64) float64 { return math.Pow(float64(c), 0.75) }
