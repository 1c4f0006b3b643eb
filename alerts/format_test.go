package alerts_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/craftkit/craftkit/alerts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func envNotification(t *testing.T, name string) alerts.Notification {
	t.Helper()
	n, err := alerts.ParseEnv(readEnvFile(t, name))
	require.NoError(t, err)
	return n
}

// TestFormatGolden renders every fixture in every form.
func TestFormatGolden(t *testing.T) {
	reg := alerts.NewDefaultRegistry()
	for _, name := range envFixtures {
		t.Run(name, func(t *testing.T) {
			n := envNotification(t, name)
			m, err := reg.Format(context.Background(), n)
			require.NoError(t, err)
			var text, html, mimeOut bytes.Buffer
			require.NoError(t, alerts.RenderText(&text, m))
			require.NoError(t, alerts.RenderHTML(&html, m, nil))
			require.NoError(t, alerts.RenderMIME(&mimeOut, m, alerts.MailHeader{From: mail.Address{Name: "Nagios", Address: "nagios@example.com"}, To: []mail.Address{{Address: "ops@example.com"}}}))
			checkGolden(t, name+".txt", text.Bytes())
			checkGolden(t, name+".html", html.Bytes())
			checkGolden(t, name+".eml", mimeOut.Bytes())
			checkGolden(t, name+".pager", []byte(alerts.RenderPager(m, 160)+"\n"))
			checkMIME(t, mimeOut.Bytes(), m)
			checkHTML(t, html.Bytes())
		})
	}
}

func TestDiskFormatter(t *testing.T) {
	n := envNotification(t, "check_disk.CRITICAL")
	vs, err := alerts.DiskVolumes(n.Perfdata)
	require.NoError(t, err)
	var mounts []string
	for _, v := range vs {
		mounts = append(mounts, v.Mount)
	}
	assert.Equal(t, []string{"/", "/data", "/dev/shm"}, mounts, "fullest first: 78%, 73%, 3%")
	rows := alerts.ParseDF(n.LongOutput)
	require.Len(t, rows, 2)
	assert.Equal(t, alerts.LevelCritical, rows[0].Level, "82% used = 18% free < 20% critical")
	assert.Equal(t, alerts.LevelOK, rows[1].Level)
	wrapped := envNotification(t, "nagios_vars.EXAMPLE")
	rows = alerts.ParseDF(wrapped.LongOutput)
	require.Len(t, rows, 3)
	assert.Equal(t, "nfs.example.example.com:/mnt/user/homes", rows[2].Filesystem, "wrapped df row joined")
	assert.Equal(t, "/data", rows[2].Mount)
	assert.Equal(t, 74, rows[2].UsePct)

	base := n.Time.Add(-24 * time.Hour)
	hist := func(_ context.Context, host, mount string) ([]alerts.Point, error) {
		var ps []alerts.Point
		for h := 0; h <= 24; h++ {
			v := 30000.0 + 50*float64(h) // gradual
			if mount == "/data" {
				v = 40000000
				if h >= 23 {
					v += 4000000 * float64(h-22) // sudden: all growth in the last 2 h
				}
			}
			if mount == "/dev/shm" {
				return nil, errors.New("no data")
			}
			ps = append(ps, alerts.Point{Time: base.Add(time.Duration(h) * time.Hour), Value: v})
		}
		return ps, nil
	}
	m := &alerts.Message{}
	require.NoError(t, (&alerts.DiskFormatter{History: hist}).Format(context.Background(), n, m))
	lines := strings.Join(m.Blocks[0].Lines, "\n")
	assert.Contains(t, lines, "/: +1200MB over the window (gradual, 50MB/h), full in about 182h23m0s", "(40319-31200)/50 h")
	assert.Contains(t, lines, "/data: +8000000MB over the window (sudden")
	assert.Contains(t, lines, "/dev/shm: history unavailable")
}

func TestAnalyzeGrowth(t *testing.T) {
	t0 := time.Unix(0, 0)
	var pts []alerts.Point
	for i := range 11 {
		pts = append(pts, alerts.Point{Time: t0.Add(time.Duration(i) * time.Hour), Value: float64(10 * i)})
	}
	g, ok := alerts.AnalyzeGrowth(pts, 200)
	require.True(t, ok)
	assert.InDelta(t, 10, g.PerHour, 1e-9)
	assert.False(t, g.Sudden)
	assert.Equal(t, 10*time.Hour, g.TimeToFull)
	pts[10].Value = 1000
	g, _ = alerts.AnalyzeGrowth(pts, 1910)
	assert.True(t, g.Sudden)
	assert.Equal(t, time.Hour, g.TimeToFull, "sudden growth projects at the recent rate: 910/h from 1000")
	_, ok = alerts.AnalyzeGrowth(pts[:1], 100)
	assert.False(t, ok)
	g, _ = alerts.AnalyzeGrowth([]alerts.Point{{t0, 5}, {t0.Add(time.Hour), 4}}, 10)
	assert.Zero(t, g.TimeToFull, "shrinking never fills")
}

