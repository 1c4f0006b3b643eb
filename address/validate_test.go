package address

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValidate(t *testing.T) {
	de := Address{Country: "DE", StreetLines: []string{"Unter den Linden 1"}, City: "Berlin", PostalCode: "10117"}
	withState := de
	withState.State = "Berlin"
	tests := []struct {
		name string
		a    Address
		want []Problem
	}{
		{"US valid", usAddress, nil},
		{"US state by name", Address{Country: "US", StreetLines: []string{"1 Main"}, City: "X", State: "california", PostalCode: "94043"}, nil},
		{"US ZIP+4", Address{Country: "US", StreetLines: []string{"1 Main"}, City: "X", State: "CA", PostalCode: "94043-1351"}, nil},
		{"US missing everything", Address{Country: "US"}, []Problem{{StreetAddress, MissingRequired}, {City, MissingRequired}, {State, MissingRequired}, {PostalCode, MissingRequired}}},
		{"US unknown state", Address{Country: "US", StreetLines: []string{"1 Main"}, City: "X", State: "ZZ", PostalCode: "94043"}, []Problem{{State, UnknownValue}}},
		{"US bad zip", Address{Country: "US", StreetLines: []string{"1 Main"}, City: "X", State: "CA", PostalCode: "9404"}, []Problem{{PostalCode, InvalidFormat}}},
		{"US zip of another state", Address{Country: "US", StreetLines: []string{"1 Main"}, City: "X", State: "TX", PostalCode: "94043"}, []Problem{{PostalCode, MismatchingValue}}},
		{"DE valid", de, nil},
		{"DE with state", withState, []Problem{{State, UnusedField}}},
		{"DE sorting code", Address{Country: "DE", StreetLines: []string{"x"}, City: "Berlin", PostalCode: "10117", SortingCode: "7"}, []Problem{{SortingCode, UnusedField}}},
		{"JP city unused in 2025 format", Address{Country: "JP", StreetLines: []string{"x"}, State: "東京都", City: "港区", PostalCode: "106-6126"}, []Problem{{City, UnusedField}}},
		{"JP prefecture by Latin name", Address{Country: "JP", StreetLines: []string{"x"}, State: "Tokyo", PostalCode: "106-6126"}, nil},
		{"JP zip of another prefecture", Address{Country: "JP", StreetLines: []string{"x"}, State: "大阪府", PostalCode: "106-6126"}, []Problem{{PostalCode, MismatchingValue}}},
		{"AE emirate required", Address{Country: "AE", StreetLines: []string{"x"}}, []Problem{{State, MissingRequired}}},
		{"AE emirate by English name", Address{Country: "AE", StreetLines: []string{"x"}, State: "Dubai"}, nil},
		{"CA-fr province name", Address{Country: "CA", StreetLines: []string{"x"}, City: "Québec", State: "Québec", PostalCode: "G1R 4P5"}, nil},
		{"lower-case country", Address{Country: "de", StreetLines: []string{"x"}, City: "Berlin", PostalCode: "10117"}, nil},
		{"missing country", Address{City: "Berlin"}, []Problem{{Country, MissingRequired}}},
		{"unknown country", Address{Country: "QZ"}, []Problem{{Country, UnknownValue}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.a)
			if tt.want == nil {
				assert.NoError(t, err)
				return
			}
			var ve *ValidationError
			require.True(t, errors.As(err, &ve), "Validate(%+v) = %v, want *ValidationError", tt.a, err)
			assert.Equal(t, tt.want, ve.Problems)
			assert.ErrorIs(t, err, ErrInvalid)
		})
	}
}

func TestValidationErrorMessage(t *testing.T) {
	err := Validate(Address{Country: "DE", StreetLines: []string{"x"}, City: "Berlin", PostalCode: "10117", State: "BE"})
	assert.EqualError(t, err, `address: state "BE" not used in DE`)
	err = Validate(Address{Country: "us", State: "TX", PostalCode: "1"})
	assert.EqualError(t, err, `address: street_address required in US; city required in US; postal_code "1" invalid for US`)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "postal_code", ve.Problems[2].Field.String())
	assert.Equal(t, "invalid_format", ve.Problems[2].Kind.String())
	assert.Equal(t, "postal_code invalid_format", ve.Problems[2].String())

	tests := []struct {
		a    Address
		want string
	}{
		{Address{Country: "us", StreetLines: []string{"1 Main"}, City: "Austin", State: "TX", PostalCode: "94043"},
			`address: postal_code "94043" does not match state "TX" in US`},
		{Address{Country: "US", StreetLines: []string{"1 Main"}, City: "Austin", State: "Texass", PostalCode: "78701"},
			`address: state "Texass" not a subdivision of US`},
		{Address{Country: "DE", StreetLines: []string{"x"}, City: "Berlin", PostalCode: "1011\xff" + strings.Repeat("9", 100)},
			`address: postal_code "1011\xff` + strings.Repeat("9", 59) + `"... invalid for DE`},
		{Address{Country: "Q\x00"}, `address: country "Q\x00" unknown`},
		{Address{City: "Berlin"}, "address: country required"},
	}
	for _, tt := range tests {
		assert.EqualError(t, Validate(tt.a), tt.want)
	}
	// An error built by hand, without the address, names no values.
	hand := &ValidationError{Country: "DE", Problems: []Problem{{State, UnusedField}, {PostalCode, InvalidFormat}}}
	assert.EqualError(t, hand, "address: state not used in DE; postal_code invalid for DE")
}

func TestValidateNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	for _, a := range []Address{usAddress, {Country: "DE", StreetLines: []string{"x"}, City: "Berlin", PostalCode: "10117"}} {
		require.NoError(t, Validate(a))
		if n := testing.AllocsPerRun(100, func() { _ = Validate(a) }); n != 0 {
			t.Errorf("Validate(%s) allocs = %v, want 0", a.Country, n)
		}
	}
}

func TestFormatAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	buf := make([]byte, 0, 512)
	if n := testing.AllocsPerRun(100, func() { buf = AppendFormat(buf[:0], usAddress) }); n != 0 {
		t.Errorf("AppendFormat allocs = %v, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = Format(usAddress) }); n > 1 {
		t.Errorf("Format allocs = %v, want <= 1", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = FormatHTML(usAddress) }); n > 2 {
		t.Errorf("FormatHTML allocs = %v, want <= 2", n)
	}
}

func TestConcurrentUse(t *testing.T) {
	rs := rules2018(t)
	done := make(chan bool)
	for range 4 {
		go func() {
			for range 50 {
				_ = rs.Validate(usAddress)
				_ = Validate(usAddress)
				_ = Format(usAddress)
			}
			done <- true
		}()
	}
	for range 4 {
		<-done
	}
}
