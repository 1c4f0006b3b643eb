package address_test

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/craftkit/craftkit/address"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The contract's function signatures, checked at compile time.
var (
	_ func(address.Address) string                               = address.Format
	_ func(address.Address) string                               = address.FormatHTML
	_ func(address.Address) error                                = address.Validate
	_ func(country, language string) (address.FormLayout, error) = address.Form
)

// TestContractAddressFields checks that Address has exactly the contract's
// fields, in order, so that unkeyed literals written against the contract
// keep compiling.
func TestContractAddressFields(t *testing.T) {
	want := []string{"Country string", "Language string", "Name string", "Organization string",
		"StreetLines []string", "DependentLocality string", "City string", "State string",
		"PostalCode string", "SortingCode string"}
	typ := reflect.TypeFor[address.Address]()
	var got []string
	for i := range typ.NumField() {
		f := typ.Field(i)
		got = append(got, f.Name+" "+f.Type.String())
	}
	assert.Equal(t, want, got)
}

// problems returns the problems of a Validate error as "field kind"
// strings, failing unless err unwraps to *address.ValidationError.
func problems(t *testing.T, err error) []string {
	t.Helper()
	var ve *address.ValidationError
	require.True(t, errors.As(err, &ve), "error %v (%T) is not a *ValidationError", err, err)
	var out []string
	for _, p := range ve.Problems {
		out = append(out, fmt.Sprint(p.Field)+" "+fmt.Sprint(p.Kind))
	}
	return out
}

func TestContractValidate(t *testing.T) {
	de := address.Address{Country: "DE", Name: "Max Mustermann", StreetLines: []string{"Unter den Linden 1"},
		City: "Berlin", State: "Berlin", PostalCode: "10117"}
	assert.Equal(t, []string{"state unused_field"}, problems(t, address.Validate(de)))

	us := address.Address{Country: "US", StreetLines: []string{"1600 Amphitheatre Pkwy"},
		City: "Mountain View", State: "CA", PostalCode: "9404A"}
	assert.Equal(t, []string{"postal_code invalid_format"}, problems(t, address.Validate(us)))
	us.PostalCode = "94043"
	assert.NoError(t, address.Validate(us))

	ae := address.Address{Country: "AE", StreetLines: []string{"Sheikh Zayed Rd"}}
	assert.Equal(t, []string{"state missing_required"}, problems(t, address.Validate(ae)))
	ae.State = "Dubai"
	assert.NoError(t, address.Validate(ae))
	ae.State = "دبي"
	assert.NoError(t, address.Validate(ae))

	// Subdivisions by key, local name and Latin name; postal prefix per state.
	for _, s := range []string{"13", "東京都", "Tokyo", "tokyo"} {
		jp := address.Address{Country: "JP", StreetLines: []string{"六本木6-10-1"}, State: s, PostalCode: "106-6126"}
		if s == "13" {
			// The ISO 3166-2 suffix is accepted too.
			assert.NoError(t, address.Validate(jp), "state %q", s)
			continue
		}
		assert.NoError(t, address.Validate(jp), "state %q", s)
		jp.PostalCode = "530-0001" // Osaka
		assert.Equal(t, []string{"postal_code mismatching_value"}, problems(t, address.Validate(jp)), "state %q", s)
	}
	tx := address.Address{Country: "US", StreetLines: []string{"1 Main St"}, City: "Austin", State: "Texas", PostalCode: "94043"}
	assert.Equal(t, []string{"postal_code mismatching_value"}, problems(t, address.Validate(tx)))
	tx.State = "Texass"
	assert.Equal(t, []string{"state unknown_value"}, problems(t, address.Validate(tx)))
}