func TestRegistrySelection(t *testing.T) {
	ctx := context.Background()
	reg := alerts.NewDefaultRegistry()
	var called []string
	reg.Register("check_elasticsearch", alerts.FormatterFunc(func(_ context.Context, n alerts.Notification, m *alerts.Message) error {
		called = append(called, "es")
		return nil
	}))
	n := envNotification(t, "check_elasticsearch.RECOVERY")
	name, ok := reg.Choose(n)
	assert.Equal(t, "check_elasticsearch", name)
	assert.True(t, ok)
	_, err := reg.Format(ctx, n)
	require.NoError(t, err)
	assert.Equal(t, []string{"es"}, called)

	n.Labels[alerts.FormatterLabel] = "no_such_formatter"
	name, ok = reg.Choose(n)
	assert.Equal(t, "no_such_formatter", name)
	assert.False(t, ok)
	m, err := reg.Format(ctx, n)
	require.NoError(t, err, "unknown formatter falls back to the base one")
	assert.NotEmpty(t, m.Subject)

	d := envNotification(t, "check_disk.CRITICAL")
	name, _ = reg.Choose(d)
	assert.Equal(t, "check_disk", name, "by service name")

	reg.Register("boom", alerts.FormatterFunc(func(context.Context, alerts.Notification, *alerts.Message) error { return errors.New("bad") }))
	reg.Extra = []string{"boom"}
	_, err = reg.Format(ctx, d)
	assert.ErrorContains(t, err, "formatter boom")
}

// TestEveryTypeFormats: nagios-herald failed on DOWNTIME, CUSTOM and
// FLAPPINGDISABLED; every type must render in every form.
func TestEveryTypeFormats(t *testing.T) {
	reg := alerts.NewDefaultRegistry()
	var subjects []string
	for _, typ := range alerts.Types() {
		for _, name := range []string{"check_disk.CRITICAL", "check_cpu_idle.CRITICAL", "check_memory.CRITICAL"} {
			n := envNotification(t, name)
			n.Type = typ
			n.Author, n.Comment = "ann", "looking"
			m, err := reg.Format(context.Background(), n)
			require.NoError(t, err)
			assert.Contains(t, m.Subject, typ.String())
			var buf bytes.Buffer
			require.NoError(t, alerts.RenderMIME(&buf, m, alerts.MailHeader{}))
			checkMIME(t, buf.Bytes(), m)
			if name == "check_disk.CRITICAL" {
				subjects = append(subjects, m.Subject)
			}
		}
	}
	checkGolden(t, "subjects.txt", []byte(strings.Join(subjects, "\n")+"\n"))
}

const hostile = `<script>alert(1)</script>"'><img src=x onerror=alert(2)>`

func TestHTMLEscapesEverything(t *testing.T) {
	n := alerts.Notification{Time: time.Unix(1e9, 0), Host: hostile, Service: hostile, State: "CRITICAL", Type: alerts.Acknowledgement,
		Output: hostile, LongOutput: hostile + "\nFilesystem Size Used Avail Use% Mounted on\n/dev/x 1G 1G 0 100% " + hostile,
		Perfdata: "'" + strings.ReplaceAll(hostile, "'", "") + "'=90MB;80;85;0;100", Author: hostile, Comment: hostile, URL: "javascript:alert(3)",
		Labels: map[string]string{alerts.FormatterLabel: "check_disk"}}
	snapNote := alerts.NewSnapshot([]alerts.Record{{Notification: &n}, {Classification: &alerts.Classification{NotificationID: n.ID(), Tag: "issue", Note: hostile, By: hostile, At: n.Time}}}, nil)
	reg := alerts.NewDefaultRegistry()
	reg.Register("frequency", &alerts.FrequencyFormatter{Snapshot: snapNote})
	reg.Register("graphs", &alerts.GraphFormatter{Links: []alerts.Link{{Text: hostile, URL: "https://graphs.example/?h={host}&s={service}"}}})
	reg.Extra = []string{"frequency", "graphs"}
	m, err := reg.Format(context.Background(), n)
	require.NoError(t, err)
	var html bytes.Buffer
	require.NoError(t, alerts.RenderHTML(&html, m, nil))
	out := html.String()
	assert.NotContains(t, out, "<script>")
	assert.NotContains(t, out, "<img src=x")
	assert.NotContains(t, out, "javascript:")
	assert.Contains(t, out, "&lt;script&gt;")
	assert.Contains(t, out, "https://graphs.example/?h=%3Cscript%3E", "template values are query-escaped")
	checkHTML(t, html.Bytes())
	for _, b := range m.Blocks {
		for _, c := range b.Charts {
			checkSVG(t, c.SVG)
			assert.NotContains(t, string(c.SVG), "<script>")
		}
	}
	var eml bytes.Buffer
	require.NoError(t, alerts.RenderMIME(&eml, m, alerts.MailHeader{From: mail.Address{Name: "a\r\nBcc: evil@example.com", Address: "a@example.com"}}))
	msg, err := mail.ReadMessage(bytes.NewReader(eml.Bytes()))
	require.NoError(t, err)
	assert.Empty(t, msg.Header.Get("Bcc"), "no header injection")
	checkMIME(t, eml.Bytes(), m)
}

