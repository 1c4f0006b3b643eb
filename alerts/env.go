package alerts

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// MaxEnvBytes bounds the environment [ReadEnv] accepts (1 MiB).
const MaxEnvBytes = 1 << 20

// ReadEnv reads an environment dump as `env` prints it (one KEY=VALUE a
// line; the value is everything after the first '=') and returns it in
// the form of [os.Environ]. Lines without '=' continue the previous value
// (a real newline inside a value). At most [MaxEnvBytes] are read.
func ReadEnv(r io.Reader) ([]string, error) {
	sc := bufio.NewScanner(io.LimitReader(r, MaxEnvBytes+1))
	sc.Buffer(make([]byte, 0, 64<<10), MaxEnvBytes+1)
	var out []string
	total := 0
	for sc.Scan() {
		line := sc.Text()
		total += len(line) + 1
		if total > MaxEnvBytes {
			return nil, fmt.Errorf("%w: environment over %d bytes", ErrTooLong, MaxEnvBytes)
		}
		if !strings.Contains(line, "=") && len(out) > 0 {
			out[len(out)-1] += "\n" + line
			continue
		}
		out = append(out, line)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("alerts: reading environment: %w", err)
	}
	return out, nil
}

// ParseEnv builds the notification a Nagios or Icinga 1.x notification
// command was started for from its environment (os.Environ() in the
// command). Macros are read with the NAGIOS_ prefix, or ICINGA_ when no
// NAGIOS_NOTIFICATIONTYPE is set, so an Icinga 1 environment yields the
// same notification as its Nagios twin. (Icinga 2 exports no macros;
// its notification commands pass them as arguments or variables of the
// user's choosing: map them into NAGIOS_ names to use ParseEnv.)
//
// Service custom variables (NAGIOS__SERVICEX) become labels "_x", host
// custom variables (NAGIOS__HOSTX) labels "_host_x", lower-cased, so the
// service variable _message_formatter_name is the label
// "_message_formatter_name". LONGSERVICEOUTPUT's literal "\n" sequences
// become newlines.
func ParseEnv(environ []string) (Notification, error) {
	vars := make(map[string]string, len(environ))
	for _, kv := range environ {
		k, v, ok := strings.Cut(kv, "=")
		if ok {
			vars[k] = v
		}
	}
	prefix := "NAGIOS_"
	if _, ok := vars["NAGIOS_NOTIFICATIONTYPE"]; !ok {
		if _, ok := vars["ICINGA_NOTIFICATIONTYPE"]; ok {
			prefix = "ICINGA_"
		}
	}
	get := func(name string) string { return vars[prefix+name] }
	var n Notification
	n.Source = SourceEnv
	typ := get("NOTIFICATIONTYPE")
	if typ == "" {
		return n, &FieldError{Field: prefix + "NOTIFICATIONTYPE", Err: ErrMissing}
	}
	t, ok := ParseType(typ)
	if !ok {
		return n, &FieldError{Field: prefix + "NOTIFICATIONTYPE", Value: typ, Err: ErrUnknownType}
	}
	n.Type = t
	n.Host = get("HOSTNAME")
	if n.Host == "" {
		return n, &FieldError{Field: prefix + "HOSTNAME", Err: ErrMissing}
	}
	n.Contact = get("CONTACTNAME")
	n.Service = get("SERVICEDESC")
	if ts := get("TIMET"); ts != "" {
		sec, err := strconv.ParseInt(ts, 10, 64)
		if err != nil || sec < 0 || sec > 1<<40 {
			return n, &FieldError{Field: prefix + "TIMET", Value: ts, Err: ErrSyntax}
		}
		n.Time = time.Unix(sec, 0).UTC()
	} else {
		return n, &FieldError{Field: prefix + "TIMET", Err: ErrMissing}
	}
	kind := "HOST"
	if n.Service != "" {
		kind = "SERVICE"
	}
	n.State = get(kind + "STATE")
	if n.State == "" {
		return n, &FieldError{Field: prefix + kind + "STATE", Err: ErrMissing}
	}
	n.Output = get(kind + "OUTPUT")
	n.LongOutput = strings.ReplaceAll(get("LONG"+kind+"OUTPUT"), `\n`, "\n")
	n.Perfdata = get(kind + "PERFDATA")
	n.URL = get(kind + "ACTIONURL")
	if n.URL == "" {
		n.URL = get(kind + "NOTESURL")
	}
	n.Author, n.Comment = get("NOTIFICATIONAUTHOR"), get("NOTIFICATIONCOMMENT")
	if n.Type == Acknowledgement {
		if n.Author == "" {
			n.Author = get(kind + "ACKAUTHOR")
		}
		if n.Comment == "" {
			n.Comment = get(kind + "ACKCOMMENT")
		}
	}
	for k, v := range vars {
		rest, ok := strings.CutPrefix(k, prefix+"_")
		if !ok {
			continue
		}
		var label string
		switch {
		case strings.HasPrefix(rest, "SERVICE"):
			label = "_" + strings.ToLower(rest[len("SERVICE"):])
		case strings.HasPrefix(rest, "HOST"):
			label = "_host_" + strings.ToLower(rest[len("HOST"):])
		default:
			continue
		}
		if n.Labels == nil {
			n.Labels = make(map[string]string)
		}
		n.Labels[label] = v
	}
	return n, nil
}
