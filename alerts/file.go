package alerts

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
)

// MaxRecordBytes is the default bound on one stored record (1 MiB).
const MaxRecordBytes = 1 << 20

// FileConfig configures [OpenFile]. The zero value is ready to use.
type FileConfig struct {
	// Warn receives recoverable problems found on open (a torn last
	// line). Nil logs them with slog.Default at warning level.
	Warn func(err error)
	// MaxRecordBytes bounds one record; zero means [MaxRecordBytes].
	MaxRecordBytes int
	// NoSync skips fsync (for tests and benchmarks of the encoding only;
	// a crash may then lose acknowledged records).
	NoSync bool
}

// TornError describes the torn tail [OpenFile] found and set aside.
type TornError struct {
	Path   string // the store file
	Offset int64  // where the torn bytes started
	Bytes  int    // how many there were
	Saved  string // the file they were saved to
}

func (e *TornError) Error() string {
	return fmt.Sprintf("alerts: %s: torn last record at byte %d (%d bytes) skipped, saved to %s", e.Path, e.Offset, e.Bytes, e.Saved)
}

// File is the default [Store]: an append-only JSON Lines file, one
// record a line. Each [File.Append] batch is written with one write and
// made durable with fsync before it returns, so an acknowledged record
// survives a crash. A crash mid-batch leaves a torn last line, which
// the next [OpenFile] cuts off (saving the bytes to path+".torn") with a
// warning; earlier records are never rewritten. Appends from one
// process are serialised by the File; readers ([File.Scan]) see whole
// batches only and may run concurrently with appends. One process
// should have a store file open for writing at a time. It is safe for
// concurrent use.
type File struct {
	path string
	cfg  FileConfig

	mu     sync.Mutex // serialises appends and Close
	f      *os.File
	closed bool
	size   atomic.Int64 // bytes of acknowledged records
}

var _ Store = (*File)(nil)

// OpenFile opens (creating if needed) the store at path. It repairs a
// torn last line as described on [File]; it fails if an earlier line is
// over the record bound. An earlier line that is not a valid record is
// reported by [File.Scan] as a [*ParseError] naming its line.
func OpenFile(path string, cfg FileConfig) (*File, error) {
	if cfg.MaxRecordBytes <= 0 {
		cfg.MaxRecordBytes = MaxRecordBytes
	}
	if cfg.Warn == nil {
		cfg.Warn = func(err error) { slog.Default().Warn(err.Error()) }
	}
	_, statErr := os.Stat(path)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("alerts: open store: %w", err)
	}
	if errors.Is(statErr, os.ErrNotExist) && !cfg.NoSync {
		if err := syncDir(filepath.Dir(path)); err != nil {
			f.Close()
			return nil, err
		}
	}
	s := &File{path: path, cfg: cfg, f: f}
	size, err := s.repair()
	if err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Seek(size, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("alerts: open store: %w", err)
	}
	s.size.Store(size)
	return s, nil
}

// repair checks line lengths, parses the last line, and cuts off a torn
// tail; it returns the size of the valid part. Earlier lines are parsed
// by Scan, which reports a bad one with its line number.
func (s *File) repair() (int64, error) {
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return 0, fmt.Errorf("alerts: open store: %w", err)
	}
	br := bufio.NewReaderSize(s.f, 64<<10)
	var off int64
	line := 0
	var lastGood int64
	for {
		b, tooLong, err := readRawLine(br, s.cfg.MaxRecordBytes)
		if len(b) == 0 && err == io.EOF {
			return off, nil
		}
		if err != nil && err != io.EOF {
			return 0, fmt.Errorf("alerts: open store: %w", err)
		}
		line++
		complete := bytes.HasSuffix(b, []byte("\n"))
		var bad error
		switch {
		case tooLong:
			bad = fmt.Errorf("%w: record over %d bytes", ErrTooLong, s.cfg.MaxRecordBytes)
		case !complete:
			bad = io.ErrUnexpectedEOF
		default:
			if _, perr := br.Peek(1); perr != nil { // the last line
				var r Record
				if e := json.Unmarshal(b, &r); e != nil {
					bad = fmt.Errorf("%w: %w", ErrSyntax, e)
				}
			}
		}
		if bad != nil {
			// Is anything after this line? Then it is corruption, not a torn tail.
			if _, perr := br.Peek(1); perr == nil || tooLong {
				pe := newParseError(line, string(b), bad)
				pe.Source = s.path
				return 0, pe
			}
			return lastGood, s.cutTail(lastGood)
		}
		off += int64(len(b))
		lastGood = off
		if err == io.EOF {
			return off, nil
		}
	}
}

