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
