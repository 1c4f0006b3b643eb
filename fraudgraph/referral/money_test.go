package referral

import "testing"

func TestMoneyString(t *testing.T) {
	tests := []struct {
		m    Money
		want string
	}{
		{Money{1250, "EUR"}, "12.50 EUR"},
		{Money{5, "EUR"}, "0.05 EUR"},
		{Money{-5, "USD"}, "-0.05 USD"},
		{Money{1250, "JPY"}, "1250 JPY"},
		{Money{1250, "BHD"}, "1.250 BHD"},
		{Money{0, ""}, "0.00"},
	}
	for _, tt := range tests {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.m, got, tt.want)
		}
	}
}
