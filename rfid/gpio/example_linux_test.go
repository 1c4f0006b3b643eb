//go:build linux

package gpio_test

import (
	"fmt"
	"time"

	"github.com/warthog618/go-gpiocdev"

	"github.com/craftkit/craftkit/rfid/gpio"
)

func ExampleMapping_Event() {
	m := gpio.Mapping{D0: 17, D1: 18}
	recorded := []gpiocdev.LineEvent{
		{Offset: 18, Timestamp: 5 * time.Second, Type: gpiocdev.LineEventFallingEdge, Seqno: 1},
		{Offset: 18, Timestamp: 5*time.Second + 41*time.Microsecond, Type: gpiocdev.LineEventRisingEdge, Seqno: 2},
		{Offset: 3, Timestamp: 5 * time.Second, Type: gpiocdev.LineEventFallingEdge, Seqno: 3},
	}
	for _, le := range recorded {
		ev, ok := m.Event(le)
		fmt.Println(ev, ok)
	}
	// Output:
	// 5000000000 D1 fall 1 true
	// 5000041000 D1 rise 2 true
	// 0 D0 fall false
}
