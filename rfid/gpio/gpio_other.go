//go:build !linux

package gpio

import (
	"context"
	"errors"
	"fmt"

	"github.com/craftkit/craftkit/rfid"
)

// Run returns an error matching [errors.ErrUnsupported]: GPIO character
// devices exist only on Linux.
func Run(ctx context.Context, chip string, d0, d1 int, dec *rfid.Decoder, frames func(rfid.Frame), opts ...Option) error {
	return fmt.Errorf("gpio: reading chip %q: %w", chip, errors.ErrUnsupported)
}
