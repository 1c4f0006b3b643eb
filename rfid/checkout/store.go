package checkout

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/craftkit/craftkit/rfid"
)

// MaxRecordSize bounds one line of a ledger file, new-line included.
// [Ledger.Append] refuses longer records ([ErrRecord]) and [OpenLedger]
// refuses longer lines, so reading a file never buffers more than this.
const MaxRecordSize = 64 << 10

// LineError reports a bad line of a ledger file: the error of
// [OpenLedger] for a corrupt line, and the warning for a torn last one
// (matching [ErrTorn]). It is not modified after creation.
type LineError struct {
	Path string // the file as given to OpenLedger
	Line int    // 1-based line number
	Err  error  // the cause
}

// Error returns e.g. `checkout: lab.jsonl: line 7: unknown action "lend"`,
// with the package prefix once.
func (e *LineError) Error() string {
	return fmt.Sprintf("checkout: %s: line %d: %s", e.Path, e.Line, strings.TrimPrefix(e.Err.Error(), "checkout: "))
}

// Unwrap returns the cause.
func (e *LineError) Unwrap() error { return e.Err }

// ledgerFile is the file behind a Ledger: JSON Lines, appended and synced
// record by record. Its methods are called with the Ledger's lock held.
type ledgerFile struct {
	f    *os.File
	path string
	buf  []byte // reused encoding buffer
	err  error  // a failed write or sync: the file may end in a torn line
}

// jsonRecord is the file form of a Record, one per line.
type jsonRecord struct {
	Time   time.Time `json:"time"`
	Action string    `json:"action"`
	Tag    string    `json:"tag"`
	Device string    `json:"device"`
	Person string    `json:"person"`
	By     string    `json:"by"`
}

// OpenLedger opens the ledger file at path, creating it (and syncing its
// folder) if it does not exist, and returns a [Ledger] holding its records
// that appends each new record to the file: one JSON object per line
// (JSON Lines), written and synced (fsync) before [Ledger.Append] returns,
// so a record whose Append returned survives a crash of the process or
// the machine. Call [Ledger.Close] when done. After a failed write or
// sync, Append refuses further records until the ledger is reopened (the
// record whose write failed may or may not be in the file then; it was
// not acknowledged).
//
// A last line without its new line is what a crash in the middle of a
// write leaves: its record was never acknowledged, so OpenLedger drops it,
// cuts it off the file (so the next record starts on a line of its own)
// and returns a warning, a *[LineError] matching [ErrTorn] that names the
// file, the line and the bytes dropped. Every earlier record is kept. Any
// other bad line — not JSON, an unknown field or action, a bad tag, a
// record the ledger's rules refuse (a device checked out twice), or a line
// longer than [MaxRecordSize] — is an error, a *LineError naming the file
// and the line; nothing is dropped then and the file is not changed.
// Blank lines are skipped.
//
// A ledger file belongs to one Ledger at a time: OpenLedger does not lock
// it, and two processes appending to one file would each decide loans
// from their own state.
//
// OpenLedger reads the file once, line by line: it buffers at most
// MaxRecordSize bytes of it at a time, keeps the records (about the
// file's size in memory) and allocates at most 64 bytes per byte of file
// in all (about 50 for the shortest records; checked by
// TestOpenLedgerAllocBound).
func OpenLedger(path string) (l *Ledger, warnings []error, err error) {
	_, statErr := os.Stat(path)
	created := errors.Is(statErr, os.ErrNotExist)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("checkout: opening ledger: %w", err)
	}
	if created {
		if err := syncDir(filepath.Dir(path)); err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("checkout: opening ledger %s: %w", path, err)
		}
	}
	l = &Ledger{}
	good, torn, err := l.replay(f, path)
	if err == nil && torn != nil {
		warnings = append(warnings, torn)
		if err = f.Truncate(good); err == nil {
			err = f.Sync()
		}
		if err != nil {
			err = fmt.Errorf("checkout: %s: cutting the torn last line: %w", path, err)
		}
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	l.file = &ledgerFile{f: f, path: path}
	return l, warnings, nil
}

