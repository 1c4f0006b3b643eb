package ipdb

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/craftkit/craftkit/internal/golden"
)

func datacentersCSV(tb testing.TB) []byte {
	tb.Helper()
	data, err := os.ReadFile("data/datacenters.csv")
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// loadDatacenters loads data/datacenters.csv as gen.go does (strict,
// category datacenter).
func loadDatacenters(tb testing.TB) *Table {
	tb.Helper()
	tab, err := Load(bytesReader(datacentersCSV(tb)), &LoadOptions{Source: "data/datacenters.csv", Strict: true, Category: CategoryDatacenter})
	if err != nil {
		tb.Fatal(err)
	}
	return tab
}

// checkBlob fails unless tab encodes to blob with n ranges: the check
// that a generated file is current.
func checkBlob(tb testing.TB, tab *Table, blob []byte, n int, file string) {
	tb.Helper()
	got, err := tab.MarshalBinary()
	if err != nil {
		tb.Fatal(err)
	}
	if !bytes.Equal(got, blob) || tab.Len() != n {
		tb.Fatalf("%s is stale (%d bytes and %d ranges, regenerated %d and %d): run go generate", file, len(blob), n, len(got), tab.Len())
	}
}

// checkGolden compares got with the golden file (rewritten first when
// the tests run with -update) and reports the first differing lines.
func checkGolden(tb testing.TB, file string, got []byte) {
	tb.Helper()
	golden.Check(tb, file, got, *update)
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// loadProviders builds the innermost-wins table of every provider's list
// named file (ipv4_merged.txt or ipv6_merged.txt) in testdata/ipranges.
func loadProviders(file string) (*Table, error) {
	dirs, err := os.ReadDir("testdata/ipranges")
	if err != nil {
		return nil, err
	}
	b := Builder{Innermost: true}
	for _, d := range dirs {
		f, err := os.Open("testdata/ipranges/" + d.Name() + "/" + file)
		if err != nil {
			continue
		}
		err = b.ReadPrefixes(f, d.Name()+"/"+file, Record{Owner: d.Name()})
		f.Close()
		if err != nil {
			return nil, err
		}
	}
	return b.Build()
}
