package alerts

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"net/textproto"
	"strings"
	"time"
	"unicode/utf8"
)

// RenderText writes m as plain text: the subject, then each block with
// its lines, table (breaching rows marked "!!" critical, "! " warning)
// and links; charts appear as their alt text.
func RenderText(w io.Writer, m *Message) error {
	var b strings.Builder
	b.WriteString(m.Subject + "\n")
	for _, bl := range m.Blocks {
		b.WriteString("\n== " + bl.Title + " ==\n")
		for _, l := range bl.Lines {
			b.WriteString(l + "\n")
		}
		if bl.Table != nil {
			writeTextTable(&b, bl.Table)
		}
		for _, c := range bl.Charts {
			b.WriteString("[chart: " + c.Alt + "]\n")
		}
		for _, l := range bl.Links {
			b.WriteString(l.Text + ": " + l.URL + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeTextTable(b *strings.Builder, t *Table) {
	width := make([]int, len(t.Header))
	for i, h := range t.Header {
		width[i] = utf8.RuneCountInString(h)
	}
	for _, r := range t.Rows {
		for i, c := range r.Cells {
			if i < len(width) {
				width[i] = max(width[i], utf8.RuneCountInString(c))
			}
		}
	}
	line := func(mark string, cells []string) {
		b.WriteString(mark)
		for i, c := range cells {
			if i >= len(width) {
				break
			}
			b.WriteString(c)
			if i < len(cells)-1 {
				b.WriteString(strings.Repeat(" ", width[i]-utf8.RuneCountInString(c)+2))
			}
		}
		b.WriteString("\n")
	}
	line("   ", t.Header)
	for _, r := range t.Rows {
		mark := "   "
		switch r.Level {
		case LevelCritical:
			mark = "!! "
		case LevelWarning:
			mark = "!  "
		}
		line(mark, r.Cells)
	}
}

// RenderPager returns short pager text of at most limit bytes (cut on a
// rune boundary, "…" marking a cut; limit below 4 is raised to 4).
func RenderPager(m *Message, limit int) string {
	limit = max(limit, 4)
	s := strings.Join(strings.Fields(m.Short), " ")
	if len(s) <= limit {
		return s
	}
	cut := limit - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strings.TrimRight(s[:cut], " ") + "…"
}

// HTMLOptions tunes [RenderHTML]. Nil means charts as data: URLs.
type HTMLOptions struct {
	// CID makes charts <img src="cid:ID"> references, for MIME email.
	CID bool
}

const htmlTemplate = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{.Subject}}</title>
<style>body{font-family:sans-serif;font-size:14px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}
tr.critical td{background:#ffcdd2;font-weight:bold}tr.warning td{background:#fff9c4}pre{background:#f5f5f5;padding:6px;white-space:pre-wrap}</style>
</head><body>
<h2>{{.Subject}}</h2>
{{range .Blocks}}<h3>{{.Title}}</h3>
{{if .Lines}}<pre>{{range .Lines}}{{.}}
{{end}}</pre>{{end}}
{{with .Table}}<table><tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr>
{{range .Rows}}<tr class="{{.Level}}">{{range .Cells}}<td>{{.}}</td>{{end}}</tr>
{{end}}</table>{{end}}
{{range .Charts}}<p><img src="{{.Src}}" alt="{{.Alt}}"></p>
{{end}}{{range .Links}}<p><a href="{{.URL}}">{{.Text}}</a></p>
{{end}}{{end}}</body></html>
`

type htmlChart struct {
	Alt string
	Src template.URL
}

type htmlBlock struct {
	Title  string
	Lines  []string
	Table  *Table
	Charts []htmlChart
	Links  []Link
}

// RenderHTML writes m as an HTML document through html/template: every
// string from the notification (output, host, notes, labels, links) is
// escaped for its context; a link whose URL is not http(s) or mailto is
// replaced by "#ZgotmplZ" (html/template's marker for unsafe URLs).
// Charts become <img> elements with base64 data: URLs (or, with
// [HTMLOptions].CID, cid: references to MIME parts); an SVG shown as an
// image runs no script.
func RenderHTML(w io.Writer, m *Message, opts *HTMLOptions) error {
	t, err := template.New("msg").Parse(htmlTemplate)
	if err != nil {
		return fmt.Errorf("alerts: html template: %w", err)
	}
	cid := opts != nil && opts.CID
	data := struct {
		Subject string
		CID     bool
		Blocks  []htmlBlock
	}{Subject: m.Subject, CID: cid}
	for _, b := range m.Blocks {
		hb := htmlBlock{Title: b.Title, Lines: b.Lines, Table: b.Table, Links: b.Links}
		for _, c := range b.Charts {
			// An SVG in an <img> runs no script, whoever built it; the
			// data: URL is base64, so no byte of it can leave the attribute.
			src := "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString(c.SVG)
			if cid {
				src = "cid:" + contentID(c.ID)
			}
			hc := htmlChart{Alt: c.Alt, Src: template.URL(src)}
			hb.Charts = append(hb.Charts, hc)
		}
		data.Blocks = append(data.Blocks, hb)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		return fmt.Errorf("alerts: html: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// contentID makes a chart ID safe for a Content-ID.
func contentID(id string) string {
	var b strings.Builder
	for _, r := range id {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			b.WriteRune(r)
		}
	}
	s := b.String()
	if s == "" {
		sum := sha256.Sum256([]byte(id))
		s = hex.EncodeToString(sum[:6])
	}
	return s + "@alerts"
}

// MailHeader is the envelope of a MIME message.
type MailHeader struct {
	From      mail.Address
	To        []mail.Address
	Date      time.Time
	MessageID string // without angle brackets; empty derives one from the notification ID
}

// RenderMIME writes m as a MIME email: multipart/related holding a
// multipart/alternative (text/plain and text/html) and one image/svg+xml
// part per chart, referenced from the HTML by cid:. Header values are
// encoded (RFC 2047) so no notification text can inject headers; the
// output parses with net/mail and mime/multipart. Boundaries are
// derived from the content, so the bytes are deterministic.
func RenderMIME(w io.Writer, m *Message, h MailHeader) error {
	var text, html bytes.Buffer
	if err := RenderText(&text, m); err != nil {
		return err
	}
	if err := RenderHTML(&html, m, &HTMLOptions{CID: true}); err != nil {
		return err
	}
	sum := sha256.Sum256(append(text.Bytes(), html.Bytes()...))
	seed := hex.EncodeToString(sum[:12])

	var body bytes.Buffer
	rel := multipart.NewWriter(&body)
	if err := rel.SetBoundary("rel-" + seed); err != nil {
		return err
	}
	var alt bytes.Buffer
	aw := multipart.NewWriter(&alt)
	if err := aw.SetBoundary("alt-" + seed); err != nil {
		return err
	}
	for _, p := range []struct {
		ctype string
		data  []byte
	}{{"text/plain; charset=utf-8", text.Bytes()}, {"text/html; charset=utf-8", html.Bytes()}} {
		pw, err := aw.CreatePart(textproto.MIMEHeader{"Content-Type": {p.ctype}, "Content-Transfer-Encoding": {"base64"}})
		if err != nil {
			return err
		}
		if err := writeBase64(pw, p.data); err != nil {
			return err
		}
	}
	if err := aw.Close(); err != nil {
		return err
	}
	pw, err := rel.CreatePart(textproto.MIMEHeader{"Content-Type": {"multipart/alternative; boundary=" + aw.Boundary()}})
	if err != nil {
		return err
	}
	if _, err := pw.Write(alt.Bytes()); err != nil {
		return err
	}
	for _, b := range m.Blocks {
		for _, c := range b.Charts {
			pw, err := rel.CreatePart(textproto.MIMEHeader{
				"Content-Type":              {"image/svg+xml"},
				"Content-Transfer-Encoding": {"base64"},
				"Content-ID":                {"<" + contentID(c.ID) + ">"},
				"Content-Disposition":       {"inline; filename=" + mime.QEncoding.Encode("utf-8", strings.TrimSuffix(contentID(c.ID), "@alerts"))},
			})
			if err != nil {
				return err
			}
			if err := writeBase64(pw, c.SVG); err != nil {
				return err
			}
		}
	}
	if err := rel.Close(); err != nil {
		return err
	}

	var hdr bytes.Buffer
	date := h.Date
	if date.IsZero() {
		date = m.Notification.Time
	}
	msgID := h.MessageID
	if msgID == "" {
		msgID = m.Notification.ID() + "." + seed[:8] + "@alerts"
	}
	to := make([]string, len(h.To))
	for i := range h.To {
		to[i] = oneLine(h.To[i].String())
	}
	fmt.Fprintf(&hdr, "From: %s\r\n", oneLine(h.From.String()))
	if len(to) > 0 {
		fmt.Fprintf(&hdr, "To: %s\r\n", strings.Join(to, ", "))
	}
	fmt.Fprintf(&hdr, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", oneLine(m.Subject)))
	fmt.Fprintf(&hdr, "Date: %s\r\n", date.Format(time.RFC1123Z))
	fmt.Fprintf(&hdr, "Message-ID: <%s>\r\n", oneLine(msgID))
	fmt.Fprintf(&hdr, "MIME-Version: 1.0\r\n")
	fmt.Fprintf(&hdr, "Content-Type: multipart/related; type=\"multipart/alternative\"; boundary=%s\r\n\r\n", rel.Boundary())
	if _, err := w.Write(hdr.Bytes()); err != nil {
		return err
	}
	_, err = w.Write(body.Bytes())
	return err
}

func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\r' || r == '\n' {
			return ' '
		}
		return r
	}, s)
}

// writeBase64 writes data base64-encoded in 76-column lines.
func writeBase64(w io.Writer, data []byte) error {
	enc := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	_, err := io.WriteString(w, b.String())
	return err
}
