//go:build amd64 && !purego

package embeddings

// hasAVX2FMA reports whether the CPU and OS support AVX2 and FMA. It is
// computed once from CPUID (no other side effect) during package
// initialisation and is read-only afterwards: nothing may assign it.
// Computing it lazily would put a sync.Once check in every kernel call.
var hasAVX2FMA = detectAVX2FMA()

func detectAVX2FMA() bool {
	maxID, _, _, _ := cpuid(0, 0)
	if maxID < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const fma, osxsave, avx = 1 << 12, 1 << 27, 1 << 28
	if ecx1&(fma|osxsave|avx) != fma|osxsave|avx {
		return false
	}
	if xcr0, _ := xgetbv(); xcr0&6 != 6 { // XMM and YMM state enabled
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<5) != 0
}

//go:noescape
func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)

//go:noescape
func xgetbv() (eax, edx uint32)

//go:noescape
func dotAVX(a, b []float32) float32

//go:noescape
func axpyAVX(alpha float32, x, y []float32)

//go:noescape
func update2AVX(step float32, in, out, acc []float32)

// dot returns the inner product of a and b; len(b) >= len(a).
func dot(a, b []float32) float32 {
	if hasAVX2FMA {
		_ = b[:len(a)]
		return dotAVX(a, b)
	}
	return dotGeneric(a, b)
}

// axpy adds alpha*x to y; len(y) >= len(x).
func axpy(alpha float32, x, y []float32) {
	if hasAVX2FMA {
		_ = y[:len(x)]
		axpyAVX(alpha, x, y)
		return
	}
	axpyGeneric(alpha, x, y)
}

// update2 does acc += g*out; out += g*in over len(in) elements.
func update2(g float32, in, out, acc []float32) {
	if hasAVX2FMA {
		_, _ = out[:len(in)], acc[:len(in)]
		update2AVX(g, in, out, acc)
		return
	}
	update2Generic(g, in, out, acc)
}
