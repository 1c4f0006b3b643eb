package ipdb

import (
	"fmt"
	"strings"
)

// Category says what kind of network a range belongs to, which is what
// decides how to treat its traffic: a search engine's crawler is a robot
// one usually wants, a rented cloud server signing up for accounts one
// usually does not. The zero Category, CategoryUnknown, means the list
// did not say.
type Category uint8

// Categories.
const (
	CategoryUnknown    Category = iota // not stated
	CategoryDatacenter                 // hosting provider or datacenter
	CategoryCrawler                    // search engine crawler, monitoring or other declared robot
	CategoryCloud                      // cloud provider: CPU rented by the slice
	CategoryVPN                        // VPN, proxy or relay with people behind it
	CategoryOther                      // anything else a list marks
	numCategories
)

var categoryNames = [numCategories]string{"unknown", "datacenter", "crawler", "cloud", "vpn", "other"}

// String returns the category's name: "unknown", "datacenter",
// "crawler", "cloud", "vpn" or "other" ("category(N)" for undefined
// values). These names serve as [Traffic] keys.
func (c Category) String() string {
	if c < numCategories {
		return categoryNames[c]
	}
	return fmt.Sprintf("category(%d)", uint8(c))
}

// ParseCategory parses a category name as [Category.String] writes it,
// ignoring case and surrounding space, and these common synonyms:
// "hosting" (datacenter), "bot", "search engine", "search", "monitoring"
// (crawler), "rented cpu" (cloud), "proxy", "relay" (vpn); "" is
// CategoryUnknown. Other text is an error wrapping [ErrField].
func ParseCategory(s string) (Category, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "unknown":
		return CategoryUnknown, nil
	case "datacenter", "hosting":
		return CategoryDatacenter, nil
	case "crawler", "bot", "search engine", "search", "monitoring":
		return CategoryCrawler, nil
	case "cloud", "rented cpu":
		return CategoryCloud, nil
	case "vpn", "proxy", "relay":
		return CategoryVPN, nil
	case "other":
		return CategoryOther, nil
	}
	return CategoryUnknown, fmt.Errorf("%w: unknown category %q", ErrField, cut(s))
}

// Verdict is what to do with traffic from a range: allow it (a search
// engine's crawler: "not all robots are bad") or deny it. The zero
// Verdict, VerdictUnknown, leaves the decision to the caller.
type Verdict uint8

// Verdicts.
const (
	VerdictUnknown Verdict = iota // no decision stated
	VerdictAllow                  // let it in
	VerdictDeny                   // keep it out, or treat it as suspect
	numVerdicts
)

var verdictNames = [numVerdicts]string{"unknown", "allow", "deny"}

// String returns "unknown", "allow" or "deny" ("verdict(N)" for
// undefined values).
func (v Verdict) String() string {
	if v < numVerdicts {
		return verdictNames[v]
	}
	return fmt.Sprintf("verdict(%d)", uint8(v))
}

// ParseVerdict parses "allow" or "deny" (also "yes"/"no", "good"/"bad",
// "block"), ignoring case and surrounding space; "" and "unknown" are
// VerdictUnknown. Other text is an error wrapping [ErrField].
func ParseVerdict(s string) (Verdict, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "unknown":
		return VerdictUnknown, nil
	case "allow", "yes", "good":
		return VerdictAllow, nil
	case "deny", "no", "bad", "block":
		return VerdictDeny, nil
	}
	return VerdictUnknown, fmt.Errorf("%w: unknown verdict %q", ErrField, cut(s))
}
