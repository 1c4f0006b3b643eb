// Package alerts measures on-call: it ingests the notifications a
// responder received, lets them classify each one (action taken, or no
// action and why), stores the decisions, and reports signal to noise,
// sleep lost and noisy alerts week by week, as Etsy's Opsweekly did; and
// it gives a paging notification its context (which volume is full, how
// fast it grew, the last day as a chart), as nagios-herald did.
//
// Start here:
//   - [ParseNagiosLog] (or [ParseEnv], [DecodeWebhook], [ParsePagerDutyCSV], [ParseJSONExport]) returns []Notification.
//   - [OpenFile] gives a durable [Store]; append notifications and [Classification] records with [Store.Append].
//   - [Load] reads a store into a [Snapshot]; [Snapshot.Week] returns the [WeekReport] for a [Rotation] week.
//
// # Model
//
// A [Notification] is one message to one contact about one alert (a
// host and service). Its [Notification.AlertID] identifies the alert,
// its [Notification.ID] this one message; a [Classification] refers to
// the latter. Nagios logs one line per contact: [Dedup] folds them into
// one [Alert] with per-contact counts.
//
// # Formats
//
// Nagios Core log lines and Icinga 2 compat log lines are recognised
// line by line (see [ParseNagiosLine] for the two shapes). Nagios and
// Icinga 1.x notification environments ([ParseEnv]), Alertmanager
// webhook v4 bodies ([DecodeWebhook], [WebhookHandler]), CSV exports
// with a column map ([ParsePagerDutyCSV]) and Logstash/Elasticsearch or
// Splunk JSON and NDJSON ([ParseJSONExport]) are the other ingests.
// Perfdata follows the Nagios plugin guidelines ([ParsePerfdata]).
//
// # Bounds
//
// Log lines: [MaxLineBytes] (64 KiB) unless [ParseOptions] says
// otherwise. Webhook bodies and JSON exports: [MaxPayloadBytes] (4 MiB).
// Environments: [MaxEnvBytes]. Perfdata: [MaxPerfdataBytes]. Input over a
// bound is an error wrapping [ErrTooLong]; nothing is allocated from a
// size read from the input.
//
// # Concurrency
//
// Parsers are pure functions. Value types ([Notification], [Alert]) are
// safe to share once built.
package alerts
