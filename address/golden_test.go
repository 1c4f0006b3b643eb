package address

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rules2018 loads the 2018 countryinfo.txt country lines that the C++
// reference outputs were produced with.
func rules2018(t testing.TB) *Rules {
	t.Helper()
	f, err := os.Open("testdata/countryinfo-2018.txt")
	require.NoError(t, err)
	defer f.Close()
	rs, err := ParseRules(f)
	require.NoError(t, err)
	return rs
}

// TestGoldenCPP reproduces the output of libaddressinput's C++
// GetFormattedNationalAddress on its conformance corpus.
func TestGoldenCPP(t *testing.T) {
	var corpus []struct {
		Address struct {
			RegionCode         string   `json:"regionCode"`
			AddressLine        []string `json:"addressLine"`
			AdministrativeArea string   `json:"administrativeArea"`
			Locality           string   `json:"locality"`
			DependentLocality  string   `json:"dependentLocality"`
			PostalCode         string   `json:"postalCode"`
			SortingCode        string   `json:"sortingCode"`
			Recipient          string   `json:"recipient"`
			Organization       string   `json:"organization"`
			LanguageCode       string   `json:"languageCode"`
		} `json:"address"`
	}
	var want []struct {
		RegionCode string   `json:"regionCode"`
		Formatted  []string `json:"formatted"`
	}
	b, err := os.ReadFile("testdata/golden-corpus.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &corpus))
	b, err = os.ReadFile("testdata/golden-cpp-output.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &want))
	require.Len(t, want, len(corpus))
	require.Len(t, corpus, 24)

	f := Formatter{Rules: rules2018(t)}
	for i, c := range corpus {
		in := c.Address
		a := Address{
			Country: in.RegionCode, Language: in.LanguageCode, Name: in.Recipient,
			Organization: in.Organization, StreetLines: in.AddressLine,
			DependentLocality: in.DependentLocality, City: in.Locality, State: in.AdministrativeArea,
			PostalCode: in.PostalCode, SortingCode: in.SortingCode,
		}
		got := f.Lines(a)
		if len(want[i].Formatted) == 0 {
			assert.Empty(t, got, "case %d %+v", i, a)
			continue
		}
		assert.Equal(t, want[i].Formatted, got, "case %d %+v", i, a)
		assert.Equal(t, strings.Join(want[i].Formatted, "\n"), f.Format(a))
	}
}