// cutTail saves the bytes from off to the end aside and truncates.
func (s *File) cutTail(off int64) error {
	st, err := s.f.Stat()
	if err != nil {
		return fmt.Errorf("alerts: open store: %w", err)
	}
	n := st.Size() - off
	tail := make([]byte, n) // n <= MaxRecordBytes+1: the tail is one unterminated line
	if _, err := s.f.ReadAt(tail, off); err != nil {
		return fmt.Errorf("alerts: open store: reading torn tail: %w", err)
	}
	saved := s.path + ".torn"
	tf, err := os.OpenFile(saved, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("alerts: open store: %w", err)
	}
	_, werr := tf.Write(append(tail, '\n'))
	serr := tf.Sync()
	cerr := tf.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		return fmt.Errorf("alerts: open store: saving torn tail: %w", err)
	}
	if err := s.f.Truncate(off); err != nil {
		return fmt.Errorf("alerts: open store: %w", err)
	}
	if !s.cfg.NoSync {
		if err := s.f.Sync(); err != nil {
			return fmt.Errorf("alerts: open store: %w", err)
		}
	}
	s.cfg.Warn(&TornError{Path: s.path, Offset: off, Bytes: int(n), Saved: saved})
	return nil
}

// Append writes recs as one batch and fsyncs. On error nothing of the
// batch is acknowledged (part of it may be on disk and will be kept or
// cut as a torn tail on the next open).
func (s *File) Append(ctx context.Context, recs []Record) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for i, r := range recs {
		start := buf.Len()
		if err := enc.Encode(r); err != nil {
			return fmt.Errorf("alerts: append record %d: %w", i, err)
		}
		if buf.Len()-start > s.cfg.MaxRecordBytes {
			return fmt.Errorf("%w: record %d is %d bytes, over %d", ErrTooLong, i, buf.Len()-start, s.cfg.MaxRecordBytes)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if _, err := s.f.Write(buf.Bytes()); err != nil {
		return s.rollback(fmt.Errorf("alerts: append: %w", err))
	}
	if !s.cfg.NoSync {
		if err := s.f.Sync(); err != nil {
			return s.rollback(fmt.Errorf("alerts: append: fsync: %w", err))
		}
	}
	s.size.Add(int64(buf.Len()))
	return nil
}

// rollback cuts a failed batch so the file ends on a record boundary.
func (s *File) rollback(err error) error {
	size := s.size.Load()
	if terr := s.f.Truncate(size); terr != nil {
		return errors.Join(err, terr)
	}
	if _, serr := s.f.Seek(size, io.SeekStart); serr != nil {
		return errors.Join(err, serr)
	}
	return err
}

// Scan yields the records acknowledged before the call, in order.
func (s *File) Scan(ctx context.Context) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		size := s.size.Load()
		f, err := os.Open(s.path)
		if err != nil {
			yield(Record{}, fmt.Errorf("alerts: scan store: %w", err))
			return
		}
		defer f.Close()
		br := bufio.NewReaderSize(io.LimitReader(f, size), 64<<10)
		for line := 1; ; line++ {
			if line&1023 == 0 {
				if err := ctx.Err(); err != nil {
					yield(Record{}, err)
					return
				}
			}
			b, tooLong, err := readRawLine(br, s.cfg.MaxRecordBytes)
			if len(b) == 0 && err == io.EOF {
				return
			}
			if err != nil && err != io.EOF {
				yield(Record{}, fmt.Errorf("alerts: scan store: %w", err))
				return
			}
			var r Record
			if tooLong {
				err = ErrTooLong
			} else {
				err = json.Unmarshal(b, &r)
			}
			if err != nil {
				pe := newParseError(line, string(b), err)
				pe.Source = s.path
				yield(Record{}, pe)
				return
			}
			if !yield(r, nil) {
				return
			}
		}
	}
}

// Size returns the bytes of acknowledged records.
func (s *File) Size() int64 { return s.size.Load() }

// Close closes the file; later appends fail with [ErrClosed].
func (s *File) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	return s.f.Close()
}

// readRawLine returns the next line including its '\n' (absent at EOF),
// or, for a line over limit bytes, its first limit bytes with tooLong set
// (the rest is consumed).
func readRawLine(br *bufio.Reader, limit int) (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		frag, e := br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(frag) > limit+1 {
				tooLong = true
				room := min(max(limit-len(buf), 0), len(frag))
				buf = append(buf, frag[:room]...)
			} else {
				buf = append(buf, frag...)
			}
		}
		if e == bufio.ErrBufferFull {
			continue
		}
		return buf, tooLong, e
	}
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("alerts: sync dir: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("alerts: sync dir: %w", err)
	}
	return nil
}