// syncDir syncs a folder, so that a file just created in it survives a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// replay reads the records of r into l. It returns the length of the
// file's good part, and a warning for a torn last line.
func (l *Ledger) replay(r io.Reader, path string) (good int64, torn *LineError, err error) {
	br := bufio.NewReaderSize(r, MaxRecordSize)
	for n := 1; ; n++ {
		line, err := br.ReadSlice('\n')
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			// Too long: a torn last line if no new line follows.
			size := int64(len(line))
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = br.ReadSlice('\n')
				size += int64(len(line))
			}
			if err == io.EOF {
				return good, &LineError{Path: path, Line: n, Err: fmt.Errorf("%w (%d bytes, no line end)", ErrTorn, size)}, nil
			}
			if err != nil {
				return 0, nil, fmt.Errorf("checkout: reading %s: %w", path, err)
			}
			return 0, nil, &LineError{Path: path, Line: n, Err: fmt.Errorf("%w: line longer than %d bytes", ErrRecord, MaxRecordSize)}
		case err == io.EOF:
			if len(line) > 0 {
				return good, &LineError{Path: path, Line: n, Err: fmt.Errorf("%w (%d bytes, no line end)", ErrTorn, len(line))}, nil
			}
			return good, nil, nil
		case err != nil:
			return 0, nil, fmt.Errorf("checkout: reading %s: %w", path, err)
		}
		if len(bytes.TrimSpace(line)) > 0 {
			r, err := decodeRecord(line)
			if err == nil {
				err = l.check(r)
			}
			if err != nil {
				return 0, nil, &LineError{Path: path, Line: n, Err: err}
			}
			l.apply(r)
		}
		good += int64(len(line))
	}
}

// decodeRecord parses one line of a ledger file.
func decodeRecord(line []byte) (Record, error) {
	if !utf8.Valid(line) {
		// encoding/json would read invalid bytes as U+FFFD.
		return Record{}, fmt.Errorf("%w: line is not valid UTF-8", ErrRecord)
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	var j jsonRecord
	if err := dec.Decode(&j); err != nil {
		return Record{}, err
	}
	if dec.More() {
		return Record{}, errors.New("data after the record")
	}
	if j.Time.IsZero() {
		return Record{}, errors.New("record without time")
	}
	r := Record{Time: j.Time, Device: j.Device, Person: j.Person, By: j.By}
	switch j.Action {
	case "out":
		r.Action = Out
	case "in":
		r.Action = In
	default:
		return Record{}, fmt.Errorf("unknown action %q", j.Action)
	}
	tag, err := parseTag(j.Tag)
	if err != nil {
		return Record{}, err
	}
	r.Tag = tag
	if r.By == "" {
		r.By = r.Person
	}
	return r, nil
}

// parseTag parses a card written by rfid.Card.String, "facility:number".
func parseTag(s string) (rfid.Card, error) {
	fac, num, ok := strings.Cut(s, ":")
	f, err1 := strconv.ParseUint(fac, 10, 32)
	n, err2 := strconv.ParseUint(num, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return rfid.Card{}, fmt.Errorf("bad tag %q, want facility:number", s)
	}
	return rfid.Card{Facility: uint32(f), Number: uint32(n), NumberHigh: uint32(n >> 32)}, nil
}

// append writes and syncs one record.
func (lf *ledgerFile) append(r Record) error {
	if lf.f == nil {
		return ErrClosed
	}
	if lf.err != nil {
		return fmt.Errorf("checkout: %s: an earlier write failed, reopen the ledger: %w", lf.path, lf.err)
	}
	j := jsonRecord{Time: r.Time, Action: r.Action.String(), Tag: r.Tag.String(), Device: r.Device, Person: r.Person, By: r.By}
	b, err := json.Marshal(j)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrRecord, err)
	}
	lf.buf = append(append(lf.buf[:0], b...), '\n')
	if len(lf.buf) > MaxRecordSize {
		return fmt.Errorf("%w: %d bytes encoded, more than %d", ErrRecord, len(lf.buf), MaxRecordSize)
	}
	// One write call: a crash leaves the line whole or torn at its end,
	// which OpenLedger drops.
	if _, err := lf.f.Write(lf.buf); err != nil {
		lf.err = err
		return fmt.Errorf("checkout: writing %s: %w", lf.path, err)
	}
	if err := lf.f.Sync(); err != nil {
		lf.err = err
		return fmt.Errorf("checkout: syncing %s: %w", lf.path, err)
	}
	return nil
}

// Close closes the ledger's file; later Appends return [ErrClosed] and
// queries keep working. Close on a memory-only ledger does nothing. It is
// safe to call Close more than once.
func (l *Ledger) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.file == nil || l.file.f == nil {
		return nil
	}
	err := l.file.f.Close()
	l.file.f = nil
	if err != nil {
		return fmt.Errorf("checkout: closing %s: %w", l.file.path, err)
	}
	return nil
}
