package fraudgraph

import (
	"fmt"
	"io"
	"os"

	"github.com/craftkit/craftkit/internal/atomicfile"
)

// WriteFile saves a snapshot of g ([Graph.WriteTo]) as the named file, so
// that a crash or a failed write leaves the previous file intact: it
// writes a temporary file in the same directory, syncs it to disk,
// renames it over name and syncs the directory. The file keeps the
// permissions of the file it replaces, or gets 0644. Read it back with
// [LoadFile].
func (g *Graph) WriteFile(name string) error {
	err := atomicfile.Write(name, func(w io.Writer) error {
		_, err := g.WriteTo(w)
		return err
	})
	if err != nil {
		return fmt.Errorf("fraudgraph: writing %s: %w", name, err)
	}
	return nil
}

// LoadFile reads a snapshot file written by [Graph.WriteFile] (or
// [Graph.WriteTo]); see [Load].
func LoadFile(name string, cfg Config) (*Graph, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("fraudgraph: reading snapshot: %w", err)
	}
	defer f.Close()
	return Load(f, cfg)
}
