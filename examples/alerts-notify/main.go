// Command alerts-notify is a Nagios (or Icinga 1.x) notification command,
// a drop-in for nagios-herald: it reads the notification from the NAGIOS_*
// (or ICINGA_*) environment the monitoring system sets, picks the context
// formatter (the service's _message_formatter_name custom variable, else
// one by service name, else the base one), and writes the MIME email to
// stdout, or pipes it to a sendmail-compatible command. With -pager it
// prints the short pager text instead.
//
// In Nagios:
//
//	define command {
//	    command_name notify-service-by-email
//	    command_line /usr/local/bin/alerts-notify -from nagios@example.com -to $CONTACTEMAIL$ -sendmail "/usr/sbin/sendmail -t -i"
//	}
//
// To try it on a recorded environment (a nagios-herald fixture):
//
//	go run ./examples/alerts-notify -env examples/alerts-notify/testdata/check_disk.CRITICAL
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/mail"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/craftkit/craftkit/alerts"
)

func main() {
	os.Exit(run(os.Args[1:], os.Environ(), os.Stdout, os.Stderr))
}

const usageText = `Usage: alerts-notify [flags]

Builds the notification email for the Nagios/Icinga notification in the
environment (or in -env FILE, an env dump) and writes it to stdout, or pipes
it to -sendmail.

Flags:
`

// run is main with its inputs and outputs injected; it returns the exit
// code: 0 sent, 1 failed, 2 bad flags.
func run(args, environ []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("alerts-notify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), usageText)
		fs.PrintDefaults()
	}
	envFile := fs.String("env", "", "read the notification environment from this env dump instead of the process environment")
	from := fs.String("from", "nagios@localhost", "From address")
	to := fs.String("to", "", "To addresses, comma-separated (default: NAGIOS_CONTACTEMAIL)")
	sendmail := fs.String("sendmail", "", `pipe the message to this command, e.g. "/usr/sbin/sendmail -t -i" (default: write to stdout)`)
	pager := fs.Int("pager", 0, "print the pager text, cut to this many bytes, instead of the email (0: email)")
	timeout := fs.Duration("timeout", 30*time.Second, "give up on the sendmail command after this long")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "alerts-notify: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if *pager < 0 || *pager > 10000 {
		fmt.Fprintf(stderr, "alerts-notify: -pager %d: want 0 to 10000\n", *pager)
		return 2
	}
	if *timeout <= 0 {
		fmt.Fprintf(stderr, "alerts-notify: -timeout %v: want a positive duration\n", *timeout)
		return 2
	}
	fromAddr, err := mail.ParseAddress(*from)
	if err != nil {
		fmt.Fprintf(stderr, "alerts-notify: -from %q: %v\n", *from, err)
		return 2
	}
	if *envFile != "" {
		f, err := os.Open(*envFile)
		if err != nil {
			fmt.Fprintln(stderr, "alerts-notify:", err)
			return 1
		}
		environ, err = alerts.ReadEnv(f)
		f.Close()
		if err != nil {
			fmt.Fprintf(stderr, "alerts-notify: %s: %v\n", *envFile, err)
			return 1
		}
	}
	n, err := alerts.ParseEnv(environ)
	if err != nil {
		fmt.Fprintln(stderr, "alerts-notify:", err)
		return 1
	}
	m, err := alerts.NewDefaultRegistry().Format(context.Background(), n)
	if err != nil {
		// The base sections are there: send what we have rather than nothing.
		fmt.Fprintln(stderr, "alerts-notify: warning:", err)
	}
	if *pager > 0 {
		fmt.Fprintln(stdout, alerts.RenderPager(m, *pager))
		return 0
	}
	rcpt := *to
	if rcpt == "" {
		rcpt = envValue(environ, "CONTACTEMAIL")
	}
	var toAddrs []mail.Address
	if rcpt != "" {
		list, err := mail.ParseAddressList(rcpt)
		if err != nil {
			fmt.Fprintf(stderr, "alerts-notify: recipients %q: %v\n", rcpt, err)
			return 2
		}
		for _, a := range list {
			toAddrs = append(toAddrs, *a)
		}
	}
	var msg bytes.Buffer
	if err := alerts.RenderMIME(&msg, m, alerts.MailHeader{From: *fromAddr, To: toAddrs}); err != nil {
		fmt.Fprintln(stderr, "alerts-notify:", err)
		return 1
	}
	if *sendmail == "" {
		if _, err := stdout.Write(msg.Bytes()); err != nil {
			fmt.Fprintln(stderr, "alerts-notify:", err)
			return 1
		}
		return 0
	}
	argv := strings.Fields(*sendmail)
	if len(argv) == 0 {
		fmt.Fprintln(stderr, "alerts-notify: -sendmail is empty")
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stdin = &msg
	cmd.Stdout, cmd.Stderr = stderr, stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintf(stderr, "alerts-notify: %s: %v\n", argv[0], err)
		return 1
	}
	return 0
}

// envValue returns NAGIOS_name, or ICINGA_name, from environ.
func envValue(environ []string, name string) string {
	for _, prefix := range []string{"NAGIOS_", "ICINGA_"} {
		for _, kv := range environ {
			if v, ok := strings.CutPrefix(kv, prefix+name+"="); ok && v != "" {
				return v
			}
		}
	}
	return ""
}
