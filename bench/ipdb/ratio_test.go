//go:build linux

package ipdbbench

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/craftkit/craftkit/ipdb"
)

// TestRatios measures lookups of every implementation in interleaved
// rounds: each round times each implementation (in a rotating order) on
// the same probes in CPU time of the locked thread, so that other load
// on the machine, which inflates wall time, mostly cancels, and a slow
// moment hits every implementation of that round. It reports per
// implementation the median CPU ns per lookup and the median of the
// per-round ratios implementation/ipdb, with their range.
//
//	IPBENCH_RATIOS=1 IPBENCH_SIZES=3429,100000,1000000 IPBENCH_PEERS=bart,mmdb go test -run Ratios -v -timeout 60m ./ipdb/
//
// IPBENCH_ROUNDS sets the rounds (default 15).
func TestRatios(t *testing.T) {
	if os.Getenv("IPBENCH_RATIOS") == "" {
		t.Skip("IPBENCH_RATIOS=1 runs the interleaved ratio study")
	}
	rounds := 15
	if n, err := strconv.Atoi(os.Getenv("IPBENCH_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	for _, d := range datasets(t) {
		v6 := strings.HasPrefix(d.name, "v6")
		var names []string
		var fns []func(*dataset) float64
		for _, im := range impls {
			if im.name == "sort.Search" || im.name == "threeway" || im.name == "netipx.IPSet" || im.name == "cidranger" || v6 && !im.v6 {
				continue
			}
			bt := build(t, im, d)
			if bt.skipped != "" {
				continue
			}
			names = append(names, im.name)
			f := bt.lookup
			fns = append(fns, func(d *dataset) float64 {
				const n = 1 << 18
				probes := d.probes
				hits := 0
				start := threadCPU()
				for i := range n {
					if _, ok := f(probes[i&(len(probes)-1)]); ok {
						hits++
					}
				}
				sink += hits
				return float64(threadCPU()-start) / n
			})
			t.Logf("%s %s: %.1f B/range whole heap after build", d.name, im.name, bt.bytes)
		}
		ns := make([][]float64, len(names))
		for r := range rounds {
			for k := range names {
				i := (k + r) % len(names)
				ns[i] = append(ns[i], fns[i](d))
			}
		}
		for i, name := range names {
			ratios := make([]float64, rounds)
			for r := range rounds {
				ratios[r] = ns[i][r] / ns[0][r] // names[0] is ipdb
			}
			slices.Sort(ratios)
			t.Logf("%s %-12s CPU %6.1f ns/lookup (median of %d)  ratio to ipdb %5.2fx [%.2f, %.2f]",
				d.name, name, median(ns[i]), rounds, median(ratios), ratios[0], ratios[len(ratios)-1])
		}
	}
}

func median(x []float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// threadCPU returns the CPU time of the calling thread in nanoseconds
// (clock_gettime CLOCK_THREAD_CPUTIME_ID: exact, where getrusage counts
// in scheduler ticks).
func threadCPU() int64 {
	var ts syscall.Timespec
	const clockThreadCPUTimeID = 3
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		panic(fmt.Sprint("clock_gettime: ", errno))
	}
	return ts.Nano()
}

// TestTrafficCPU measures the CPU time of one count of ipdb.Traffic
// (by owner and by category) on the locked thread, as medians over
// rounds: the wall time of BenchmarkTrafficCount inflates with the load
// of a shared machine.
//
//	IPBENCH_RATIOS=1 go test -run TrafficCPU -v ./ipdb/
func TestTrafficCPU(t *testing.T) {
	if os.Getenv("IPBENCH_RATIOS") == "" {
		t.Skip("IPBENCH_RATIOS=1 runs the CPU-time study")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	tr, err := ipdb.NewTraffic(ipdb.TrafficConfig{})
	if err != nil {
		t.Fatal(err)
	}
	owners := []string{"Amazon AWS", "Google", "Microsoft Azure", "Hetzner Online", "OVH", "DigitalOcean", "Linode", "Crawler"}
	at := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	const n = 1 << 20
	var byOwner, byCategory []float64
	for range 15 {
		start := threadCPU()
		for i := range n {
			tr.Count(owners[i&7], at)
		}
		byOwner = append(byOwner, float64(threadCPU()-start)/n)
		start = threadCPU()
		for i := range n {
			tr.CountCategory(ipdb.Category(1+i%5), at)
		}
		byCategory = append(byCategory, float64(threadCPU()-start)/n)
	}
	t.Logf("Traffic.Count: %.1f CPU ns per count, CountCategory: %.1f (medians of 15 rounds of %d)", median(byOwner), median(byCategory), n)
}
