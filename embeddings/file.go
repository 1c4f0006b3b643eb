package embeddings

import (
	"fmt"
	"io"

	"github.com/craftkit/craftkit/internal/atomicfile"
)

// WriteTextFile writes the model to path in word2vec's text format (see
// [Model.WriteText]) atomically: it writes a temporary file in the same
// directory, flushes it to stable storage, renames it over path and
// flushes the directory, so that a crash or a failed write leaves either
// the previous file or the complete new one, never a mix. A file replaced
// keeps its permission bits; a new one gets 0644.
func (m *Model) WriteTextFile(path string) error { return writeFile(path, m.WriteText) }

// WriteBinaryFile writes the model to path in word2vec's binary format
// (see [Model.WriteBinary]) atomically, as [Model.WriteTextFile] does.
func (m *Model) WriteBinaryFile(path string) error { return writeFile(path, m.WriteBinary) }

// writeFile replaces path with what write writes, atomically.
func writeFile(path string, write func(io.Writer) error) error {
	if err := atomicfile.Write(path, write); err != nil {
		return fmt.Errorf("embeddings: write %s: %w", path, err)
	}
	return nil
}
