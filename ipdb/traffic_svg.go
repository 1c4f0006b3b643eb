package ipdb

import (
	"bufio"
	"cmp"
	"encoding/xml"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Chart layout, in SVG user units.
const (
	chartWidth   = 760
	chartHeight  = 300
	plotLeft     = 56
	plotTop      = 32
	plotWidth    = 540
	plotHeight   = 220
	legendLeft   = 612
	chartSeries  = 8  // keys drawn by name; the rest join "other"
	legendRunes  = 20 // longer names are cut in the legend
	chartPalette = "#4e79a7 #f28e2b #e15759 #76b7b2 #59a14f #edc948 #b07aa1 #ff9da7 #9c755f"
)

// series is one stacked layer of the chart.
type series struct {
	name   string
	counts []uint64
	total  uint64
}

// WriteSVG writes h as an SVG stacked bar chart: one bar per hour, one
// layer per key, the chartSeries (8) busiest keys by name and the others,
// with h.Other, as "other". Keys that are all category names (from
// [Traffic.CountCategory]) get fixed colours: red datacenter, orange
// cloud, green crawler, purple vpn. Hours are labelled in UTC. Key names are
// XML-escaped (invalid UTF-8 becomes U+FFFD) and cut to 20 characters in
// the legend; each bar segment has a title with the full name, hour and
// count. The output depends only on h, byte for byte.
func (h *Hourly) WriteSVG(w io.Writer) error {
	n := h.Hours()
	layers := h.layers()
	var peak uint64
	for j := range n {
		var sum uint64
		for _, l := range layers {
			sum += l.counts[j]
		}
		peak = max(peak, sum)
	}
	bw := bufio.NewWriter(w)
	p := func(parts ...string) {
		for _, s := range parts {
			bw.WriteString(s)
		}
	}
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
	itoa := func(v int) string { return strconv.Itoa(v) }
	end := h.Start.Add(time.Duration(n) * time.Hour)
	p(`<svg xmlns="http://www.w3.org/2000/svg" width="`, itoa(chartWidth), `" height="`, itoa(chartHeight),
		`" viewBox="0 0 `, itoa(chartWidth), " ", itoa(chartHeight), `" font-family="sans-serif" font-size="11">`, "\n")
	p(`<title>Requests per hour by key, `, h.Start.Format("2006-01-02 15:04"), " to ", end.Format("2006-01-02 15:04"), ` UTC</title>`, "\n")
	p(`<text x="`, itoa(plotLeft), `" y="18" font-size="13">Requests per hour, `, h.Start.Format("2006-01-02 15:04"),
		" to ", end.Format("2006-01-02 15:04"), ` UTC</text>`, "\n")
	// Axes and the scale.
	bottom := plotTop + plotHeight
	p(`<line x1="`, itoa(plotLeft), `" y1="`, itoa(bottom), `" x2="`, itoa(plotLeft+plotWidth), `" y2="`, itoa(bottom), `" stroke="#333"/>`, "\n")
	p(`<line x1="`, itoa(plotLeft), `" y1="`, itoa(plotTop), `" x2="`, itoa(plotLeft), `" y2="`, itoa(bottom), `" stroke="#333"/>`, "\n")
	p(`<text x="`, itoa(plotLeft-4), `" y="`, itoa(bottom), `" text-anchor="end">0</text>`, "\n")
	p(`<text x="`, itoa(plotLeft-4), `" y="`, itoa(plotTop+4), `" text-anchor="end">`, strconv.FormatUint(peak, 10), `</text>`, "\n")
	if n == 0 {
		p("</svg>\n")
		return bw.Flush()
	}
	step, layout := 6, "15:04"
	if n > 48 {
		step, layout = 24, "Jan 2"
	}
	slot := float64(plotWidth) / float64(n)
	for j := range n {
		at := h.Start.Add(time.Duration(j) * time.Hour)
		if (at.Hour()%step == 0 && step == 6) || (step == 24 && at.Hour() == 0) {
			x := float64(plotLeft) + slot*float64(j)
			p(`<line x1="`, num(x), `" y1="`, itoa(bottom), `" x2="`, num(x), `" y2="`, itoa(bottom+4), `" stroke="#333"/>`, "\n")
			p(`<text x="`, num(x), `" y="`, itoa(bottom+16), `" text-anchor="middle">`, at.Format(layout), `</text>`, "\n")
		}
	}
	colors := h.colors(layers)
	scale := 0.0
	if peak > 0 {
		scale = float64(plotHeight) / float64(peak)
	}
	for j := range n {
		at := h.Start.Add(time.Duration(j) * time.Hour).Format("2006-01-02 15:04")
		y := float64(bottom)
		x := float64(plotLeft) + slot*float64(j)
		for li, l := range layers {
			c := l.counts[j]
			if c == 0 {
				continue
			}
			hgt := float64(c) * scale
			y -= hgt
			p(`<rect x="`, num(x+slot*0.1), `" y="`, num(y), `" width="`, num(slot*0.8), `" height="`, num(hgt),
				`" fill="`, colors[li], `"><title>`, escapeXML(l.name), " ", at, ": ",
				strconv.FormatUint(c, 10), "</title></rect>\n")
		}
	}
	for li, l := range layers {
		y := plotTop + 14*li
		p(`<rect x="`, itoa(legendLeft), `" y="`, itoa(y), `" width="10" height="10" fill="`, colors[li], `"/>`,
			`<text x="`, itoa(legendLeft+14), `" y="`, itoa(y+9), `">`, escapeXML(cutName(l.name)), " (",
			strconv.FormatUint(l.total, 10), ")</text>\n")
	}
	p("</svg>\n")
	return bw.Flush()
}

// categoryColors are the fixed colours of category layers, indexed by
// Category: grey unknown, red datacenter, green crawler, orange cloud,
// purple vpn, brown other.
var categoryColors = [numCategories]string{"#bab0ac", "#e15759", "#59a14f", "#f28e2b", "#b07aa1", "#9c755f"}

// colors returns the fill of each layer: the category colours when every
// layer is named after a [Category] (a counter fed by
// [Traffic.CountCategory]), so that a category keeps its colour from
// chart to chart; the palette in order of size otherwise.
func (h *Hourly) colors(layers []series) []string {
	out := make([]string, len(layers))
	for i, l := range layers {
		c, err := ParseCategory(l.name)
		if err != nil || l.name != c.String() {
			palette := strings.Fields(chartPalette)
			for i := range layers {
				out[i] = palette[i%len(palette)]
			}
			return out
		}
		out[i] = categoryColors[c]
	}
	return out
}

// layers returns the chart's layers: the busiest keys (ties by name),
// then "other" with the rest and h.Other, keys without counts left out.
func (h *Hourly) layers() []series {
	n := h.Hours()
	var all []series
	for k, name := range h.Keys {
		s := series{name: name, counts: make([]uint64, n)}
		if k < len(h.Counts) {
			copy(s.counts, h.Counts[k]) // a hand-made Hourly may be ragged
		}
		for _, v := range s.counts {
			s.total += v
		}
		if s.total > 0 {
			all = append(all, s)
		}
	}
	slices.SortFunc(all, func(a, b series) int {
		if c := cmp.Compare(b.total, a.total); c != 0 {
			return c
		}
		return strings.Compare(a.name, b.name)
	})
	other := series{name: "other", counts: slices.Clone(h.Other)}
	if len(all) > chartSeries {
		for _, s := range all[chartSeries:] {
			for j, v := range s.counts {
				other.counts[j] += v
			}
		}
		all = all[:chartSeries]
	}
	for _, v := range other.counts {
		other.total += v
	}
	if other.total > 0 {
		all = append(all, other)
	}
	return all
}

// cutName shortens a legend name to legendRunes characters.
func cutName(s string) string {
	if utf8.RuneCountInString(s) <= legendRunes {
		return s
	}
	r := []rune(s)
	return string(r[:legendRunes-1]) + "…"
}

func escapeXML(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
