package gpio

import "time"

// Defaults of [Run].
const (
	// DefaultEventBufferSize is the kernel event buffer requested: room
	// for several full 64-bit frames in both-edge mode.
	DefaultEventBufferSize = 1024
	// DefaultConsumer labels the requested lines.
	DefaultConsumer = "craftkit-wiegand"
)

// Option configures [Run]. Options are functions, following go-gpiocdev;
// the rest of craftkit uses option structs.
type Option func(*config)

// config holds Run's settings.
type config struct {
	consumer   string
	bufferSize int
	tick       time.Duration
}

// WithConsumer sets the consumer label shown by the kernel for the lines
// (default "craftkit-wiegand"; "" means the default).
func WithConsumer(name string) Option { return func(c *config) { c.consumer = name } }

// WithEventBufferSize sets the kernel event buffer size, which is also the
// size of the queue between go-gpiocdev's goroutine and Run's (default
// 1024; n <= 0 means the default). The kernel may round it up or cap it.
func WithEventBufferSize(n int) Option { return func(c *config) { c.bufferSize = n } }

// WithTick sets the tick interval (d <= 0 means the default: half the
// decoder's gap, at least 1 ms).
func WithTick(d time.Duration) Option { return func(c *config) { c.tick = d } }
