//go:build !linux

package referral_test

func threadCPU() int64 { return -1 }

func processCPU() int64 { return -1 }
