// Package atomicfile replaces a file so that a crash or a failed write
// leaves either the previous file or the complete new one, never a mix.
// craftkit's packages save their artefacts through it (ipdb tables,
// fraudgraph snapshots, embeddings models, shard files).
package atomicfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
)

// Write replaces name with what write writes. It writes a temporary file
// in the same directory, syncs it to stable storage, renames it over name
// and syncs the directory, so the rename survives a crash. A replaced
// file keeps its permission bits; a new one gets 0644. On any error the
// temporary file is removed and name is untouched. Errors carry no
// package prefix: the caller adds its own.
func Write(name string, write func(io.Writer) error) (err error) {
	perm := fs.FileMode(0o644)
	if fi, err := os.Stat(name); err == nil {
		perm = fi.Mode().Perm()
	}
	dir := filepath.Dir(name)
	f, err := os.CreateTemp(dir, "."+filepath.Base(name)+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = write(f); err != nil {
		return err
	}
	if err = f.Chmod(perm); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, name); err != nil {
		return err
	}
	return syncDir(dir)
}

// WriteBytes replaces name with data, as [Write] does.
func WriteBytes(name string, data []byte) error {
	return Write(name, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// syncDir makes a rename in dir durable. Windows cannot open a directory
// for syncing and needs no such step; file systems that cannot sync a
// directory (EINVAL) are skipped too.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, errors.ErrUnsupported) || errors.Is(err, syscall.EINVAL) {
		return nil
	}
	return err
}
