package alerts_test

import (
	"encoding/base64"
	"encoding/json"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/craftkit/craftkit/internal/golden"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/golden")

// checkGolden compares got with testdata/golden/name, or rewrites it with
// -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", "golden", name), got, *update)
}

func goldenJSON(t *testing.T, name string, v any) {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	require.NoError(t, err)
	checkGolden(t, name, append(b, '\n'))
}

func decodeB64(t *testing.T, b []byte) string {
	t.Helper()
	out, err := base64.StdEncoding.DecodeString(strings.NewReplacer("\r", "", "\n", "").Replace(string(b)))
	require.NoError(t, err)
	return string(out)
}
