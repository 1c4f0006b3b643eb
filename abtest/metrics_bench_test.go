package abtest

import "testing"

func benchJoints() (Joint, Joint) {
	return Joint{N: 3000, SumX: 7439, SumY: 36511.39, SumXX: 28891, SumYY: 3828059.04, SumXY: 145309.91},
		Joint{N: 3000, SumX: 7627, SumY: 39640.37, SumXX: 31035, SumYY: 4315455.58, SumXY: 168035.11}
}

func BenchmarkCompareRatio(b *testing.B) {
	c, t := benchJoints()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CompareRatio(c, t, 0.05, TwoSided); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompareCUPED(b *testing.B) {
	c, t := benchJoints()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := CompareCUPED(c, t, 0.05, TwoSided); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSequentialSRMCheck(b *testing.B) {
	s, err := NewSequentialSRM([]float64{1, 1}, nil)
	if err != nil {
		b.Fatal(err)
	}
	counts := []int64{560000, 557000}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Check(counts); err != nil {
			b.Fatal(err)
		}
	}
}
