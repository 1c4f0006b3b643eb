package embeddings

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
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
func writeFile(path string, write func(io.Writer) error) (err error) {
	perm := fs.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		perm = fi.Mode().Perm()
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("embeddings: write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
			err = fmt.Errorf("embeddings: write %s: %w", path, err)
		}
	}()
	if err := write(f); err != nil {
		return err
	}
	if err := f.Chmod(perm); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir flushes a directory's entries, so that a rename in it survives
// a crash. Systems that cannot open a directory for syncing (Windows)
// skip it.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, errors.ErrUnsupported) && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}
