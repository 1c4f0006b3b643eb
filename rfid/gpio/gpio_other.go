//go:build !linux

package gpio

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/craftkit/craftkit/rfid"
)

// Option configures [Run].
type Option func(*config)

// config holds Run's settings.
type config struct {
	consumer   string
	bufferSize int
	tick       time.Duration
}

// WithConsumer sets the consumer label shown by the kernel for the lines.
func WithConsumer(name string) Option { return func(c *config) { c.consumer = name } }

// WithEventBufferSize sets the kernel event buffer size.
func WithEventBufferSize(n int) Option { return func(c *config) { c.bufferSize = n } }

// WithTick sets the tick interval.
func WithTick(d time.Duration) Option { return func(c *config) { c.tick = d } }

// Run returns an error matching [errors.ErrUnsupported]: GPIO character
// devices exist only on Linux.
func Run(ctx context.Context, chip string, d0, d1 int, dec *rfid.Decoder, frames func(rfid.Frame), opts ...Option) error {
	return fmt.Errorf("gpio: reading %s: %w", chip, errors.ErrUnsupported)
}
