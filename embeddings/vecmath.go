package embeddings

// The kernels below keep several independent accumulators so that the
// additions of consecutive elements do not form one dependent chain, and
// reslice their operands to one length so that the compiler drops bounds
// checks inside the loops.

// dotGeneric returns the inner product of a and b, which have the same length.
func dotGeneric(a, b []float32) float32 {
	n := len(a)
	b = b[:n]
	var s0, s1, s2, s3, s4, s5, s6, s7 float32
	i := 0
	for ; i+8 <= n; i += 8 {
		aa := a[i : i+8 : i+8]
		bb := b[i : i+8 : i+8]
		s0 += aa[0] * bb[0]
		s1 += aa[1] * bb[1]
		s2 += aa[2] * bb[2]
		s3 += aa[3] * bb[3]
		s4 += aa[4] * bb[4]
		s5 += aa[5] * bb[5]
		s6 += aa[6] * bb[6]
		s7 += aa[7] * bb[7]
	}
	for ; i < n; i++ {
		s0 += a[i] * b[i]
	}
	return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))
}

// axpyGeneric adds alpha*x to y.
func axpyGeneric(alpha float32, x, y []float32) {
	n := len(x)
	y = y[:n]
	i := 0
	for ; i+4 <= n; i += 4 {
		xx := x[i : i+4 : i+4]
		yy := y[i : i+4 : i+4]
		yy[0] += alpha * xx[0]
		yy[1] += alpha * xx[1]
		yy[2] += alpha * xx[2]
		yy[3] += alpha * xx[3]
	}
	for ; i < n; i++ {
		y[i] += alpha * x[i]
	}
}

// update2Generic performs the two updates of one negative-sampling example at
// once, reading out once: acc += g*out; out += g*in.
func update2Generic(g float32, in, out, acc []float32) {
	n := len(in)
	out = out[:n]
	acc = acc[:n]
	i := 0
	for ; i+4 <= n; i += 4 {
		ii := in[i : i+4 : i+4]
		oo := out[i : i+4 : i+4]
		aa := acc[i : i+4 : i+4]
		o0, o1, o2, o3 := oo[0], oo[1], oo[2], oo[3]
		aa[0] += g * o0
		aa[1] += g * o1
		aa[2] += g * o2
		aa[3] += g * o3
		oo[0] = o0 + g*ii[0]
		oo[1] = o1 + g*ii[1]
		oo[2] = o2 + g*ii[2]
		oo[3] = o3 + g*ii[3]
	}
	for ; i < n; i++ {
		o := out[i]
		acc[i] += g * o
		out[i] = o + g*in[i]
	}
}

// Dot returns the inner product of a and b, which must have the same
// length (it panics otherwise). It uses the trainer's vector kernel (AVX2
// and FMA where the CPU has them), so indexes over a model's vectors, such
// as embeddings/ann, need no kernel of their own.
func Dot(a, b []float32) float32 {
	if len(a) != len(b) {
		panic("embeddings: Dot of vectors of different lengths")
	}
	return dot(a, b)
}
