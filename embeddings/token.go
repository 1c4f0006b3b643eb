package embeddings

import (
	"strings"
)

// queryPrefix is the type prefix of search-query tokens.
const queryPrefix = "query:"

// QueryToken returns the token of a search query of one or more words, in
// the form the session format and the vector files can carry: "query:"
// followed by the words joined by '_'. For example
//
//	QueryToken("orologio da polso") == "query:orologio_da_polso"
//	QueryToken("50% off | t_shirt") == "query:50%25_off_%7C_t%5Fshirt"
//
// Words are the text's runs of non-space characters (Unicode white space
// separates them; leading, trailing and repeated spaces vanish). Inside a
// word, the bytes that the session syntax or the escaping itself would
// read ('%', '_', '|', ',', '@', '=') and ASCII control characters are
// written as '%' and two upper-case hexadecimal digits; every other byte,
// UTF-8 included, is kept. The token therefore contains no white space,
// is read back unchanged as a session token, a purchase or a skipped
// token by [ParseSession] (with or without markers) and by the vector
// file readers, and [QueryText] recovers the words. Case is kept:
// normalise the text first if the corpus does. An empty or all-space
// text gives "query:".
func QueryToken(text string) string {
	var b strings.Builder
	b.Grow(len(queryPrefix) + len(text))
	b.WriteString(queryPrefix)
	for i, w := range strings.Fields(text) {
		if i > 0 {
			b.WriteByte('_')
		}
		for j := 0; j < len(w); j++ {
			c := w[j]
			if escaped(c) {
				const hex = "0123456789ABCDEF"
				b.WriteByte('%')
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&15])
				continue
			}
			b.WriteByte(c)
		}
	}
	return b.String()
}

// escaped reports whether QueryToken writes c as %XX.
func escaped(c byte) bool {
	switch c {
	case '%', '_', '|', ',', '@', '=':
		return true
	}
	return c < 0x20 || c == 0x7f
}

// QueryText returns the words of a token built by [QueryToken], separated
// by single spaces, and true; or "" and false when token does not start
// with "query:" or holds a '%' not followed by two hexadecimal digits.
// QueryText(QueryToken(s)) equals strings.Join(strings.Fields(s), " ").
func QueryText(token string) (string, bool) {
	rest, ok := strings.CutPrefix(token, queryPrefix)
	if !ok {
		return "", false
	}
	var b strings.Builder
	b.Grow(len(rest))
	for i := 0; i < len(rest); i++ {
		switch c := rest[i]; c {
		case '_':
			b.WriteByte(' ')
		case '%':
			if i+2 >= len(rest) {
				return "", false
			}
			hi, ok1 := unhex(rest[i+1])
			lo, ok2 := unhex(rest[i+2])
			if !ok1 || !ok2 {
				return "", false
			}
			b.WriteByte(hi<<4 | lo)
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
