package alerts

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"strconv"
	"time"
)

// Charts are SVG documents built by hand: the same input gives the same
// bytes (coordinates printed with one decimal, no maps iterated, no
// clock read), every label is XML-escaped, and the output parses with
// encoding/xml. Colours are fixed; sizes are in CSS pixels.

// Segment is one part of a stacked bar.
type Segment struct {
	Value float64
	Color string // a CSS colour such as "#c0392b"; empty means grey
	Label string // shown in the tooltip
}

// Bar is one stacked bar.
type Bar struct {
	Label    string
	Segments []Segment
}

// Colours used by the charts.
const (
	ColorAction   = "#2e7d32"
	ColorNoAction = "#c62828"
	ColorUntagged = "#9e9e9e"
	ColorWarning  = "#f9a825"
	ColorOK       = "#43a047"
	ColorUsed     = "#1565c0"
	ColorFree     = "#cfd8dc"
)

type svgBuf struct{ bytes.Buffer }

func (b *svgBuf) f(format string, args ...any) { fmt.Fprintf(&b.Buffer, format, args...) }

func (b *svgBuf) text(s string) { _ = xml.EscapeText(&b.Buffer, []byte(s)) }

func (b *svgBuf) attr(s string) { b.text(s) }

func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

func (b *svgBuf) open(w, h float64, title string) {
	b.f(`<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" role="img" font-family="sans-serif" font-size="11">`, num(w), num(h), num(w), num(h))
	b.f(`<title>`)
	b.text(title)
	b.f(`</title>`)
}

func (b *svgBuf) close() []byte {
	b.f(`</svg>`)
	return bytes.Clone(b.Bytes())
}

// StackedBars draws horizontal stacked bars, one row per bar, scaled so
// the longest bar fills the width (or to max when max > 0).
func StackedBars(title string, bars []Bar, max float64) []byte {
	const rowH, labelW, barW, pad = 22.0, 140.0, 320.0, 4.0
	h := pad*2 + rowH*float64(len(bars)) + 14
	var b svgBuf
	b.open(labelW+barW+60, h, title)
	if max <= 0 {
		for _, bar := range bars {
			t := 0.0
			for _, s := range bar.Segments {
				t += math.Max(s.Value, 0)
			}
			max = math.Max(max, t)
		}
	}
	b.f(`<text x="%s" y="11" font-weight="bold">`, num(pad))
	b.text(title)
	b.f(`</text>`)
	for i, bar := range bars {
		y := 14 + pad + rowH*float64(i)
		b.f(`<text x="%s" y="%s">`, num(pad), num(y+rowH*0.65))
		b.text(clip(bar.Label, 22))
		b.f(`</text>`)
		x := labelW
		total := 0.0
		for _, s := range bar.Segments {
			v := math.Max(s.Value, 0)
			total += v
			wd := 0.0
			if max > 0 {
				wd = v / max * barW
			}
			color := s.Color
			if color == "" {
				color = ColorUntagged
			}
			b.f(`<rect x="%s" y="%s" width="%s" height="%s" fill="`, num(x), num(y+2), num(wd), num(rowH-6))
			b.attr(color)
			b.f(`"><title>`)
			b.text(s.Label + " " + num(v))
			b.f(`</title></rect>`)
			x += wd
		}
		b.f(`<text x="%s" y="%s">%s</text>`, num(x+4), num(y+rowH*0.65), num(total))
	}
	return b.close()
}

