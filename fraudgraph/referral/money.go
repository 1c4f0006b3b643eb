package referral

import (
	"errors"
	"fmt"
	"strconv"
)

// Money is an amount in integer minor units of one currency: 1250 EUR
// is 12.50 euros, 1250 JPY is 1,250 yen. Amounts are never floats.
//
// The zero Money is zero in no currency. It is a plain value.
type Money struct {
	Minor    int64  `json:"minor"`
	Currency string `json:"currency"`
}

// maxMinor bounds every amount the package accepts (10¹⁵ minor units),
// so sums over millions of events cannot overflow an int64.
const maxMinor = 1_000_000_000_000_000

// ErrCurrency reports an amount in a currency other than the programme's,
// or an invalid currency code.
var ErrCurrency = errors.New("referral: wrong or invalid currency")

// validCurrency reports whether c looks like an ISO 4217 code (three
// upper-case letters).
func validCurrency(c string) bool {
	if len(c) != 3 {
		return false
	}
	for i := range 3 {
		if c[i] < 'A' || c[i] > 'Z' {
			return false
		}
	}
	return true
}

// exponent returns the number of minor-unit digits of an ISO 4217
// currency: 0 for the yen-like currencies, 3 for the dinar-like ones, 2
// otherwise.
func exponent(c string) int {
	switch c {
	case "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF":
		return 0
	case "BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND":
		return 3
	}
	return 2
}

// String formats m with its currency's decimals, as "12.50 EUR".
func (m Money) String() string {
	e := exponent(m.Currency)
	neg := m.Minor < 0
	v := m.Minor
	if neg {
		v = -v
	}
	s := strconv.FormatInt(v, 10)
	if e > 0 {
		for len(s) <= e {
			s = "0" + s
		}
		s = s[:len(s)-e] + "." + s[len(s)-e:]
	}
	if neg {
		s = "-" + s
	}
	if m.Currency == "" {
		return s
	}
	return s + " " + m.Currency
}

// checkAmount validates an amount described by where; the caller wraps
// the error with the package prefix.
func checkAmount(where string, v int64) error {
	if v < 0 || v > maxMinor {
		return fmt.Errorf("%s %d out of range 0 to %d minor units", where, v, int64(maxMinor))
	}
	return nil
}
