package cli

import (
	"os"
	"path/filepath"
)

// FileOrTemp returns path when it is not empty, with a cleanup that does
// nothing. Otherwise it makes a new temporary directory, named after
// pattern as [os.MkdirTemp] does, and returns the file name in it, with a
// cleanup that removes the directory and all it holds. The file itself is
// not created.
func FileOrTemp(path, pattern, name string) (string, func(), error) {
	if path != "" {
		return path, func() {}, nil
	}
	dir, err := os.MkdirTemp("", pattern)
	if err != nil {
		return "", nil, err
	}
	return filepath.Join(dir, name), func() { os.RemoveAll(dir) }, nil
}
