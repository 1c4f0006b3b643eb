// Package checkout is the two-tap check-out flow of a device lab, on top of
// the Wiegand decoding of package rfid.
//
// Start here: enrol badges and device tags in a [Directory] ([NewDirectory]).
// Open the ledger file with [OpenLedger] (or use a zero [Ledger] in memory)
// and build the state machine with [New]. Feed it frames ([Flow.Frame]) and
// call [Flow.Tick] every second; show the [Event] values it returns.
//
// A lab lends phones and tablets. Each person has a badge, each device a
// tag. At the reader, a person taps their badge and the device's tag, in
// either order, within a window (60 s by default): the device is checked
// out to the person, or checked back in if the person holds it. The
// [Ledger] decides which and keeps the append-only history, "who has
// what" ([Ledger.Loans]) and "what is overdue" ([Ledger.Overdue]).
//
// # The state machine
//
// [Flow] is pure: it reads time only through an injected clock
// ([Config].Now) and starts no goroutines. Feed it decoder frames
// ([Flow.Frame]) or decoded cards ([Flow.Tap]) and call [Flow.Tick] now and
// then; each call returns the [Event] values a screen shows:
//
//   - a first tap waits for its partner (AwaitDevice, AwaitPerson); a
//     second tap of the same kind replaces the waiting one (the event names
//     the replaced tap in Holder); after the window it Expires;
//   - a repeat of the same tag within the dedupe window (3 s) is a
//     Duplicate and ignored, since readers resend a tag held at the antenna;
//   - a bad frame is a BadRead, a card from another site Denied, an
//     unenrolled badge an UnknownPerson (needs enrolment), an unregistered
//     device tag an UnknownDevice — classified by the card-number ranges of
//     the site's [rfid.Policy] when it has them, UnknownTag otherwise;
//   - a device held by someone else is checked in, transferred or refused
//     according to [Config].Held.
//
// # The ledger file
//
// Loans are keyed by the device's tag, so two devices named "Laptop" are
// two loans. [OpenLedger] keeps the history in a file of JSON Lines, one
// record per line, appended and synced (fsync) before [Ledger.Append]
// returns:
//
//	{"time":"2026-01-05T09:00:04Z","action":"out","tag":"170:50007","device":"Pixel 7","person":"Ada","by":"Ada"}
//
// A crash can only tear the last line; OpenLedger drops that line, cuts it
// off the file and returns a warning (a *[LineError] matching [ErrTorn]).
// Any other bad line is an error naming the file and line, and the file
// is left as it is.
//
// # Limits
//
// A line holds at most [MaxRecordSize] (64 KiB) bytes; Append refuses a
// longer record and OpenLedger a longer line, so OpenLedger never buffers
// more than that, keeps about the file's size in memory for the records
// and allocates at most 64 bytes per byte of file in all. No function of the package panics on data; [New] panics only
// on a nil Directory or Ledger (a programming error).
//
// # Privacy
//
// With a salt, the [Directory] keeps persons' tag IDs only as
// HMAC-SHA256(salt, tag ID): the names and the ledger stay readable, but
// the stored data no longer lists badge numbers, which often open doors
// elsewhere on the same site.
//
// # Concurrency
//
// [Directory] and [Ledger] are safe for concurrent use (Append holds the
// ledger's lock while it writes and syncs the file); [Flow] is not.
package checkout