func TestContractFormat(t *testing.T) {
	tests := []struct {
		name string
		a    address.Address
		want string
	}{
		{"US", address.Address{Country: "US", Name: "Jane Doe", StreetLines: []string{"1600 Amphitheatre Pkwy"},
			City: "Mountain View", State: "CA", PostalCode: "94043"},
			"Jane Doe\n1600 Amphitheatre Pkwy\nMountain View, CA 94043"},
		{"GB", address.Address{Country: "GB", Name: "Jane Doe", StreetLines: []string{"10 Downing Street"},
			City: "London", PostalCode: "SW1A 2AA"},
			"Jane Doe\n10 Downing Street\nLondon\nSW1A 2AA"},
		{"DE", address.Address{Country: "DE", Name: "Max Mustermann", StreetLines: []string{"Unter den Linden 1"},
			City: "Berlin", PostalCode: "10117"},
			"Max Mustermann\nUnter den Linden 1\n10117 Berlin"},
		{"FR CEDEX in the city field", address.Address{Country: "FR", Organization: "Société X", Name: "Marie Curie",
			StreetLines: []string{"1 rue de Rivoli"}, City: "Paris CEDEX 01", PostalCode: "75001"},
			"Société X\nMarie Curie\n1 rue de Rivoli\n75001 Paris CEDEX 01"},
		{"CI sorting code", address.Address{Country: "CI", StreetLines: []string{"32 Boulevard Carde"},
			City: "Abidjan", SortingCode: "01 BP 1234"},
			"01 BP 1234 32 Boulevard Carde Abidjan 01 BP 1234"},
		{"JP local", address.Address{Country: "JP", Language: "ja", Name: "山田太郎",
			StreetLines: []string{"港区六本木6-10-1"}, State: "東京都", PostalCode: "106-6126"},
			"〒106-6126\n東京都\n港区六本木6-10-1\n山田太郎"},
		{"JP ja-Latn", address.Address{Country: "JP", Language: "ja-Latn", Name: "Taro Yamada",
			StreetLines: []string{"6-10-1 Roppongi, Minato-ku"}, State: "Tokyo", PostalCode: "106-6126"},
			"Taro Yamada\n6-10-1 Roppongi, Minato-ku, Tokyo\n106-6126"},
		{"JP ja-Latn-JP", address.Address{Country: "JP", Language: "ja-Latn-JP", Name: "Taro Yamada",
			State: "Tokyo", PostalCode: "106-6126"},
			"Taro Yamada\nTokyo\n106-6126"},
		{"KR local", address.Address{Country: "KR", Language: "ko", Name: "홍길동", StreetLines: []string{"세종대로 209"},
			State: "서울특별시", City: "종로구", PostalCode: "03171"},
			"서울특별시 종로구\n세종대로 209\n홍길동\n03171"},
		{"KR ko-Latn", address.Address{Country: "KR", Language: "ko-Latn", Name: "Gildong Hong", StreetLines: []string{"209 Sejong-daero"},
			State: "Seoul", City: "Jongno-gu", PostalCode: "03171"},
			"Gildong Hong\n209 Sejong-daero\nJongno-gu\nSeoul\n03171"},
		{"CN local", address.Address{Country: "CN", Language: "zh", Name: "张三", StreetLines: []string{"东长安街1号"},
			State: "北京市", City: "东城区", PostalCode: "100006"},
			"100006\n北京市东城区\n东长安街1号\n张三"},
		{"CN zh-Hans is local", address.Address{Country: "CN", Language: "zh-Hans", State: "北京市", City: "东城区", PostalCode: "100006"},
			"100006\n北京市东城区"},
		{"BR", address.Address{Country: "BR", Language: "pt", Name: "João Silva", StreetLines: []string{"Av. Paulista, 1578"},
			DependentLocality: "Bela Vista", City: "São Paulo", State: "SP", PostalCode: "01310-200"},
			"João Silva\nAv. Paulista, 1578\nBela Vista\nSão Paulo-SP\n01310-200"},
		{"IN", address.Address{Country: "IN", Name: "Ravi Kumar", StreetLines: []string{"1 MG Road"},
			City: "Mumbai", State: "Maharashtra", PostalCode: "400001"},
			"Ravi Kumar\n1 MG Road\nMumbai 400001\nMaharashtra"},
		{"AE", address.Address{Country: "AE", Name: "Ali", StreetLines: []string{"Sheikh Zayed Rd"}, State: "Dubai"},
			"Ali\nSheikh Zayed Rd\nDubai"},
		{"nil street lines", address.Address{Country: "US", City: "Mountain View", State: "CA"}, "Mountain View, CA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := address.Format(tt.a); got != tt.want {
				t.Errorf("Format(%+v) = %q, want %q", tt.a, got, tt.want)
			}
		})
	}
}

// TestContractUnknownCountry checks that any country code that is not a
// region formats with the ZZ default (%N%n%O%n%A%n%C) without panicking.
func TestContractUnknownCountry(t *testing.T) {
	const want = "Name\nOrg\nStreet 1\nCity"
	for _, c := range []string{"", "QZ", "ZZ", "rrr", "U", "U$", "\xff\xfe", "ü", "us-", " US", "\x00\x00"} {
		a := address.Address{Country: c, Name: "Name", Organization: "Org", StreetLines: []string{"Street 1"},
			City: "City", State: "State", PostalCode: "12345", SortingCode: "X"}
		assert.Equal(t, want, address.Format(a), "country %q", c)
		assert.NotPanics(t, func() { _ = address.FormatHTML(a) }, "country %q", c)
		assert.Error(t, address.Validate(a), "country %q", c)
		_, err := address.Form(c, "")
		assert.ErrorIs(t, err, address.ErrUnknownRegion, "country %q", c)
		if err != nil {
			assert.Contains(t, err.Error(), fmt.Sprintf("%q", c), "error names the code")
		}
	}
}

