package address

import (
	"errors"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rowFields returns the field names of a layout, row by row.
func rowFields(l FormLayout) [][]string {
	var out [][]string
	for _, r := range l.Rows {
		var row []string
		for _, f := range r {
			row = append(row, f.Field.String())
		}
		out = append(out, row)
	}
	return out
}

func TestForm(t *testing.T) {
	tests := []struct {
		country, lang string
		want          [][]string
	}{
		{"US", "en", [][]string{{"name"}, {"organization"}, {"street_address"}, {"city", "state", "postal_code"}}},
		{"DE", "", [][]string{{"name"}, {"organization"}, {"street_address"}, {"postal_code", "city"}}},
		{"JP", "ja", [][]string{{"organization"}, {"name"}, {"postal_code"}, {"state"}, {"street_address"}}},
		{"JP", "ja-Latn", [][]string{{"name"}, {"organization"}, {"postal_code"}, {"street_address", "state"}}},
		{"KR", "ko", [][]string{{"organization"}, {"name"}, {"postal_code"}, {"state", "city", "dependent_locality"}, {"street_address"}}},
		{"CN", "zh", [][]string{{"organization"}, {"name"}, {"postal_code"}, {"state", "city", "dependent_locality"}, {"street_address"}}},
		{"TW", "zh-Hant", [][]string{{"organization"}, {"name"}, {"postal_code"}, {"state", "city"}, {"street_address"}}},
		{"BR", "pt", [][]string{{"organization"}, {"name"}, {"postal_code"}, {"street_address"}, {"dependent_locality"}, {"city", "state"}}},
		{"qz", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.country+"/"+tt.lang, func(t *testing.T) {
			l, err := Form(tt.country, tt.lang)
			if tt.want == nil {
				assert.True(t, errors.Is(err, ErrUnknownRegion), "Form(%q) error = %v", tt.country, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, rowFields(l))
		})
	}
}

func TestFormDetails(t *testing.T) {
	us, err := Form("US", "en")
	require.NoError(t, err)
	zip := us.Rows[3][2]
	assert.Equal(t, FormField{Field: PostalCode, Label: "zip", LabelText: "ZIP code", Required: true, Width: Short}, zip)
	state := us.Rows[3][1]
	assert.Equal(t, "state", state.Label)
	assert.True(t, state.Uppercase)
	assert.Equal(t, Short, state.Width)
	assert.Equal(t, Long, us.Rows[2][0].Width)
	assert.Len(t, us.Subdivisions, 62)
	assert.Equal(t, Subdivision{Key: "CA", Name: "California", ISOCode: "CA"}, us.Subdivisions[8])
	assert.Equal(t, `^(?:(\d{5})(?:[ \-](\d{4}))?)$`, us.PostalPattern)
	assert.Equal(t, []string{"95014", "22162-1010"}, us.PostalExamples)

	jp, err := Form("JP", "ja")
	require.NoError(t, err)
	assert.Equal(t, "prefecture", jp.Rows[3][0].Label)
	assert.Equal(t, "Prefecture", jp.Rows[3][0].LabelText)
	assert.Equal(t, Subdivision{Key: "東京都", Name: "東京都", LatinName: "Tokyo", ISOCode: "13"}, jp.Subdivisions[12])
	jpl, err := Form("JP", "ja-Latn")
	require.NoError(t, err)
	assert.Equal(t, "Tokyo", jpl.Subdivisions[12].Name)

	ca, err := Form("CA", "fr")
	require.NoError(t, err)
	assert.Equal(t, Subdivision{Key: "QC", Name: "Québec", LatinName: "", ISOCode: "QC"}, ca.Subdivisions[slices.IndexFunc(ca.Subdivisions, func(s Subdivision) bool { return s.Key == "QC" })])

	in, err := Form("IN", "")
	require.NoError(t, err)
	assert.Equal(t, "PIN code", in.Rows[len(in.Rows)-2][1].LabelText)

	ch, err := Form("CH", "de")
	require.NoError(t, err)
	assert.Equal(t, "CH-", ch.PostalPrefix)

	ee, err := Form("EE", "et")
	require.NoError(t, err)
	for _, r := range ee.Rows {
		for _, f := range r {
			if f.Field == City {
				assert.Equal(t, "Linn/vald", f.LabelText)
			}
		}
	}
}

func TestFormAllRegions(t *testing.T) {
	for _, code := range Default().Regions() {
		l, err := Form(code, "")
		require.NoError(t, err, code)
		assert.NotEmpty(t, l.Rows, code)
		for _, r := range l.Rows {
			for _, f := range r {
				assert.NotEmpty(t, f.LabelText, "%s %s", code, f.Field)
			}
		}
	}
}

// TestFormLayoutIsACopy checks that a caller changing a layout does not
// change the shared rules.
func TestFormLayoutIsACopy(t *testing.T) {
	l, err := Form("US", "en")
	require.NoError(t, err)
	l.PostalExamples[0] = "changed"
	l.Subdivisions[0].Name = "changed"
	l.Rows[0][0].LabelText = "changed"
	again, err := Form("US", "en")
	require.NoError(t, err)
	assert.Equal(t, "95014", again.PostalExamples[0])
	assert.Equal(t, "Alabama", again.Subdivisions[0].Name)
	assert.Equal(t, "Name", again.Rows[0][0].LabelText)
}
