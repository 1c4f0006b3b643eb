package ipdb

import (
	"fmt"

	"github.com/craftkit/craftkit/internal/atomicfile"
)

// WriteFile saves the binary form of t ([Table.MarshalBinary]) as the
// named file, so that a crash or a failed write leaves the previous file
// intact: it writes a temporary file in the same directory, syncs it to
// disk, renames it over name and syncs the directory. The file keeps the
// permissions of the file it replaces, or gets 0644. Read it back with
// os.ReadFile and [Decode].
func (t *Table) WriteFile(name string) error {
	blob, err := t.MarshalBinary()
	if err != nil {
		return err
	}
	if err := atomicfile.WriteBytes(name, blob); err != nil {
		return fmt.Errorf("ipdb: writing %s: %w", name, err)
	}
	return nil
}
