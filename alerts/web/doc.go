// Package web serves the on-call review of package alerts as an
// embeddable [net/http.Handler], the way net/http/pprof and expvar are
// mounted in a service: the on-call week with a classification form, the
// weekly update form, the meeting page with its charts, alert history and
// search, and the year, personal and sleep reports.
//
// Start here:
//   - Open a store ([alerts.OpenFile] or an [alerts.Memory]).
//   - Call [New] with the store and [Options] whose Identity names the user
//     of a request (from your reverse proxy's header or your session).
//   - Mount the handler: mux.Handle("/oncall/", http.StripPrefix("/oncall", h))
//     with Options.Prefix "/oncall", and open /oncall/week in a browser.
//
// # Pages
//
// Every page is rendered on the server with html/template and works
// without JavaScript (the handler serves none). Each one is also JSON
// for scripts: add ?format=json or send "Accept: application/json".
//
//	GET  /  or /week    on-call week: ?week=YYYY-MM-DD (the date the week starts, in the
//	                    rotation's zone; default last week), ?contact=NAME or "*" for everyone
//	POST /classify      tags and notes of the week, one submit, plus bulk by host/service
//	GET  /update        weekly update form (?week, ?person);  POST /update saves it
//	GET  /meeting       meeting page (?week): report, key stats, trend and heat-map SVGs,
//	                    updates, noisy alerts, notes;  POST /meeting/notes saves the notes
//	GET  /history       one alert's history (?alert=ID)
//	GET  /search        free-text search (?q)
//	GET  /year          year report (?year=YYYY, in the rotation's zone)
//	GET  /personal      personal report (?person, ?year)
//	GET  /sleep         sleep report (?person, ?week): [alerts.Sleep] when Options.Sleep
//	                    returns periods, else PagerDuty's interruption windows
//	GET  /static/app.css
//
// The week form names its fields by row number ("t3" is the tag of row 3,
// "n3" its note) with a digest of the rows' notification IDs in "rows";
// when the week's notifications changed since the page was rendered the
// submit is refused with 409 and nothing is stored. Scripts may instead
// post "t.<notification ID>" and "n.<notification ID>" without a digest.
// Only rows whose tag or note differs from the stored verdict are saved;
// the bulk fields ("bulk.host", "bulk.service", "bulk.tag", "bulk.note")
// apply to the matching rows not changed one by one. Tag options show the
// tag keys (the page lists each key with its label once), which keeps a
// week of 1,000 notifications under 500 KB of HTML.
//
// # Security
//
// The handler never decides who a user is: [Options].Identity does, and
// a request without an identity gets 401 before anything is read. Every
// state change is a POST carrying a CSRF token bound to the user (an
// HMAC-SHA256 of the user and a 12-hour window under Options.CSRFSecret,
// valid for the current and the previous window, compared in constant
// time); GET and HEAD never write. A responder classifies only the
// notifications sent to the contacts Options.Contacts gives them (by
// default their own name) and edits only their own weekly update; users
// for whom Options.Admin returns true may do both for anyone. Forbidden
// writes get 403 and nothing of the request is stored.
//
// Request bodies are cut at Options.MaxBodyBytes (413 beyond it); notes
// and updates have their own bounds ([MaxNoteBytes], [MaxUpdateBytes],
// 400 beyond them); invalid UTF-8 in a form is replaced by U+FFFD. After a
// POST the handler redirects (303) only to a local path it builds itself
// from Options.Prefix; no request field names a redirect target.
//
// All data goes through html/template's contextual escaping. Charts are
// the SVGs of [alerts.TrendChart] and [alerts.HeatMap], whose text is
// XML-escaped by package alerts, embedded inline; their only inputs from
// data are numbers and dates. Every response carries a
// Content-Security-Policy that allows no script at all, styles and
// images from the handler only, forms posting to the handler only and no
// framing, plus X-Content-Type-Options: nosniff, X-Frame-Options: DENY
// and Referrer-Policy: same-origin.
//
// # Time
//
// Week boundaries come from Options.Rotation (DST-correct, see
// [alerts.Rotation]); times in tables are shown in the viewer's zone
// (Options.Zone, else the rotation's zone).
//
// # Costs
//
// Each request loads the store into an [alerts.Snapshot] ([alerts.Load])
// and renders one report; there is no cache, so a write is visible on
// the next page. The on-call page for a week of 1,000 notifications (half
// classified), loading included, took about 35 ms and 9 MB of
// allocations on the development machine (BenchmarkWeekPage) and is
// 499 KB of HTML, about 0.5 KB per notification. Loading grows with the
// whole store, so stores of many years are better served by a caching
// [alerts.Store] in front of the file. Please evaluate for your own data.
//
// # Concurrency
//
// The handler returned by [New] is safe for concurrent use if the store
// and the Options hooks are.
package web
