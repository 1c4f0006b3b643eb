package cli_test

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/craftkit/craftkit/examples/internal/cli"
)

// run is a program's main with its arguments and outputs injected: it
// returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	fs := cli.NewFlagSet("tool", stderr, "Usage: tool [flags]\n\nCounts to n.\n\nFlags:\n")
	n := fs.Int("n", 3, "where to count to, 1 to 9")
	if err := fs.Parse(args); err != nil {
		return cli.ParseStatus(err) // the flag set has printed it, with the usage
	}
	prog := cli.Program{Name: "tool", Stderr: stderr, Hint: "Run 'tool -h' for usage."}
	if *n < 1 || *n > 9 {
		return prog.UsageError(fmt.Errorf("-n %d: want 1 to 9", *n))
	}
	return prog.Exit(count(stdout, *n))
}

func count(w io.Writer, n int) error {
	for i := 1; i <= n; i++ {
		if i > 1 {
			fmt.Fprint(w, " ")
		}
		fmt.Fprint(w, i)
	}
	fmt.Fprintln(w)
	if n == 9 {
		return errors.New("nine is too far")
	}
	return nil
}

func ExampleProgram() {
	for _, args := range [][]string{{"-n", "4"}, {"-n", "0"}, {"-n", "9"}, {"-h"}} {
		status := run(args, os.Stdout, os.Stdout)
		fmt.Println("exit status", status)
	}
	// Output:
	// 1 2 3 4
	// exit status 0
	// tool: -n 0: want 1 to 9
	// Run 'tool -h' for usage.
	// exit status 2
	// 1 2 3 4 5 6 7 8 9
	// tool: nine is too far
	// exit status 1
	// Usage: tool [flags]
	//
	// Counts to n.
	//
	// Flags:
	//   -n int
	//     	where to count to, 1 to 9 (default 3)
	// exit status 0
}
