package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// csrfWindow is the life of one token window; a token is accepted in its
// own window and the next one, so it lives between 12 and 24 hours.
const csrfWindow = 12 * time.Hour

func (h *handler) csrfMAC(user string, window int64) string {
	m := hmac.New(sha256.New, h.opts.CSRFSecret)
	m.Write([]byte("craftkit alerts/web csrf\x00"))
	m.Write([]byte(user))
	m.Write([]byte{0})
	m.Write([]byte(strconv.FormatInt(window, 10)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (h *handler) window() int64 { return h.opts.Now().Unix() / int64(csrfWindow/time.Second) }

// token returns the CSRF token for user now: "<window>.<HMAC>".
func (h *handler) token(user string) string {
	w := h.window()
	return strconv.FormatInt(w, 10) + "." + h.csrfMAC(user, w)
}

// validToken reports whether tok was issued to user in the current or
// the previous window. The MAC is compared in constant time.
func (h *handler) validToken(user, tok string) bool {
	ws, mac, ok := strings.Cut(tok, ".")
	if !ok || len(ws) > 20 || len(mac) > 64 {
		return false
	}
	w, err := strconv.ParseInt(ws, 10, 64)
	if err != nil {
		return false
	}
	now := h.window()
	if w != now && w != now-1 {
		return false
	}
	return hmac.Equal([]byte(mac), []byte(h.csrfMAC(user, w)))
}
