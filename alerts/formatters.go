package alerts

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Volume is one file system as the disk formatter sees it.
type Volume struct {
	Mount string
	Used  float64 // in Unit
	Total float64 // in Unit; 0 if unknown
	Unit  string
	Level Level // from the perfdata thresholds
}

// Full returns Used/Total (0 when Total is unknown).
func (v Volume) Full() float64 {
	if v.Total <= 0 {
		return 0
	}
	return v.Used / v.Total
}

// DiskVolumes reads volumes from check_disk perfdata
// (mount=usedMB;warn;crit;0;total), sorted fullest first (ties by mount).
// Items without a total are kept with Total 0.
func DiskVolumes(perfdata string) ([]Volume, error) {
	ps, err := ParsePerfdata(perfdata)
	if err != nil {
		return nil, err
	}
	var vs []Volume
	for _, p := range ps {
		if math.IsNaN(p.Value) {
			continue
		}
		v := Volume{Mount: p.Label, Used: p.Value, Unit: p.UOM}
		if !math.IsNaN(p.Max) {
			v.Total = p.Max
		}
		switch {
		case p.Crit.Breached(p.Value):
			v.Level = LevelCritical
		case p.Warn.Breached(p.Value):
			v.Level = LevelWarning
		}
		vs = append(vs, v)
	}
	slices.SortStableFunc(vs, func(a, b Volume) int {
		if c := cmp.Compare(b.Full(), a.Full()); c != 0 {
			return c
		}
		return cmp.Compare(a.Mount, b.Mount)
	})
	return vs, nil
}

// DFRow is one row of df output as check_disk's long output carries it.
type DFRow struct {
	Filesystem, Size, Used, Avail, Mount string
	UsePct                               int
	Level                                Level
}

var thresholdsRE = regexp.MustCompile(`WARNING:\s*(\d+)%;\s*CRITICAL:\s*(\d+)%`)

// ParseDF reads the df table in long output (a header starting with
// "Filesystem", then rows; a row whose file system name is alone on its
// line continues on the next). The "THRESHOLDS - WARNING:w%;CRITICAL:c%"
// line, if present, gives free-space thresholds: a row with less free
// space than c% is critical, less than w% a warning (nagios-herald's
// reading). Unparseable lines are skipped.
func ParseDF(long string) []DFRow {
	warn, crit := -1, -1
	if m := thresholdsRE.FindStringSubmatch(long); m != nil {
		warn, _ = strconv.Atoi(m[1])
		crit, _ = strconv.Atoi(m[2])
	}
	var rows []DFRow
	in := false
	pending := ""
	for _, line := range strings.Split(long, "\n") {
		f := strings.Fields(line)
		if len(f) > 0 && f[0] == "Filesystem" {
			in = true
			continue
		}
		if !in || len(f) == 0 {
			continue
		}
		if len(f) == 1 {
			pending = f[0]
			continue
		}
		if pending != "" && len(f) == 5 {
			f = append([]string{pending}, f...)
		}
		pending = ""
		if len(f) < 6 || !strings.HasSuffix(f[4], "%") {
			continue
		}
		pct, err := strconv.Atoi(strings.TrimSuffix(f[4], "%"))
		if err != nil || pct < 0 || pct > 100 {
			continue
		}
		r := DFRow{Filesystem: f[0], Size: f[1], Used: f[2], Avail: f[3], UsePct: pct, Mount: strings.Join(f[5:], " ")}
		free := 100 - pct
		switch {
		case crit >= 0 && free < crit:
			r.Level = LevelCritical
		case warn >= 0 && free < warn:
			r.Level = LevelWarning
		}
		rows = append(rows, r)
	}
	return rows
}

// Growth describes how a volume has been filling.
type Growth struct {
	PerHour    float64       // least-squares slope, units per hour
	Increase   float64       // last minus first sample
	Sudden     bool          // over half the increase came in the last tenth of the window
	TimeToFull time.Duration // at the current slope; 0 if not growing or no capacity
}

