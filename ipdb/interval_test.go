package ipdb_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/craftkit/craftkit/ipdb"
)

func TestIntervalBuilderErrors(t *testing.T) {
	tests := []struct {
		name   string
		strict bool
		ivs    [][2]int
		lines  []int
		is     []error
	}{
		{"touching is fine", false, [][2]int{{1, 5}, {6, 9}}, nil, nil},
		{"reversed", false, [][2]int{{5, 1}}, []int{1}, []error{ipdb.ErrReversed}},
		{"overlap", false, [][2]int{{1, 5}, {5, 9}}, []int{2}, []error{ipdb.ErrOverlap}},
		{"duplicate", false, [][2]int{{1, 5}, {1, 5}}, []int{2}, []error{ipdb.ErrDuplicate}},
		{"unsorted sorted", false, [][2]int{{10, 12}, {1, 5}}, nil, nil},
		{"unsorted strict", true, [][2]int{{10, 12}, {1, 5}}, []int{2}, []error{ipdb.ErrUnsorted}},
		{"all at once", true, [][2]int{{10, 12}, {1, 5}, {9, 3}, {11, 20}}, []int{2, 3, 4}, []error{ipdb.ErrUnsorted, ipdb.ErrReversed, ipdb.ErrOverlap}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := ipdb.IntervalBuilder[int, int]{Strict: tt.strict}
			for i, iv := range tt.ivs {
				b.Add(iv[0], iv[1], i)
			}
			tab, err := b.Build()
			if tt.lines == nil {
				require.NoError(t, err)
				assert.Equal(t, len(tt.ivs), tab.Len())
				return
			}
			require.Error(t, err)
			parts := err.(interface{ Unwrap() []error }).Unwrap()
			require.Len(t, parts, len(tt.lines), "%v", err)
			for i, p := range parts {
				var pe *ipdb.ParseError
				require.True(t, errors.As(p, &pe))
				assert.Equal(t, tt.lines[i], pe.Line, "%v", p)
				assert.ErrorIs(t, p, tt.is[i])
			}
		})
	}
}

func TestTimeBuilder(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var b ipdb.TimeBuilder[string]
	b.Add(t0, t0.Add(time.Hour), "a")
	b.Add(t0.Add(time.Hour), t0.Add(2*time.Hour), "b") // touches a
	tab, err := b.Build()
	require.NoError(t, err)
	for _, tt := range []struct {
		at   time.Time
		want string
	}{
		{t0.Add(-time.Nanosecond), ""},
		{t0, "a"},
		{t0.Add(time.Hour - time.Nanosecond), "a"},
		{t0.Add(time.Hour), "b"},
		{t0.Add(2 * time.Hour), ""},
		{time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), ""},
	} {
		got, _ := tab.Find(tt.at)
		assert.Equal(t, tt.want, got, "Find(%v)", tt.at)
	}
	var spans [][2]time.Time
	for s := range tab.All() {
		spans = append(spans, s)
	}
	assert.Equal(t, [][2]time.Time{{t0, t0.Add(time.Hour)}, {t0.Add(time.Hour), t0.Add(2 * time.Hour)}}, spans)

	b.Add(t0, t0, "empty")
	b.Add(t0, time.Date(3000, 1, 1, 0, 0, 0, 0, time.UTC), "far")
	b.Add(t0.Add(30*time.Minute), t0.Add(90*time.Minute), "x")
	b.Add(t0.Add(time.Hour), t0.Add(2*time.Hour), "y")
	_, err = b.Build()
	require.Error(t, err)
	assert.ErrorIs(t, err, ipdb.ErrReversed)
	assert.ErrorIs(t, err, ipdb.ErrTime)
	assert.ErrorIs(t, err, ipdb.ErrOverlap)
	assert.ErrorContains(t, err, "2026-01-01T01:00:00Z")

	nested := ipdb.TimeBuilder[string]{Innermost: true}
	nested.Add(t0, t0.Add(24*time.Hour), "day")
	nested.Add(t0.Add(12*time.Hour), t0.Add(13*time.Hour), "lunch")
	tab, err = nested.Build()
	require.NoError(t, err)
	assert.Equal(t, 3, tab.Len())
	got, _ := tab.Find(t0.Add(12*time.Hour + 30*time.Minute))
	assert.Equal(t, "lunch", got)
	got, _ = tab.Find(t0.Add(13 * time.Hour))
	assert.Equal(t, "day", got)
}
