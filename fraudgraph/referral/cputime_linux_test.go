//go:build linux

package referral_test

import (
	"syscall"
	"unsafe"
)

// threadCPU returns the CPU time of the calling OS thread in nanoseconds
// (the caller locks its goroutine to the thread), or -1.
func threadCPU() int64 {
	var ts syscall.Timespec
	const clockThreadCPUTimeID = 3
	if _, _, e := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0); e != 0 {
		return -1
	}
	return ts.Nano()
}

// processCPU returns the user plus system CPU time of the process in
// nanoseconds, or -1.
func processCPU() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return -1
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
