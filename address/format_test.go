package address

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

var usAddress = Address{
	Country: "US", Name: "John Doe", Organization: "Google",
	StreetLines: []string{"1098 Alta Ave", "Suite 2"},
	City:        "Mountain View", State: "CA", PostalCode: "94043",
}

// TestFormat covers the cases of libaddressinput's address formatter unit
// tests (rewritten for the current data): full and sparse addresses,
// literal pruning next to empty fields, multi-line streets, Latin-script
// formats, unknown regions and ignored tokens.
func TestFormat(t *testing.T) {
	tests := []struct {
		name string
		a    Address
		want string
	}{
		{"empty", Address{}, ""},
		{"empty US", Address{Country: "US"}, ""},
		{"US full", usAddress, "John Doe\nGoogle\n1098 Alta Ave\nSuite 2\nMountain View, CA 94043"},
		{"US lower-case code", Address{Country: "us", City: "Mountain View", State: "CA"}, "Mountain View, CA"},
		{"US no city", Address{Country: "US", State: "CA", PostalCode: "94043"}, "CA 94043"},
		{"US only city", Address{Country: "US", City: "Mountain View"}, "Mountain View"},
		{"US only zip", Address{Country: "US", PostalCode: "94043"}, "94043"},
		{"US city and zip", Address{Country: "US", City: "Mountain View", PostalCode: "94043"}, "Mountain View 94043"},
		{"US blank values are empty", Address{Country: "US", Name: " \t", City: "Mountain View", State: "  "}, "Mountain View"},
		{"US blank street lines skipped", Address{Country: "US", StreetLines: []string{"", "1 Main St", " "}}, "1 Main St"},
		{"unknown region uses ZZ", Address{Country: "QZ", Name: "A", StreetLines: []string{"1 Road"}, City: "Town", State: "S", PostalCode: "1"}, "A\n1 Road\nTown"},
		{"empty region uses ZZ", Address{Name: "A", City: "Town"}, "A\nTown"},
		{"long junk region", Address{Country: "rrr", StreetLines: []string{"aaa", "P.O. Box", "aaa"}}, "aaa\nP.O. Box\naaa"},
		{"CH prefix literal", Address{Country: "CH", StreetLines: []string{"Brandschenkestrasse 110"}, City: "Zürich", PostalCode: "8002"}, "Brandschenkestrasse 110\nCH-8002 Zürich"},
		{"CH prefix dropped before empty zip", Address{Country: "CH", City: "Zürich"}, "Zürich"},
		{"CH prefix kept without city", Address{Country: "CH", PostalCode: "123"}, "CH-123"},
		{"FR space after dropped zip", Address{Country: "FR", City: "Paris"}, "Paris"},
		{"BR hyphen dropped", Address{Country: "BR", City: "São Paulo", PostalCode: "01310-200"}, "São Paulo\n01310-200"},
		{"BR hyphen kept", Address{Country: "BR", City: "São Paulo", State: "SP"}, "São Paulo-SP"},
		{"CI sorting code twice", Address{Country: "CI", StreetLines: []string{"32 Boulevard Carde"}, City: "Abidjan", SortingCode: "64"}, "64 32 Boulevard Carde Abidjan 64"},
		{"AX constant line", Address{Country: "AX"}, "ÅLAND"},
		{"AX", Address{Country: "AX", City: "Mariehamn", PostalCode: "22100"}, "AX-22100 Mariehamn\nÅLAND"},
		{"JP local", Address{Country: "JP", Language: "ja", Name: "山田太郎", StreetLines: []string{"六本木6-10-1"}, State: "東京都", PostalCode: "106-6126"}, "〒106-6126\n東京都\n六本木6-10-1\n山田太郎"},
		{"JP local no zip", Address{Country: "JP", State: "東京都", StreetLines: []string{"六本木6-10-1"}}, "東京都\n六本木6-10-1"},
		{"JP Latin", Address{Country: "JP", Language: "ja-Latn", Name: "Taro Yamada", StreetLines: []string{"6-10-1 Roppongi"}, State: "Tokyo", PostalCode: "106-6126"}, "Taro Yamada\n6-10-1 Roppongi, Tokyo\n106-6126"},
		{"JP Latin underscore multi-line", Address{Country: "JP", Language: "ja_Latn", StreetLines: []string{"Roppongi Hills", "6-10-1"}, State: "Tokyo"}, "Roppongi Hills\n6-10-1, Tokyo"},
		{"JP English is not Latin-tagged", Address{Country: "JP", Language: "en", State: "Tokyo", PostalCode: "106-6126"}, "〒106-6126\nTokyo"},
		{"KR local", Address{Country: "KR", Language: "ko", State: "서울특별시", City: "종로구", DependentLocality: "사직동", StreetLines: []string{"사직로8길 1"}, PostalCode: "03051"}, "서울특별시 종로구사직동\n사직로8길 1\n03051"},
		{"KR state only", Address{Country: "KR", Language: "ko-KR", State: "강원"}, "강원"},
		{"KR Latin", Address{Country: "KR", Language: "ko-Latn", State: "Seoul", City: "Jongno-gu", PostalCode: "03051"}, "Jongno-gu\nSeoul\n03051"},
		{"CN local", Address{Country: "CN", Language: "zh", State: "北京市", City: "东城区", StreetLines: []string{"东长安街1号"}, PostalCode: "100006"}, "100006\n北京市东城区\n东长安街1号"},
		{"CN Latin", Address{Country: "CN", Language: "zh-Latn", State: "Beijing Shi", City: "Dongcheng", PostalCode: "100006"}, "Dongcheng\nBeijing Shi, 100006"},
		{"TW local", Address{Country: "TW", Language: "zh-Hant", StreetLines: []string{"台灣信義路三段33號"}, State: "台北市", City: "大安區", PostalCode: "106"}, "106\n台北市大安區\n台灣信義路三段33號"},
		{"IN 2025 landmark tokens ignored", Address{Country: "IN", Name: "A", StreetLines: []string{"1 MG Road"}, City: "Mumbai", PostalCode: "400001", State: "Maharashtra"}, "A\n1 MG Road\nMumbai 400001\nMaharashtra"},
		// Cases of libaddressinput's address_formatter_test.cc.
		{"NZ local language", Address{Country: "NZ", StreetLines: []string{"Rotopapa", "Irwell 3RD"}, PostalCode: "8704", City: "Leeston"}, "Rotopapa\nIrwell 3RD\nLeeston 8704"},
		{"NZ unlikely Latin tag", Address{Country: "NZ", Language: "en-Latn-CN", StreetLines: []string{"Rotopapa", "Irwell 3RD"}, PostalCode: "8704", City: "Leeston"}, "Rotopapa\nIrwell 3RD\nLeeston 8704"},
		{"TW Latin format", Address{Country: "TW", Language: "zh-Latn", StreetLines: []string{"No. 33, Section 3 Xinyi Rd"}, PostalCode: "106", City: "Da-an District", State: "Taipei City"}, "No. 33, Section 3 Xinyi Rd\nDa-an District, Taipei City 106"},
		{"CA multilingual country", Address{Country: "CA", Language: "fr", StreetLines: []string{"5 Rue du Tresor", "Apt. 4"}, State: "QC", PostalCode: "G1R 123", City: "Montmagny"}, "5 Rue du Tresor\nApt. 4\nMontmagny QC G1R 123"},
		{"GB", Address{Country: "GB", StreetLines: []string{"10 Downing Street"}, City: "London", PostalCode: "SW1A 2AA"}, "10 Downing Street\nLondon\nSW1A 2AA"},
		{"plain text keeps markup characters", Address{Country: "US", Name: `<b>"Tom" & 'Jerry'</b>`}, `<b>"Tom" & 'Jerry'</b>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Format(tt.a); got != tt.want {
				t.Errorf("Format(%+v) = %q, want %q", tt.a, got, tt.want)
			}
			if got := string(AppendFormat([]byte("x"), tt.a)); got != "x"+tt.want {
				t.Errorf("AppendFormat = %q, want %q", got, "x"+tt.want)
			}
		})
	}
}

func TestFormatSingleLine(t *testing.T) {
	f := Formatter{SingleLine: true}
	jp := Address{Country: "JP", Name: "山田太郎", StreetLines: []string{"六本木6-10-1"}, State: "東京都", PostalCode: "106-6126"}
	jpLatn := Address{Country: "JP", Language: "ja-Latn", Name: "Taro Yamada", StreetLines: []string{"6-10-1 Roppongi"}, State: "Tokyo", PostalCode: "106-6126"}
	tests := []struct {
		name string
		a    Address
		want string
	}{
		{"US", usAddress, "John Doe, Google, 1098 Alta Ave, Suite 2, Mountain View, CA 94043"},
		{"JP no language: default separator", jp, "〒106-6126, 東京都, 六本木6-10-1, 山田太郎"},
		{"JP ja", withLang(jp, "ja"), "〒106-6126東京都六本木6-10-1山田太郎"},
		{"JP Latin", jpLatn, "Taro Yamada, 6-10-1 Roppongi, Tokyo, 106-6126"},
		{"KR", Address{Country: "KR", Language: "ko", State: "서울특별시", City: "종로구", StreetLines: []string{"사직로8길 1"}, PostalCode: "03051"}, "서울특별시 종로구 사직로8길 1 03051"},
		{"AE Arabic comma", Address{Country: "AE", Language: "ar", StreetLines: []string{"شارع 1"}, State: "دبي"}, "شارع 1، دبي"},
		{"TH space", Address{Country: "TH", Language: "th", StreetLines: []string{"1"}, State: "กรุงเทพ"}, "1 กรุงเทพ"},
		{"NZ", Address{Country: "NZ", Language: "en-Latn-CN", StreetLines: []string{"Rotopapa", "Irwell 3RD"}, PostalCode: "8704", City: "Leeston"}, "Rotopapa, Irwell 3RD, Leeston 8704"},
		{"TW zh-Hant", Address{Country: "TW", Language: "zh-Hant", StreetLines: []string{"台灣信義路三段33號"}, State: "台北市", City: "大安區", PostalCode: "106"}, "106台北市大安區台灣信義路三段33號"},
		{"TW zh-Latn", Address{Country: "TW", Language: "zh-Latn", StreetLines: []string{"No. 33, Section 3 Xinyi Rd"}, PostalCode: "106", City: "Da-an District", State: "Taipei City"}, "No. 33, Section 3 Xinyi Rd, Da-an District, Taipei City 106"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, f.Format(tt.a))
		})
	}
}

func withLang(a Address, lang string) Address {
	a.Language = lang
	return a
}

func TestStreetLine(t *testing.T) {
	two := []string{"Line 1", "Line 2"}
	tests := []struct {
		lang  string
		lines []string
		want  string
	}{
		{"", []string{"Line 1"}, "Line 1"},
		{"zh-Hans", []string{"Line 1"}, "Line 1"},
		{"", two, "Line 1, Line 2"},
		{"en", two, "Line 1, Line 2"},
		{"zh-Hans", two, "Line 1Line 2"},
		{"ko", two, "Line 1 Line 2"},
		{"ar", two, "Line 1، Line 2"},
		{"fr", []string{"Line 1", "Line 2", "Line 3", "Line 4", "Line 5"}, "Line 1, Line 2, Line 3, Line 4, Line 5"},
	}
	for _, tt := range tests {
		a := Address{Country: "US", Language: tt.lang, StreetLines: tt.lines}
		if got := StreetLine(a); got != tt.want {
			t.Errorf("StreetLine(%q, %q) = %q, want %q", tt.lang, tt.lines, got, tt.want)
		}
	}
}

func TestFormatHTML(t *testing.T) {
	got := FormatHTML(usAddress)
	want := `<span class="name">John Doe</span><br><span class="organization">Google</span><br>` +
		`<span class="street_address">1098 Alta Ave</span><br><span class="street_address">Suite 2</span><br>` +
		`<span class="city">Mountain View</span>, <span class="state">CA</span> <span class="postal_code">94043</span>`
	assert.Equal(t, want, got)

	evil := Address{Country: "CH", Name: "<script>alert('x')</script>", City: `"Zü&rich"`, PostalCode: "80\x002\xff"}
	assert.Equal(t, `<span class="name">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</span><br>`+
		`CH-<span class="postal_code">80`+"\uFFFD"+`2`+"\uFFFD"+`</span> <span class="city">&#34;Zü&amp;rich&#34;</span>`, FormatHTML(evil))

	sl := Formatter{SingleLine: true}
	assert.Equal(t, `<span class="city">Zürich</span>`, sl.FormatHTML(Address{Country: "CH", City: "Zürich"}))
}

func TestFormatPostalLabel(t *testing.T) {
	label := Formatter{PostalLabel: true}
	tests := []struct {
		name   string
		f      Formatter
		a      Address
		want   string
		wantSL string
	}{
		{"US international", label, Address{Country: "US", Name: "John Doe", StreetLines: []string{"1098 Alta Ave"}, City: "Mountain View", State: "California", PostalCode: "94043"},
			"John Doe\n1098 Alta Ave\nMOUNTAIN VIEW, CA 94043\nUNITED STATES", ""},
		{"US domestic", Formatter{PostalLabel: true, Origin: "us"}, Address{Country: "US", City: "Mountain View", State: "CA", PostalCode: "94043"},
			"MOUNTAIN VIEW, CA 94043", ""},
		{"DE upper city", label, Address{Country: "DE", StreetLines: []string{"Unter den Linden 1"}, City: "Berlin", PostalCode: "10117"},
			"Unter den Linden 1\n10117 BERLIN\nGERMANY", ""},
		{"JP local country first", label, Address{Country: "JP", Language: "ja", State: "東京都", StreetLines: []string{"六本木6-10-1"}, PostalCode: "106-6126"},
			"JAPAN\n〒106-6126\n東京都\n六本木6-10-1", ""},
		{"JP Latin country last", label, Address{Country: "JP", Language: "ja-Latn", State: "Tokyo", StreetLines: []string{"6-10-1 Roppongi"}, PostalCode: "106-6126"},
			"6-10-1 Roppongi, TOKYO\n106-6126\nJAPAN", ""},
		{"unknown region no country line", label, Address{Country: "QZ", City: "Town"}, "TOWN", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.f.Format(tt.a))
			html := tt.f.FormatHTML(tt.a)
			assert.Equal(t, strings.Count(tt.want, "\n"), strings.Count(html, "<br>"))
		})
	}
	assert.Contains(t, label.FormatHTML(Address{Country: "DE", City: "Berlin"}), `<span class="country">GERMANY</span>`)
}