// AnalyzeGrowth fits the samples (any order; at least two) and
// projects when capacity is reached from the last sample. It returns
// false with fewer than two distinct times.
func AnalyzeGrowth(points []Point, capacity float64) (Growth, bool) {
	ps := slices.Clone(points)
	ps = slices.DeleteFunc(ps, func(p Point) bool { return math.IsNaN(p.Value) || math.IsInf(p.Value, 0) })
	slices.SortFunc(ps, func(a, b Point) int { return a.Time.Compare(b.Time) })
	if len(ps) < 2 || !ps[len(ps)-1].Time.After(ps[0].Time) {
		return Growth{}, false
	}
	t0 := ps[0].Time
	var sx, sy, sxx, sxy float64
	for _, p := range ps {
		x := p.Time.Sub(t0).Hours()
		sx += x
		sy += p.Value
		sxx += x * x
		sxy += x * p.Value
	}
	n := float64(len(ps))
	den := n*sxx - sx*sx
	var g Growth
	if den != 0 {
		g.PerHour = (n*sxy - sx*sy) / den
	}
	first, last := ps[0], ps[len(ps)-1]
	g.Increase = last.Value - first.Value
	cut := last.Time.Add(-last.Time.Sub(first.Time) / 10)
	before := first.Value
	for _, p := range ps {
		if !p.Time.After(cut) {
			before = p.Value
		}
	}
	if g.Increase > 0 && last.Value-before > g.Increase/2 {
		g.Sudden = true
	}
	rate := g.PerHour
	if g.Sudden && last.Time.Sub(cut) > 0 {
		rate = (last.Value - before) / last.Time.Sub(cut).Hours()
	}
	if rate > 0 && capacity > last.Value {
		hours := (capacity - last.Value) / rate
		if hours < 24*365*10 {
			g.TimeToFull = time.Duration(hours * float64(time.Hour)).Round(time.Minute)
		}
	}
	return g, true
}

// DiskFormatter is nagios-herald's check_disk formatter, improved: a
// table of volumes fullest first with breaching rows marked, a stacked
// bar chart of used and free space, the df rows crossing the
// thresholds, and, when History is set, growth and time to full per
// volume. The zero value works without history.
type DiskFormatter struct {
	// History returns a volume's used space (in the perfdata unit) over
	// the last day or so; nil, or an error, leaves growth out.
	History func(ctx context.Context, host, mount string) ([]Point, error)
}

// Format adds the disk blocks.
func (d *DiskFormatter) Format(ctx context.Context, n Notification, m *Message) error {
	vs, err := DiskVolumes(n.Perfdata)
	if err != nil || len(vs) == 0 {
		if n.Perfdata != "" {
			m.Blocks = append(m.Blocks, Block{Title: "Disk", Lines: []string{"perfdata not understood: " + clip(n.Perfdata, 200)}})
		}
	}
	if len(vs) > 0 {
		t := &Table{Header: []string{"Volume", "Used", "Total", "Full", "Status"}}
		var bars []Bar
		for _, v := range vs {
			t.Rows = append(t.Rows, Row{Cells: []string{v.Mount, num(v.Used) + v.Unit, num(v.Total) + v.Unit,
				strconv.Itoa(int(math.Round(v.Full()*100))) + "%", v.Level.String()}, Level: v.Level})
			used := ColorUsed
			if v.Level == LevelCritical {
				used = ColorNoAction
			} else if v.Level == LevelWarning {
				used = ColorWarning
			}
			bars = append(bars, Bar{Label: v.Mount, Segments: []Segment{
				{Value: v.Full() * 100, Color: used, Label: "used %"},
				{Value: 100 - v.Full()*100, Color: ColorFree, Label: "free %"}}})
		}
		b := Block{Title: "Disk space", Table: t,
			Charts: []Chart{{ID: "disk.svg", Alt: "used and free space per volume", SVG: StackedBars("Disk space by volume (%)", bars, 100)}}}
		if d.History != nil {
			for _, v := range vs {
				pts, err := d.History(ctx, n.Host, v.Mount)
				if err != nil {
					b.Lines = append(b.Lines, v.Mount+": history unavailable")
					continue
				}
				g, ok := AnalyzeGrowth(pts, v.Total)
				if !ok {
					continue
				}
				kind := "gradual"
				if g.Sudden {
					kind = "sudden"
				}
				sign := "+"
				if g.Increase < 0 {
					sign = ""
				}
				line := fmt.Sprintf("%s: %s%s%s over the window (%s, %s%s/h)", v.Mount, sign, num(g.Increase), v.Unit, kind, num(g.PerHour), v.Unit)
				if g.TimeToFull > 0 {
					line += ", full in about " + g.TimeToFull.String()
				}
				b.Lines = append(b.Lines, line)
			}
		}
		m.Blocks = append(m.Blocks, b)
		worst := vs[0]
		m.Short += fmt.Sprintf(" (%s %d%% full)", worst.Mount, int(math.Round(worst.Full()*100)))
	}
	if rows := ParseDF(n.LongOutput); len(rows) > 0 {
		t := &Table{Header: []string{"Filesystem", "Size", "Used", "Avail", "Use%", "Mounted on"}}
		for _, r := range rows {
			t.Rows = append(t.Rows, Row{Cells: []string{r.Filesystem, r.Size, r.Used, r.Avail, strconv.Itoa(r.UsePct) + "%", r.Mount}, Level: r.Level})
		}
		m.Blocks = append(m.Blocks, Block{Title: "df", Table: t})
	}
	return nil
}