func TestContractUppercase(t *testing.T) {
	label := address.Formatter{PostalLabel: true}
	de := address.Address{Country: "DE", Name: "Max", StreetLines: []string{"Straße 1"}, City: "München", PostalCode: "80331"}
	assert.Equal(t, "Max\nStraße 1\n80331 MÜNCHEN\nGERMANY", label.Format(de))
	assert.Equal(t, "Max\nStraße 1\n80331 München", address.Format(de), "Format keeps the case")
	l, err := address.Form("DE", "de")
	require.NoError(t, err)
	for _, row := range l.Rows {
		for _, f := range row {
			assert.Equal(t, f.Field.String() == "city", f.Uppercase, "DE %s uppercase", f.Field)
		}
	}
}

func TestContractHTML(t *testing.T) {
	a := address.Address{Country: "US", Name: `<a href="x" onclick='y'>Tom & Jerry</a>`, City: "A&B", State: "CA"}
	got := address.FormatHTML(a)
	assert.Equal(t, `<span class="name">&lt;a href=&#34;x&#34; onclick=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;</span><br>`+
		`<span class="city">A&amp;B</span>, <span class="state">CA</span>`, got)
	assert.Equal(t, "<a href=\"x\" onclick='y'>Tom & Jerry</a>\nA&B, CA", address.Format(a), "plain text is never escaped")
}

func TestContractSingleLine(t *testing.T) {
	one := address.Formatter{SingleLine: true}
	tests := []struct {
		a    address.Address
		want string
	}{
		{address.Address{Country: "JP", Language: "ja", StreetLines: []string{"六本木6-10-1"}, State: "東京都", PostalCode: "106-6126"}, "〒106-6126東京都六本木6-10-1"},
		{address.Address{Country: "CN", Language: "zh-Hans", StreetLines: []string{"东长安街1号"}, State: "北京市", City: "东城区", PostalCode: "100006"}, "100006北京市东城区东长安街1号"},
		{address.Address{Country: "TW", Language: "zh-Hant", StreetLines: []string{"信義路三段33號"}, State: "台北市", City: "大安區", PostalCode: "106"}, "106台北市大安區信義路三段33號"},
		{address.Address{Country: "KR", Language: "ko", StreetLines: []string{"세종대로 209"}, State: "서울특별시", City: "종로구", PostalCode: "03171"}, "서울특별시 종로구 세종대로 209 03171"},
		{address.Address{Country: "JP", Language: "ja-Latn", StreetLines: []string{"6-10-1 Roppongi"}, State: "Tokyo", PostalCode: "106-6126"}, "6-10-1 Roppongi, Tokyo, 106-6126"},
		{address.Address{Country: "US", Language: "en", StreetLines: []string{"1 Main St"}, City: "Austin", State: "TX", PostalCode: "78701"}, "1 Main St, Austin, TX 78701"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, one.Format(tt.a), "%s %s", tt.a.Country, tt.a.Language)
	}
}

func TestContractPostalLabel(t *testing.T) {
	label := address.Formatter{PostalLabel: true, Origin: "DE"}
	us := address.Address{Country: "US", StreetLines: []string{"1 Main St"}, City: "Austin", State: "Texas", PostalCode: "78701"}
	assert.Equal(t, "1 Main St\nAUSTIN, TX 78701\nUNITED STATES", label.Format(us))
	jp := address.Address{Country: "JP", Language: "ja", StreetLines: []string{"六本木6-10-1"}, State: "東京都", PostalCode: "106-6126"}
	assert.Equal(t, "JAPAN\n〒106-6126\n東京都\n六本木6-10-1", label.Format(jp))
	domestic := address.Formatter{PostalLabel: true, Origin: "US"}
	assert.Equal(t, "1 Main St\nAUSTIN, TX 78701", domestic.Format(us))
}