func TestCountryName(t *testing.T) {
	tests := []struct {
		code, lang, want string
		ok               bool
	}{
		{"DE", "en", "Germany", true},
		{"de", "de", "Deutschland", true},
		{"DE", "de-AT", "Deutschland", true},
		{"JP", "ja", "日本", true},
		{"TW", "zh-Hant", "台灣", true},
		{"TW", "zh_TW", "台灣", true},
		{"US", "xx", "United States", true},
		{"US", "", "United States", true},
		{"QZ", "en", "", false},
		{"", "en", "", false},
	}
	for _, tt := range tests {
		got, ok := CountryName(tt.code, tt.lang)
		if got != tt.want || ok != tt.ok {
			t.Errorf("CountryName(%q, %q) = %q, %v, want %q, %v", tt.code, tt.lang, got, ok, tt.want, tt.ok)
		}
	}
}

// TestLineSeparatorsNeedNoEscaping guards the single-line HTML path, which
// writes the separators unescaped.
func TestLineSeparatorsNeedNoEscaping(t *testing.T) {
	for _, lang := range []string{"", "en", "ja", "zh", "ko", "th", "ar", "fa", "ku", "ps", "ur", "ja-Latn"} {
		sep := lineSeparator(lang)
		assert.Equal(t, sep, string(appendEscaped(nil, sep, false)), "separator of %q", lang)
	}
}