// TrendChart draws the weekly trend: stacked action / no-action /
// untagged columns per week and the signal/noise line on a 0-100% axis.
func TrendChart(title string, points []TrendPoint) []byte {
	const w, h, left, top, bottom = 560.0, 220.0, 36.0, 20.0, 30.0
	plotW, plotH := w-left-10, h-top-bottom
	var b svgBuf
	b.open(w, h, title)
	b.f(`<text x="%s" y="13" font-weight="bold">`, num(left))
	b.text(title)
	b.f(`</text>`)
	b.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#555"/>`, num(left), num(top+plotH), num(left+plotW), num(top+plotH))
	max := 0
	for _, p := range points {
		max = int(math.Max(float64(max), float64(p.Total)))
	}
	n := float64(len(points))
	colW := plotW / math.Max(n, 1)
	for i, p := range points {
		x := left + colW*float64(i)
		y := top + plotH
		for _, s := range []struct {
			v     int
			color string
			name  string
		}{{p.Action, ColorAction, "action"}, {p.NoAction, ColorNoAction, "no action"}, {p.Untagged, ColorUntagged, "untagged"}} {
			if s.v == 0 || max == 0 {
				continue
			}
			hh := float64(s.v) / float64(max) * plotH
			y -= hh
			b.f(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>`, num(x+1), num(y), num(math.Max(colW-2, 1)), num(hh), s.color)
			b.text(p.Week.Start.Format("2006-01-02") + " " + s.name + " " + strconv.Itoa(s.v))
			b.f(`</title></rect>`)
		}
	}
	// Signal/noise line over weeks with tagged notifications.
	var pts bytes.Buffer
	for i, p := range points {
		if p.Action+p.NoAction == 0 {
			continue
		}
		x := left + colW*(float64(i)+0.5)
		y := top + plotH - p.SignalNoise*plotH
		if pts.Len() > 0 {
			pts.WriteByte(' ')
		}
		pts.WriteString(num(x) + "," + num(y))
	}
	if pts.Len() > 0 {
		b.f(`<polyline fill="none" stroke="#000" stroke-width="2" points="%s"><title>signal/noise</title></polyline>`, pts.String())
	}
	b.f(`<text x="2" y="%s">100%%</text><text x="2" y="%s">0%%</text>`, num(top+8), num(top+plotH))
	if len(points) > 0 {
		b.f(`<text x="%s" y="%s">`, num(left), num(h-8))
		b.text(points[0].Week.Start.Format("2006-01-02"))
		b.f(`</text><text x="%s" y="%s" text-anchor="end">`, num(left+plotW), num(h-8))
		b.text(points[len(points)-1].Week.Start.Format("2006-01-02"))
		b.f(`</text>`)
	}
	return b.close()
}

// HeatMap draws notifications by weekday (rows, Monday first) and hour
// (columns), darker for more.
func HeatMap(title string, heat [7][24]int) []byte {
	const cell, left, top = 18.0, 34.0, 30.0
	var b svgBuf
	b.open(left+cell*24+6, top+cell*7+6, title)
	b.f(`<text x="%s" y="13" font-weight="bold">`, num(left))
	b.text(title)
	b.f(`</text>`)
	max := 0
	for _, row := range heat {
		for _, c := range row {
			max = int(math.Max(float64(max), float64(c)))
		}
	}
	for h := 0; h < 24; h += 3 {
		b.f(`<text x="%s" y="%s">%d</text>`, num(left+cell*float64(h)+2), num(top-4), h)
	}
	for r := range 7 {
		day := time.Weekday((r + 1) % 7) // Monday first
		y := top + cell*float64(r)
		b.f(`<text x="2" y="%s">%s</text>`, num(y+cell*0.7), day.String()[:3])
		for h := range 24 {
			c := heat[day][h]
			op := 0.0
			if max > 0 {
				op = float64(c) / float64(max)
			}
			b.f(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s" fill-opacity="%s" stroke="#eee"><title>%s %02d:00 %d</title></rect>`,
				num(left+cell*float64(h)), num(y), num(cell), num(cell), ColorNoAction, num(0.05+0.95*op), day.String()[:3], h, c)
		}
	}
	return b.close()
}

// Point is one sample of a time series.
type Point struct {
	Time  time.Time
	Value float64
}

// Series is a named time series, as a graph provider returns it.
type Series struct {
	Name   string
	Points []Point
}

// LineChart draws series over [from, to) with a shared y axis from 0
// (or the lowest value, if negative) to the highest value.
func LineChart(title string, series []Series, from, to time.Time) []byte {
	const w, h, left, top, bottom = 560.0, 200.0, 50.0, 20.0, 30.0
	plotW, plotH := w-left-10, h-top-bottom
	colors := []string{"#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00"}
	var b svgBuf
	b.open(w, h, title)
	b.f(`<text x="%s" y="13" font-weight="bold">`, num(left))
	b.text(title)
	b.f(`</text>`)
	lo, hi := 0.0, 0.0
	for _, s := range series {
		for _, p := range s.Points {
			if !math.IsNaN(p.Value) && !math.IsInf(p.Value, 0) {
				lo, hi = math.Min(lo, p.Value), math.Max(hi, p.Value)
			}
		}
	}
	if hi == lo {
		hi = lo + 1
	}
	span := to.Sub(from).Seconds()
	if span <= 0 {
		span = 1
	}
	b.f(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#555"/>`, num(left), num(top+plotH), num(left+plotW), num(top+plotH))
	b.f(`<text x="2" y="%s">%s</text><text x="2" y="%s">%s</text>`, num(top+8), num(hi), num(top+plotH), num(lo))
	for i, s := range series {
		var pts bytes.Buffer
		for _, p := range s.Points {
			if p.Time.Before(from) || !p.Time.Before(to) || math.IsNaN(p.Value) || math.IsInf(p.Value, 0) {
				continue
			}
			x := left + p.Time.Sub(from).Seconds()/span*plotW
			y := top + plotH - (p.Value-lo)/(hi-lo)*plotH
			if pts.Len() > 0 {
				pts.WriteByte(' ')
			}
			pts.WriteString(num(x) + "," + num(y))
		}
		color := colors[i%len(colors)]
		b.f(`<polyline fill="none" stroke="%s" stroke-width="1.5" points="%s"><title>`, color, pts.String())
		b.text(s.Name)
		b.f(`</title></polyline>`)
		b.f(`<text x="%s" y="%s" fill="%s">`, num(left+4+float64(i)*110), num(h-8), color)
		b.text(clip(s.Name, 18))
		b.f(`</text>`)
	}
	return b.close()
}

// clip cuts s to n runes, adding "…" when cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
