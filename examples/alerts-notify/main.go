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
	"fmt"
	"io"
	"net/mail"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/craftkit/craftkit/alerts"
	"github.com/craftkit/craftkit/examples/internal/cli"
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
	fs := cli.NewFlagSet("alerts-notify", stderr, usageText)
	envFile := fs.String("env", "", "read the notification environment from this env dump instead of the process environment")
	from := fs.String("from", "nagios@localhost", "From address")
	to := fs.String("to", "", "To addresses, comma-separated (default: NAGIOS_CONTACTEMAIL)")
	sendmail := fs.String("sendmail", "", `pipe the message to this command, e.g. "/usr/sbin/sendmail -t -i" (default: write to stdout)`)
	pager := fs.Int("pager", 0, "print the pager text, cut to this many bytes, instead of the email (0: email)")
	timeout := fs.Duration("timeout", 30*time.Second, "give up on the sendmail command after this long")
	if err := fs.Parse(args); err != nil {
		return cli.ParseStatus(err)
	}
	prog := cli.Program{Name: "alerts-notify", Stderr: stderr}
	if fs.NArg() > 0 {
		return prog.UsageError(fmt.Errorf("unexpected argument %q", fs.Arg(0)))
	}
	if *pager < 0 || *pager > 10000 {
		return prog.UsageError(fmt.Errorf("-pager %d: want 0 to 10000", *pager))
	}
	if *timeout <= 0 {
		return prog.UsageError(fmt.Errorf("-timeout %v: want a positive duration", *timeout))
	}
	fromAddr, err := mail.ParseAddress(*from)
	if err != nil {
		return prog.UsageError(fmt.Errorf("-from %q: %w", *from, err))
	}
	if *envFile != "" {
		f, err := os.Open(*envFile)
		if err != nil {
			return prog.Exit(err)
		}
		environ, err = alerts.ReadEnv(f)
		f.Close()
		if err != nil {
			return prog.Exit(fmt.Errorf("%s: %w", *envFile, err))
		}
	}
	n, err := alerts.ParseEnv(environ)
	if err != nil {
		return prog.Exit(err)
	}
	m, err := alerts.NewDefaultRegistry().Format(context.Background(), n)
	if err != nil {
		// The base sections are there: send what we have rather than nothing.
		prog.Print(fmt.Errorf("warning: %w", err))
	}
	if *pager > 0 {
		fmt.Fprintln(stdout, alerts.RenderPager(m, *pager))
		return cli.StatusOK
	}
	rcpt := *to
	if rcpt == "" {
		rcpt = envValue(environ, "CONTACTEMAIL")
	}
	var toAddrs []mail.Address
	if rcpt != "" {
		list, err := mail.ParseAddressList(rcpt)
		if err != nil {
			return prog.UsageError(fmt.Errorf("recipients %q: %w", rcpt, err))
		}
		for _, a := range list {
			toAddrs = append(toAddrs, *a)
		}
	}
	var msg bytes.Buffer
	if err := alerts.RenderMIME(&msg, m, alerts.MailHeader{From: *fromAddr, To: toAddrs}); err != nil {
		return prog.Exit(err)
	}
	if *sendmail == "" {
		_, err := stdout.Write(msg.Bytes())
		return prog.Exit(err)
	}
	argv := strings.Fields(*sendmail)
	if len(argv) == 0 {
		return prog.UsageError(errors.New("-sendmail is empty"))
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Stdin = &msg
	cmd.Stdout, cmd.Stderr = stderr, stderr
	if err := cmd.Run(); err != nil {
		return prog.Exit(fmt.Errorf("%s: %w", argv[0], err))
	}
	return cli.StatusOK
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