func TestPagerLimit(t *testing.T) {
	m := &alerts.Message{Short: "PROBLEM db1/Disk CRITICAL: " + strings.Repeat("é", 100)}
	for _, limit := range []int{0, 5, 20, 41, 160, 1000} {
		s := alerts.RenderPager(m, limit)
		if len(s) > max(limit, 4) {
			t.Errorf("RenderPager(limit %d) = %d bytes", limit, len(s))
		}
		if !utf8Valid(s) {
			t.Errorf("RenderPager(limit %d) cut a rune: %q", limit, s)
		}
	}
	assert.Equal(t, "PROBLEM db1/Disk…", alerts.RenderPager(m, 20))
}

func TestChartsDeterministicAndValid(t *testing.T) {
	snap, r, w := weekFixture(t)
	rep := snap.Week(r, w, nil)
	trend := snap.Trend(r, w.Start.AddDate(0, 0, -21), w.End, nil)
	from := time.Unix(0, 0)
	charts := map[string][]byte{
		"trend.svg":   alerts.TrendChart("Signal/noise <weekly>", trend),
		"heat.svg":    alerts.HeatMap("Heat & map", rep.Heat),
		"bars.svg":    alerts.StackedBars("Bars \x00 invalid \xff", []alerts.Bar{{Label: "a<b", Segments: []alerts.Segment{{Value: 3, Color: alerts.ColorAction}, {Value: 1}}}}, 0),
		"line.svg":    alerts.LineChart("Load", []alerts.Series{{Name: "load1", Points: []alerts.Point{{from, 1}, {from.Add(time.Hour), 3}, {from.Add(2 * time.Hour), 2}}}}, from, from.Add(3*time.Hour)),
		"empty.svg":   alerts.TrendChart("none", nil),
		"emptyhe.svg": alerts.HeatMap("none", [7][24]int{}),
	}
	for name, svg := range charts {
		checkSVG(t, svg)
		checkGolden(t, name, svg)
	}
	assert.Equal(t, charts["trend.svg"], alerts.TrendChart("Signal/noise <weekly>", trend), "same input, same bytes")
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// checkSVG parses svg with encoding/xml to the end.
func checkSVG(t *testing.T, svg []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(svg))
	root := ""
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "SVG does not parse: %s", svg)
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	assert.Equal(t, "svg", root)
}

var cidRE = regexp.MustCompile(`src="cid:([^"]+)"`)

// checkMIME parses a message with net/mail and mime/multipart and checks
// every cid: reference of the HTML part has its image part.
func checkMIME(t *testing.T, raw []byte, m *alerts.Message) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	require.NoError(t, err)
	dec := new(mime.WordDecoder)
	subj, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	require.NoError(t, err)
	assert.Equal(t, strings.ReplaceAll(m.Subject, "\n", " "), subj)
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	require.NoError(t, err)
	require.Equal(t, "multipart/related", mt)
	mr := multipart.NewReader(msg.Body, params["boundary"])
	cids := map[string]bool{}
	var html string
	types := []string{}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		pt, pp, err := mime.ParseMediaType(p.Header.Get("Content-Type"))
		require.NoError(t, err)
		types = append(types, pt)
		if pt == "multipart/alternative" {
			ar := multipart.NewReader(p, pp["boundary"])
			for {
				ap, err := ar.NextPart()
				if err == io.EOF {
					break
				}
				require.NoError(t, err)
				body, err := io.ReadAll(ap) // quoted-printable/base64 decoded by multipart? base64 is not: decode by hand
				require.NoError(t, err)
				at, _, _ := mime.ParseMediaType(ap.Header.Get("Content-Type"))
				types = append(types, at)
				if at == "text/html" {
					html = decodeB64(t, body)
				}
			}
			continue
		}
		body, err := io.ReadAll(p)
		require.NoError(t, err)
		cids[strings.Trim(p.Header.Get("Content-Id"), "<>")] = true
		if pt == "image/svg+xml" {
			checkSVG(t, []byte(decodeB64(t, body)))
		}
	}
	assert.Contains(t, types, "text/plain")
	assert.Contains(t, types, "text/html")
	for _, ref := range cidRE.FindAllStringSubmatch(html, -1) {
		assert.True(t, cids[ref[1]], "cid:%s has no part (have %v)", ref[1], cids)
	}
}

// checkHTML runs the HTML through an XML tokenizer in non-strict mode as
// a smoke test that the markup is balanced enough to parse.
func checkHTML(t *testing.T, b []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	d.AutoClose = xml.HTMLAutoClose
	d.Entity = xml.HTMLEntity
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		require.NoError(t, err)
	}
}
