//go:build !unix

package fraudgraph_test

// processCPU is not available on this platform.
func processCPU() int64 { return -1 }
