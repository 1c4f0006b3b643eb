package shard

import (
	"errors"
	"strings"
)

// Sentinel errors. Callers branch on them with [errors.Is]; the package
// always returns these values (possibly wrapped), never copies.
var (
	// ErrBothSides reports a change that would take out both sides of a
	// shard, of the index pair or of the ticket servers.
	ErrBothSides = errors.New("shard: both sides of a pair would be disabled")

	// ErrUnknownSide reports a side name that is not in the topology.
	ErrUnknownSide = errors.New("shard: unknown side")

	// ErrTopology reports an invalid topology file; the *TopologyError
	// that wraps it lists every problem.
	ErrTopology = errors.New("shard: invalid topology")

	// ErrSideFile reports a disabled-sides file that is incomplete or
	// malformed.
	ErrSideFile = errors.New("shard: invalid disabled-sides file")

	// ErrNotFound reports an object id the index does not hold.
	ErrNotFound = errors.New("shard: object not found")

	// ErrExists reports an object id the index already holds.
	ErrExists = errors.New("shard: object already exists")

	// ErrNoSide reports that neither side of a pair can take traffic.
	ErrNoSide = errors.New("shard: no enabled side")

	// ErrMoving reports an object whose move has not released it within
	// the router's wait bound.
	ErrMoving = errors.New("shard: object is being moved")

	// ErrTicket reports that no ticket server returned a valid id.
	ErrTicket = errors.New("shard: no ticket id")

	// ErrChecksum reports that the copies of an object differ after a
	// move's delta copy, so its source is kept.
	ErrChecksum = errors.New("shard: checksums differ")

	// ErrLagging reports that the two sides of a shard did not catch up
	// with each other within MoverConfig.CatchUpWait when a move froze
	// an object, so the move did not lock it (the freeze is undone and
	// writes go on; the move can be resumed).
	ErrLagging = errors.New("shard: sides of a pair have not caught up")

	// ErrAborted reports a rebalance stopped by [Runner.Abort].
	ErrAborted = errors.New("shard: rebalance aborted")
)

// A Problem is one defect in a topology: the JSON field it concerns, such
// as "shards[2].b", and what is wrong with it. Problems never contain DSNs.
type Problem struct {
	Field  string
	Reason string
}

// TopologyError lists every problem found in a topology, in file order.
// It wraps [ErrTopology].
type TopologyError struct {
	Problems []Problem
}

func (e *TopologyError) Error() string {
	var b strings.Builder
	b.WriteString("shard: invalid topology: ")
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Field)
		b.WriteString(": ")
		b.WriteString(p.Reason)
	}
	return b.String()
}

// Unwrap returns [ErrTopology].
func (e *TopologyError) Unwrap() error { return ErrTopology }

// SideError reports a rejected change to the disabled sides: the side (or
// pair) concerned and why. It wraps [ErrBothSides] or [ErrUnknownSide].
type SideError struct {
	Side string // a side name, or a pair name for ErrBothSides
	Err  error
}

func (e *SideError) Error() string {
	if e.Err == ErrBothSides {
		return "shard: pair " + quote(e.Side) + ": both sides would be disabled"
	}
	return "shard: side " + quote(e.Side) + ": " + strings.TrimPrefix(e.Err.Error(), "shard: ")
}

// Unwrap returns the sentinel.
func (e *SideError) Unwrap() error { return e.Err }

// quote quotes s for an error message, cutting it to 64 bytes so that a
// hostile file cannot make errors arbitrarily large.
func quote(s string) string {
	const max = 64
	if len(s) > max {
		s = s[:max] + "..."
	}
	return `"` + strings.ToValidUTF8(strings.ReplaceAll(s, `"`, `\"`), "?") + `"`
}
