package checkout_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/craftkit/craftkit/rfid"
	"github.com/craftkit/craftkit/rfid/checkout"
)

// ExampleFlow_Tap runs two taps in each order and shows what the lab
// screen says.
func ExampleFlow_Tap() {
	dir := checkout.NewDirectory([]byte("lab salt")) // badge IDs stored hashed
	_ = dir.AddPerson(rfid.Card{Facility: 170, Number: 1001}, "Ada")
	_ = dir.AddDevice(rfid.Card{Facility: 170, Number: 50007}, "Pixel 7")

	now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	ledger := &checkout.Ledger{}
	flow := checkout.New(dir, ledger, &checkout.Config{Now: func() time.Time { return now }})

	taps := []uint32{1001, 50007, 50007, 1001}
	for _, n := range taps {
		now = now.Add(10 * time.Second)
		for _, ev := range flow.Tap(rfid.Card{Facility: 170, Number: n}) {
			fmt.Println(ev.Time.Format("15:04:05"), ev)
		}
	}
	fmt.Println(len(ledger.History()), "records,", len(ledger.Loans()), "devices out")
	// Output:
	// 09:00:10 Ada: now tap the device
	// 09:00:20 Pixel 7 checked OUT to Ada
	// 09:00:30 Pixel 7: now tap your badge
	// 09:00:40 Pixel 7 checked IN by Ada
	// 2 records, 0 devices out
}

func ExampleLedger_Overdue() {
	var l checkout.Ledger
	t0 := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	ipad, pixel := rfid.Card{Facility: 170, Number: 50012}, rfid.Card{Facility: 170, Number: 50007}
	_ = l.Append(checkout.Record{Time: t0, Action: checkout.Out, Tag: ipad, Device: "iPad", Person: "Grace"})
	_ = l.Append(checkout.Record{Time: t0.Add(26 * time.Hour), Action: checkout.Out, Tag: pixel, Device: "Pixel 7", Person: "Ada"})
	for _, loan := range l.Overdue(t0.Add(27*time.Hour), 24*time.Hour) {
		fmt.Printf("%s has had the %s since %s\n", loan.Person, loan.Device, loan.Since.Format("Mon 15:04"))
	}
	// Output:
	// Grace has had the iPad since Mon 09:00
}

// ExampleFlow_Frame feeds decoder frames to the flow: a bad frame is a
// bad read, a card from another site is denied, and a tag held at the
// reader is reported once.
func ExampleFlow_Frame() {
	dir := checkout.NewDirectory(nil)
	_ = dir.AddPerson(rfid.Card{Facility: 170, Number: 1001}, "Ada")
	now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	flow := checkout.New(dir, &checkout.Ledger{}, &checkout.Config{
		Site: &rfid.Policy{Format: rfid.H10301, Facilities: []uint32{170}},
		Now:  func() time.Time { return now },
	})

	ada, _ := rfid.H10301.Encode(170, 1001)
	foreign, _ := rfid.H10301.Encode(99, 1234)
	frames := []rfid.Frame{
		{Raw: ada >> 1, Bits: 25, Fault: rfid.FaultLostEdge}, // a lost edge
		{Raw: foreign, Bits: 26},
		{Raw: ada, Bits: 26},
		{Raw: ada, Bits: 26}, // resent while the badge stays at the antenna
	}
	for _, f := range frames {
		now = now.Add(time.Second)
		for _, ev := range flow.Frame(f) {
			fmt.Println(ev.Kind, "|", ev)
		}
	}
	// Output:
	// bad-read | bad read, please tap again (rfid: bad frame (25 bits): lost edge)
	// denied | card 99:1234 is not from this site
	// await-device | Ada: now tap the device
	// duplicate | (repeat of 170:1001 ignored)
}

// ExampleOpenLedger keeps the ledger in a file: loans survive a restart,
// and a line torn by a crash is dropped with a warning.
func ExampleOpenLedger() {
	dir, err := os.MkdirTemp("", "lab")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "ledger.jsonl")

	ledger, warnings, err := checkout.OpenLedger(path)
	if err != nil {
		panic(err)
	}
	t0 := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	laptopA, laptopB := rfid.Card{Facility: 170, Number: 50001}, rfid.Card{Facility: 170, Number: 50002}
	_ = ledger.Append(checkout.Record{Time: t0, Action: checkout.Out, Tag: laptopA, Device: "Laptop", Person: "Ada"})
	_ = ledger.Append(checkout.Record{Time: t0, Action: checkout.Out, Tag: laptopB, Device: "Laptop", Person: "Grace"})
	_ = ledger.Close()

	// A crash in the middle of a write leaves a torn last line.
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	_, _ = f.WriteString(`{"time":"2026-01-05T09:`)
	_ = f.Close()

	ledger, warnings, err = checkout.OpenLedger(path)
	if err != nil {
		panic(err)
	}
	defer ledger.Close()
	for _, w := range warnings {
		fmt.Println(strings.ReplaceAll(w.Error(), path, "ledger.jsonl"))
	}
	for _, loan := range ledger.Loans() {
		fmt.Println(loan.Device, loan.Tag, loan.Person)
	}
	// Output:
	// checkout: ledger.jsonl: line 3: torn last record dropped (23 bytes, no line end)
	// Laptop 170:50001 Ada
	// Laptop 170:50002 Grace
}
