// Package cli is the command-line plumbing the example programs under
// examples/ share, so that each of them can spend its lines on the
// package it demonstrates:
//
//   - exit statuses ([StatusOK], [StatusError], [StatusUsage]);
//   - flag sets that print their usage on -h ([NewFlagSet], [ParseQuiet],
//     [ParseStatus]);
//   - error messages that name the program once ([Program]);
//   - progress lines for work that runs longer than a tick ([Every],
//     [Progress]);
//   - a file named by a flag, or a temporary one ([FileOrTemp]).
//
// Start here: build a flag set with NewFlagSet, parse it, and turn
// what can go wrong into an exit status with a Program:
//
//	fs := cli.NewFlagSet("tool", stderr, "Usage: tool [flags]\n\nFlags:\n")
//	n := fs.Int("n", 10, "items")
//	if err := fs.Parse(args); err != nil {
//		return cli.ParseStatus(err)
//	}
//	prog := cli.Program{Name: "tool", Stderr: stderr}
//	return prog.Exit(work(stdout, *n))
//
// The package holds no state: every writer, name and clock tick is given
// by the caller. A [Progress] is safe for concurrent use; the other values
// are read-only once built.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Exit statuses of the example programs.
const (
	StatusOK    = 0 // the work is done, or -h printed the usage
	StatusError = 1 // the work failed
	StatusUsage = 2 // bad flags, arguments or flag values
)

// NewFlagSet returns an empty flag set for the program name that writes
// to w. Parsing stops at the first error, which it writes to w followed by
// the usage: the text usage, then the flags' defaults. -h, -help and
// --help write the usage alone, and Parse returns [flag.ErrHelp].
func NewFlagSet(name string, w io.Writer, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(w)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usage)
		fs.PrintDefaults()
	}
	return fs
}

// ParseQuiet parses args with fs, writing nothing on an error: the error
// is returned for the caller to report once, with a hint on how to get
// help (see [Program.UsageError]). On -h, -help or --help it still calls
// fs.Usage and returns [flag.ErrHelp].
func ParseQuiet(fs *flag.FlagSet, args []string) error {
	out, usage := fs.Output(), fs.Usage
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.SetOutput(out)
	fs.Usage = usage
	if errors.Is(err, flag.ErrHelp) {
		fs.Usage()
	}
	return err
}

// ParseStatus returns the exit status for err, a non-nil error from the
// Parse method of a flag set that has reported it already (one from
// [NewFlagSet]): [StatusOK] for [flag.ErrHelp], whose usage is printed,
// and [StatusUsage] for anything else.
func ParseStatus(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return StatusOK
	}
	return StatusUsage
}

// Program reports a program's errors on its standard error. Every message
// starts with the program's name, once: an error whose text already
// starts with "name: " (one made by the package the program is named
// after) is written as it is.
//
// The zero Program writes to nowhere; set at least Stderr.
type Program struct {
	Name   string    // the program's name, the prefix of its messages
	Stderr io.Writer // where messages go

	// Hint, when not empty, is a line written after the message of a
	// usage error, such as "Run 'tool -h' for usage.".
	Hint string
	// Usage, when not nil, is called after the message and hint of a
	// usage error, typically to print the whole usage (a flag set's
	// Usage method).
	Usage func()
}

// Print writes err on its own line, prefixed with the program's name.
func (p Program) Print(err error) {
	if p.Stderr == nil {
		return
	}
	msg := err.Error()
	if p.Name != "" && !strings.HasPrefix(msg, p.Name+": ") {
		msg = p.Name + ": " + msg
	}
	fmt.Fprintln(p.Stderr, msg)
}

// Exit returns the exit status for err, the outcome of the program's
// work: [StatusOK] for nil; otherwise it prints err and returns
// [StatusError].
func (p Program) Exit(err error) int {
	if err == nil {
		return StatusOK
	}
	p.Print(err)
	return StatusError
}

// UsageError returns the exit status for err, a bad command line:
// [StatusOK] for nil and for [flag.ErrHelp] (the usage has been printed);
// otherwise it prints err, then the hint and the usage if the Program has
// them, and returns [StatusUsage].
func (p Program) UsageError(err error) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return StatusOK
	}
	p.Print(err)
	if p.Hint != "" && p.Stderr != nil {
		fmt.Fprintln(p.Stderr, p.Hint)
	}
	if p.Usage != nil {
		p.Usage()
	}
	return StatusUsage
}