var pctRE = regexp.MustCompile(`([A-Za-z_]+)=(-?\d+(?:\.\d+)?)%`)

func formatCPU(_ context.Context, n Notification, m *Message) error {
	ms := pctRE.FindAllStringSubmatch(n.Output, -1)
	if len(ms) == 0 {
		return nil
	}
	hot := ""
	if f := strings.Fields(n.Output); len(f) > 3 && f[1] == "CPU" {
		hot = f[2]
	}
	lvl := stateLevel(n.State)
	t := &Table{Header: []string{"Metric", "Percent"}}
	var segs []Segment
	colors := map[string]string{"user": ColorUsed, "system": "#6a1b9a", "iowait": ColorNoAction, "idle": ColorFree}
	for _, x := range ms {
		r := Row{Cells: []string{x[1], x[2] + "%"}}
		if x[1] == hot {
			r.Level = lvl
		}
		t.Rows = append(t.Rows, r)
		v, _ := strconv.ParseFloat(x[2], 64)
		segs = append(segs, Segment{Value: v, Color: colors[x[1]], Label: x[1]})
	}
	m.Blocks = append(m.Blocks, Block{Title: "CPU", Table: t,
		Charts: []Chart{{ID: "cpu.svg", Alt: "CPU time split", SVG: StackedBars("CPU time (%)", []Bar{{Label: n.Host, Segments: segs}}, 100)}}})
	return nil
}

var loadRE = regexp.MustCompile(`load average:\s*([\d.]+),?\s+([\d.]+),?\s+([\d.]+)`)

func formatLoad(_ context.Context, n Notification, m *Message) error {
	t := &Table{Header: []string{"Period", "Load", "Status"}}
	if ps, err := ParsePerfdata(n.Perfdata); err == nil {
		for _, p := range ps {
			lvl := LevelOK
			if p.Crit.Breached(p.Value) {
				lvl = LevelCritical
			} else if p.Warn.Breached(p.Value) {
				lvl = LevelWarning
			}
			t.Rows = append(t.Rows, Row{Cells: []string{p.Label, num(p.Value), lvl.String()}, Level: lvl})
		}
	}
	if len(t.Rows) == 0 {
		if x := loadRE.FindStringSubmatch(n.Output); x != nil {
			for i, p := range []string{"1 min", "5 min", "15 min"} {
				t.Rows = append(t.Rows, Row{Cells: []string{p, x[i+1], ""}})
			}
		}
	}
	if len(t.Rows) > 0 {
		m.Blocks = append(m.Blocks, Block{Title: "Load", Table: t})
	}
	return nil
}

var memRE = regexp.MustCompile(`(\d+(?:\.\d+)?)% used(?: \((\d+(?:\.\d+)?) ([KMGT]B) total)?`)