// formFields returns the field names of a form layout, row by row.
func formFields(t *testing.T, country, language string) [][]string {
	t.Helper()
	l, err := address.Form(country, language)
	require.NoError(t, err, "Form(%q, %q)", country, language)
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

func TestContractFormOrder(t *testing.T) {
	for _, c := range []struct{ country, lang string }{{"JP", "ja"}, {"KR", "ko"}, {"CN", "zh"}, {"TW", "zh-Hant"}, {"BR", "pt"}} {
		rows := formFields(t, c.country, c.lang)
		// After the recipient rows, the postal code comes first, alone.
		i := 0
		for i < len(rows) && (rows[i][0] == "name" || rows[i][0] == "organization") {
			i++
		}
		require.Less(t, i, len(rows), c.country)
		assert.Equal(t, []string{"postal_code"}, rows[i], "%s %s: %v", c.country, c.lang, rows)
	}
	assert.Equal(t, [][]string{{"name"}, {"organization"}, {"street_address"}, {"city", "state", "postal_code"}}, formFields(t, "US", "en"))
	assert.Equal(t, [][]string{{"name"}, {"organization"}, {"street_address"}, {"state"}}, formFields(t, "AE", "ar"))
}

func TestContractFormLabels(t *testing.T) {
	tests := []struct {
		country, lang string
		field         string
		want          string
	}{
		{"US", "en", "postal_code", "ZIP code"},
		{"GB", "en", "postal_code", "Postcode"},
		{"IN", "en", "postal_code", "PIN code"},
		{"AE", "", "state", "Emirate"},
		{"JP", "ja", "state", "Prefecture"},
		{"HK", "zh-HK", "city", "地區"},
		{"HK", "zh-Hant", "city", "地區"},
		{"HK", "zh", "city", "地区"},
		{"TH", "zh-TW", "city", "郡/區"},
		{"TH", "zh_TW", "city", "郡/區"},
		{"TH", "zh-Hans", "city", "郡/区"},
		{"TH", "th-TH", "city", "อำเภอ/เขต"},
		{"TH", "", "city", "Amphoe / Khet"},
	}
	for _, tt := range tests {
		l, err := address.Form(tt.country, tt.lang)
		require.NoError(t, err)
		found := false
		for _, r := range l.Rows {
			for _, f := range r {
				if f.Field.String() == tt.field {
					found = true
					assert.Equal(t, tt.want, f.LabelText, "Form(%q, %q) %s label", tt.country, tt.lang, tt.field)
				}
			}
		}
		assert.True(t, found, "Form(%q, %q) has no %s", tt.country, tt.lang, tt.field)
	}
}

// TestContractRobust formats, validates and lays out hostile input for
// every region and many language tags: no panics, valid UTF-8 in HTML,
// and no markup but the formatter's own.
func TestContractRobust(t *testing.T) {
	huge := strings.Repeat("<&\"'\x00\xff界", 1<<10)
	values := []string{"", " ", "\xff\xfe\xc3", "\x00", huge, "Zürich", "<script>"}
	langs := []string{"", "x-", "-", "_", "ja-Latn-JP", "zh-Hant", "zh_Latn", "Latn", "--Latn", "\xff", "en-US-u-ca-gregory-Latn"}
	regions := append(address.Default().Regions(), "ZZ", "QZ", "")
	html := address.Formatter{PostalLabel: true, SingleLine: true}
	for i, code := range regions {
		lang := langs[i%len(langs)]
		v := values[i%len(values)]
		a := address.Address{Country: code, Language: lang, Name: v, Organization: v, StreetLines: []string{v, "", v},
			DependentLocality: v, City: v, State: v, PostalCode: v, SortingCode: v}
		if i%5 == 0 {
			a.StreetLines = nil
		}
		for _, out := range []string{address.FormatHTML(a), html.FormatHTML(a)} {
			require.True(t, utf8.ValidString(out), "%s: invalid UTF-8 in HTML", code)
			rest := strings.NewReplacer("<br>", "", "</span>", "").Replace(out)
			for rest != "" {
				j := strings.IndexAny(rest, "<>\"'\x00")
				if j < 0 {
					break
				}
				rest = rest[j:]
				k := strings.Index(rest, `">`)
				require.True(t, strings.HasPrefix(rest, `<span class="`) && k > 0 && k < 40, "%s: stray markup %.30q", code, rest)
				rest = rest[k+2:]
			}
		}
		_ = address.Format(a)
		_ = address.Validate(a)
		_, _ = address.Form(code, lang)
	}
	// One megabyte in every field of one address.
	mb := strings.Repeat("x<\xff", 1<<18)
	a := address.Address{Country: "US", Name: mb, StreetLines: []string{mb}, City: mb, State: mb, PostalCode: mb}
	assert.Equal(t, 5*len(mb)+len("\n\n, "+" "), len(address.Format(a)))
	assert.Error(t, address.Validate(a))
}
