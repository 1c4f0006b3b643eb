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
// # Classification
//
// [DefaultTags] is Opsweekly's tag set, exact: the empty key (Untagged),
// three action tags, five no-action tags and "na" (N/A, counted as
// untagged). A [TagSet] extends it. A [Classification] records the tag,
// a note, the [SleepState], who and when; re-classifying appends a new
// one and the latest wins. [ClassifyAll] applies one verdict to many.
// [WeeklyUpdate] and [MeetingNotes] are stored beside them.
//
// # Store
//
// A [Store] is two methods, Append and Scan, over [Record] values. [File]
// is the default: JSON Lines, append-only, one write and one fsync per
// batch; a torn last line (a crash mid-write) is cut off and saved aside
// with a warning on the next open; unknown fields are kept in
// [Record].Extra and written back unchanged. [Memory] serves tests.
//
// # Reports
//
// [Load] turns a store into a [Snapshot] (notifications deduplicated by
// ID and sorted; latest classification per notification). On-call weeks
// come from a [Rotation] (weekday, time, zone), with DST-correct
// boundaries. [Snapshot.Week] gives totals, counts by state and tag,
// signal/noise = action / (action + no action), top hosts and services
// and a weekday × hour heat map; [Snapshot.Trend] one point per week
// (the year report); [Snapshot.Personal] one person's weeks, top alerts,
// updates and interruption windows; [Snapshot.MeetingReport] last
// week's report, the 12-week trend, all weekly updates, meeting notes
// and the noisiest alerts. [Snapshot.History] is "what did the last
// person do" with frequency over 7, 30 and 365 days; [Snapshot.Search]
// matches host, service, output and notes; [Snapshot.Noisy] ranks alerts
// by no-action notifications and suggests a fix from the dominant
// no-action tag.
//
// # Sleep
//
// [Sleep] compares notifications with a sleep log ([ParseSleepLog], CSV
// or JSON periods): woken count, mean time to sleep (from the alert to
// the next period), time awake and abandoned sleep (not asleep again
// within [SleepOptions].Abandon, 4 h by default). Without sleep data,
// [CountWindows] uses PagerDuty's interruption windows in the
// responder's zone: business hours 8-18 Monday to Friday, off hours
// 18-22 weekdays and 8-22 weekends, sleep hours 22-8.
//
// # Context and rendering
//
// A [Registry] builds a [Message] for a notification: the
// [BaseFormatter] (subject, pager text, output, details, links; every
// notification [Type] handled) and then the formatter named by the
// notification's [FormatterLabel] (nagios-herald's
// _message_formatter_name), by [Registry].Services, or by
// [Registry].Default; an unknown name falls back to the base formatter.
// [NewDefaultRegistry] has check_disk ([DiskFormatter]: volumes fullest
// first, breaching rows marked, stacked bars, df rows against the
// thresholds, sudden or gradual growth and time to full from a
// caller-supplied history, see [AnalyzeGrowth]), check_cpu, check_load
// and check_memory; [GraphFormatter] charts series from a caller's
// [SeriesProvider] and fills link templates; [FrequencyFormatter] adds
// the alert's history from a [Snapshot].
//
// [RenderText], [RenderPager] (a byte limit, cut on a rune boundary),
// [RenderHTML] (html/template: all notification text escaped; charts as
// <img>, which runs no script) and [RenderMIME] (multipart/related with
// text, HTML and cid:-referenced SVG images; encoded headers) render a
// message. [StackedBars], [TrendChart], [HeatMap] and [LineChart] write
// SVG with deterministic bytes that parses with encoding/xml.
//
// # Bounds
//
// Log lines: [MaxLineBytes] (64 KiB) unless [ParseOptions] says
// otherwise. Webhook bodies and JSON exports: [MaxPayloadBytes] (4 MiB).
// Environments: [MaxEnvBytes]. Perfdata: [MaxPerfdataBytes]. Store
// records: [MaxRecordBytes] (1 MiB) unless [FileConfig] says otherwise.
// CSV rows: [MaxLineBytes] per physical line. Sleep logs:
// [MaxSleepPeriods]. Notes: 64 KiB ([TagSet.Check]). Input over a bound
// is an error wrapping [ErrTooLong]; nothing is allocated from a size
// read from the input.
//
// # Concurrency
//
// Parsers are pure functions. Value types ([Notification], [Alert]) are
// safe to share once built. [File], [Memory], [TagSet] and [Snapshot]
// are safe for concurrent use; [File] serialises appends within the
// process and lets readers scan while a batch is written (they see whole
// batches only). Only one process should write a store file at a time.
//
// # Costs
//
// Appending to a [File] costs one write and one fsync per batch: about
// 38,000 classifications/s in batches of 100 on the development machine
// (BenchmarkFileAppendClassifications). [Load] reads and indexes the
// whole store; reports are linear in the notifications of their range.
// Loading 52 weeks × 1,000 notifications (80% classified, 14 MB of JSON
// Lines) and computing every report takes about 1.1 s of CPU
// (BenchmarkYearReports reports cpu-s/op beside wall time), most of it
// JSON decoding, with about 370 MB allocated over the run (mostly
// short-lived decoding garbage).
// Please evaluate for your own disks and data.
package alerts
