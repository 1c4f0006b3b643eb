package shard

import "strings"

// RedactDSN returns dsn with its password replaced by "xxxxx", for the
// rare place where a caller must show a DSN. It understands the MySQL
// driver form "user:password@protocol(address)/db?params", URL forms
// "scheme://user:password@host/db", and "password=" parameters. The
// package itself never prints DSNs, redacted or not.
func RedactDSN(dsn string) string {
	const mask = "xxxxx"
	rest := dsn
	prefix := ""
	if i := strings.Index(rest, "://"); i >= 0 {
		prefix, rest = rest[:i+3], rest[i+3:]
	}
	// The MySQL driver splits at the last '@' before the last '/'.
	end := len(rest)
	if i := strings.LastIndexByte(rest, '/'); i >= 0 && strings.LastIndexByte(rest[:i], '@') >= 0 {
		end = i
	}
	if at := strings.LastIndexByte(rest[:end], '@'); at >= 0 {
		if colon := strings.IndexByte(rest[:at], ':'); colon >= 0 {
			rest = rest[:colon+1] + mask + rest[at:]
		}
	}
	out := prefix + rest
	// password=... parameters (query strings and key=value DSNs).
	for _, key := range []string{"password=", "passwd=", "pwd="} {
		lower := strings.ToLower(out)
		from := 0
		for {
			i := strings.Index(lower[from:], key)
			if i < 0 {
				break
			}
			i += from + len(key)
			j := i
			for j < len(out) && out[j] != '&' && out[j] != ' ' && out[j] != ';' {
				j++
			}
			out = out[:i] + mask + out[j:]
			lower = strings.ToLower(out)
			from = i + len(mask)
		}
	}
	return out
}

// passwordOf returns the password part of a DSN, or "".
func passwordOf(dsn string) string {
	red := RedactDSN(dsn)
	// The password is what RedactDSN replaced: find the first
	// difference and the common suffix.
	i := 0
	for i < len(dsn) && i < len(red) && dsn[i] == red[i] {
		i++
	}
	j, k := len(dsn), len(red)
	for j > i && k > i && dsn[j-1] == red[k-1] {
		j--
		k--
	}
	return dsn[i:j]
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if sub != "" && strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// replaceSecret replaces dsn with its redacted form in msg, then any
// remaining copy of its password.
func replaceSecret(msg, dsn, red string) string {
	msg = strings.ReplaceAll(msg, dsn, red)
	if pw := passwordOf(dsn); pw != "" {
		msg = strings.ReplaceAll(msg, pw, "xxxxx")
	}
	return msg
}
