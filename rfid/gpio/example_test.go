package gpio_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/signal"

	"github.com/craftkit/craftkit/rfid"
	"github.com/craftkit/craftkit/rfid/gpio"
)

// ExampleRun reads a reader wired to lines 17 (DATA0) and 18 (DATA1) of
// gpiochip0 until interrupted. It needs the hardware, so it is compiled
// but not run by go test.
func ExampleRun() {
	dec, err := rfid.NewDecoder(&rfid.Options{BothEdges: true})
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err = gpio.Run(ctx, "gpiochip0", 17, 18, dec, func(f rfid.Frame) {
		card, err := f.Card(rfid.H10301)
		if err != nil {
			fmt.Println("bad read:", err)
			return
		}
		fmt.Println("card", card)
	}, gpio.WithConsumer("lab-reader"))
	if err != nil {
		log.Fatal(err)
	}
}
