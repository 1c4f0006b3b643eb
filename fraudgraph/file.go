package fraudgraph

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
)

// WriteFile saves a snapshot of g ([Graph.WriteTo]) as the named file, so
// that a crash or a failed write leaves the previous file intact: it
// writes a temporary file in the same directory, syncs it to disk,
// renames it over name and syncs the directory. The file keeps the
// permissions of the file it replaces, or gets 0644. Read it back with
// [LoadFile].
func (g *Graph) WriteFile(name string) error {
	return writeFileAtomic(name, func(w io.Writer) error {
		_, err := g.WriteTo(w)
		return err
	})
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

// writeFileAtomic writes name through write by way of a synced temporary
// file in the same directory renamed over name; on any error the
// temporary file is removed and name is untouched.
func writeFileAtomic(name string, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(name)
	perm := os.FileMode(0o644)
	if fi, err := os.Stat(name); err == nil {
		perm = fi.Mode().Perm()
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return fmt.Errorf("fraudgraph: writing %s: %w", name, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
			err = fmt.Errorf("fraudgraph: writing %s: %w", name, err)
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

// syncDir makes a rename in dir durable. Windows cannot open a directory
// for syncing, and its renames need no such step.
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
	return err
}
