package ipdb

import (
	"bytes"
	"io"
	"os"
	"testing"
)

func datacentersCSV(tb testing.TB) []byte {
	tb.Helper()
	data, err := os.ReadFile("data/datacenters.csv")
	if err != nil {
		tb.Fatal(err)
	}
	return data
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