func formatMemory(_ context.Context, n Notification, m *Message) error {
	x := memRE.FindStringSubmatch(n.Output)
	if x == nil {
		return nil
	}
	used, _ := strconv.ParseFloat(x[1], 64)
	lines := []string{"Used: " + x[1] + "%"}
	if x[2] != "" {
		lines = append(lines, "Total: "+x[2]+" "+x[3])
	}
	lvl := stateLevel(n.State)
	color := ColorUsed
	if lvl == LevelCritical {
		color = ColorNoAction
	} else if lvl == LevelWarning {
		color = ColorWarning
	}
	m.Blocks = append(m.Blocks, Block{Title: "Memory", Lines: lines,
		Charts: []Chart{{ID: "memory.svg", Alt: "memory used", SVG: StackedBars("Memory (%)", []Bar{{Label: n.Host, Segments: []Segment{
			{Value: used, Color: color, Label: "used %"}, {Value: 100 - used, Color: ColorFree, Label: "free %"}}}}, 100)}}})
	return nil
}

func stateLevel(state string) Level {
	switch state {
	case "CRITICAL", "DOWN", "UNREACHABLE", "FIRING":
		return LevelCritical
	case "WARNING", "UNKNOWN":
		return LevelWarning
	}
	return LevelOK
}

// SeriesProvider returns time series for a host and service (from a
// metrics store the caller owns); the package fetches nothing itself.
type SeriesProvider interface {
	Series(ctx context.Context, host, service string, from, to time.Time) ([]Series, error)
}

// GraphFormatter charts the last Window (24 h by default) before the
// notification from Provider as an inline SVG, and adds Links built from
// templates where {host}, {service}, {from} and {to} (Unix seconds) are
// replaced by their URL-query-escaped values. Either part may be unset.
type GraphFormatter struct {
	Provider SeriesProvider
	Window   time.Duration
	Links    []Link // Text and URL templates
}

// Format adds the graph block.
func (g *GraphFormatter) Format(ctx context.Context, n Notification, m *Message) error {
	win := g.Window
	if win <= 0 {
		win = 24 * time.Hour
	}
	from, to := n.Time.Add(-win), n.Time.Add(time.Second)
	b := Block{Title: "Graphs"}
	if g.Provider != nil {
		ss, err := g.Provider.Series(ctx, n.Host, n.Service, from, to)
		if err != nil {
			b.Lines = append(b.Lines, "graph data unavailable: "+err.Error())
		} else if len(ss) > 0 {
			b.Charts = append(b.Charts, Chart{ID: "graph.svg", Alt: "last " + win.String(), SVG: LineChart(n.Host+" "+n.Service+", last "+win.String(), ss, from, to)})
		}
	}
	r := strings.NewReplacer("{host}", url.QueryEscape(n.Host), "{service}", url.QueryEscape(n.Service),
		"{from}", strconv.FormatInt(from.Unix(), 10), "{to}", strconv.FormatInt(to.Unix(), 10))
	for _, l := range g.Links {
		b.Links = append(b.Links, Link{Text: l.Text, URL: r.Replace(l.URL)})
	}
	if len(b.Lines)+len(b.Charts)+len(b.Links) > 0 {
		m.Blocks = append(m.Blocks, b)
	}
	return nil
}

// FrequencyFormatter adds the alert's recent history from a store
// snapshot: "fired 9 times in 7 days (12 in 30, 40 in 365); last
// classified thresholdincorrect by ann: raise to 95%".
type FrequencyFormatter struct {
	Snapshot *Snapshot
}

// Format adds the frequency block.
func (f *FrequencyFormatter) Format(_ context.Context, n Notification, m *Message) error {
	if f.Snapshot == nil {
		return nil
	}
	h := f.Snapshot.History(n.AlertID(), n.Time, 5)
	line := fmt.Sprintf("fired %d times in 7 days (%d in 30, %d in 365)", h.Fired7, h.Fired30, h.Fired365)
	if h.Last.NotificationID != "" {
		line += fmt.Sprintf("; last classified %s by %s", h.Last.Tag, h.Last.By)
		if h.Last.Note != "" {
			line += ": " + h.Last.Note
		}
	}
	m.Blocks = append(m.Blocks, Block{Title: "History", Lines: []string{line}})
	m.Short += fmt.Sprintf(" (%dx/7d)", h.Fired7)
	return nil
}
