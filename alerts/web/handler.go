package web

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/craftkit/craftkit/alerts"
)

// Bounds on request data.
const (
	// DefaultMaxBodyBytes bounds a POST body when Options.MaxBodyBytes is zero.
	DefaultMaxBodyBytes = 1 << 20
	// MaxNoteBytes bounds one classification note or the meeting notes' line.
	MaxNoteBytes = 4 << 10
	// MaxUpdateBytes bounds a weekly update or the meeting notes.
	MaxUpdateBytes = 64 << 10
	// MaxQueryBytes bounds a search query and every other query parameter.
	MaxQueryBytes = 512
	// MaxUserBytes bounds a user name given by Options.Identity.
	MaxUserBytes = 256
)

// ErrNoIdentity is returned by [New] when Options.Identity is nil: the
// handler never decides on its own who a user is.
var ErrNoIdentity = errors.New("web: Options.Identity is required")

// Options configures [New]. Identity is required; every other zero field
// means the documented default.
type Options struct {
	// Identity names the user of a request (for example from the
	// reverse proxy's header or the caller's session); ok false means
	// anonymous, answered with 401. Required.
	Identity func(r *http.Request) (user string, ok bool)
	// Admin reports whether user may classify any notification and edit
	// anyone's weekly update. Nil means nobody is admin.
	Admin func(user string) bool
	// Contacts lists the notification contacts user answers for (their
	// own name, a team receiver). Nil means just user.
	Contacts func(user string) []string
	// Rotation says when on-call weeks start. The zero Rotation starts
	// them on Sunday 00:00 UTC.
	Rotation alerts.Rotation
	// Zone is the viewer's time zone. Nil (or a nil result) means the
	// rotation's zone.
	Zone func(user string) *time.Location
	// Tags is the tag set; nil means [alerts.DefaultTags].
	Tags *alerts.TagSet
	// Sleep returns a person's sleep periods in [from, to) for the sleep
	// report. Nil, or no periods, shows interruption windows instead.
	Sleep func(ctx context.Context, person string, from, to time.Time) ([]alerts.SleepPeriod, error)
	// CSRFSecret keys the CSRF tokens. Nil means 32 random bytes drawn
	// when the handler is built (tokens then die with the process; give
	// a fixed secret to several replicas).
	CSRFSecret []byte
	// MaxBodyBytes bounds a POST body; zero means [DefaultMaxBodyBytes].
	MaxBodyBytes int64
	// Prefix is the path the handler is mounted under after
	// http.StripPrefix (such as "/oncall"), used to build links and
	// redirects. Empty means the root.
	Prefix string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives store and rendering failures (never request
	// bodies). Nil means slog.Default.
	Logger *slog.Logger
}

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/app.css
var appCSS []byte

type handler struct {
	opts  Options
	store alerts.Store
	mux   *http.ServeMux
	pages map[string]*template.Template
	tags  []alerts.Tag
}

// New returns the on-call review handler over store. It returns an error
// wrapping [ErrNoIdentity] when opts (or its Identity) is nil, and an
// error for an invalid Rotation, Prefix or MaxBodyBytes, or when no
// random CSRF secret can be drawn; construction fails rather than serve
// pages that would refuse or mis-date every request.
//
// The handler is safe for concurrent use if store and the hooks are.
func New(store alerts.Store, opts *Options) (http.Handler, error) {
	if opts == nil || opts.Identity == nil {
		return nil, ErrNoIdentity
	}
	if store == nil {
		return nil, errors.New("web: store is nil")
	}
	h := &handler{opts: *opts, store: store}
	o := &h.opts
	if err := o.Rotation.Check(); err != nil {
		return nil, fmt.Errorf("web: Options.Rotation: %w", err)
	}
	if o.Rotation.Location == nil {
		o.Rotation.Location = time.UTC
	}
	if o.Prefix != "" && (!strings.HasPrefix(o.Prefix, "/") || strings.HasPrefix(o.Prefix, "//") ||
		strings.HasSuffix(o.Prefix, "/") || strings.ContainsAny(o.Prefix, "?#\\\"'<> ")) {
		return nil, fmt.Errorf("web: Options.Prefix %q: want empty or /path without a trailing slash", o.Prefix)
	}
	if o.MaxBodyBytes < 0 {
		return nil, fmt.Errorf("web: Options.MaxBodyBytes %d is negative", o.MaxBodyBytes)
	}
	if o.MaxBodyBytes == 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.CSRFSecret == nil {
		o.CSRFSecret = make([]byte, 32)
		if _, err := rand.Read(o.CSRFSecret); err != nil {
			return nil, fmt.Errorf("web: drawing a CSRF secret: %w", err)
		}
	} else {
		if len(o.CSRFSecret) < 16 {
			return nil, fmt.Errorf("web: Options.CSRFSecret has %d bytes, want at least 16", len(o.CSRFSecret))
		}
		o.CSRFSecret = append([]byte(nil), o.CSRFSecret...)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	h.tags = o.Tags.Tags()
	if err := h.parseTemplates(); err != nil {
		return nil, err
	}
	h.routes()
	return h, nil
}

func (h *handler) parseTemplates() error {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return fmt.Errorf("web: templates: %w", err)
	}
	base, err := template.New("layout.html").Funcs(template.FuncMap{
		"pct":  pct,
		"link": h.link,
		"add":  func(a, b int) int { return a + b },
	}).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return fmt.Errorf("web: templates: %w", err)
	}
	h.pages = make(map[string]*template.Template)
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(templateFS, n)
		if err != nil {
			return fmt.Errorf("web: template %s: %w", name, err)
		}
		h.pages[name] = t
	}
	return nil
}

func (h *handler) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /{$}", h.page(h.weekPage))
	m.HandleFunc("GET /week", h.page(h.weekPage))
	m.HandleFunc("POST /classify", h.form(h.classify))
	m.HandleFunc("GET /update", h.page(h.updatePage))
	m.HandleFunc("POST /update", h.form(h.saveUpdate))
	m.HandleFunc("GET /meeting", h.page(h.meetingPage))
	m.HandleFunc("POST /meeting/notes", h.form(h.saveNotes))
	m.HandleFunc("GET /history", h.page(h.historyPage))
	m.HandleFunc("GET /search", h.page(h.searchPage))
	m.HandleFunc("GET /year", h.page(h.yearPage))
	m.HandleFunc("GET /personal", h.page(h.personalPage))
	m.HandleFunc("GET /sleep", h.page(h.sleepPage))
	m.HandleFunc("GET /static/app.css", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=3600")
		_, _ = w.Write(appCSS)
	})
	h.mux = m
}

// ServeHTTP sets the security headers, asks for the identity and routes.
func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("Referrer-Policy", "same-origin")
	user, ok := h.opts.Identity(r)
	if !ok || !validUser(user) {
		http.Error(w, "401 unauthorized: no identity", http.StatusUnauthorized)
		return
	}
	r = r.WithContext(context.WithValue(r.Context(), userKey{}, user))
	h.mux.ServeHTTP(w, r)
}

type userKey struct{}

func userOf(r *http.Request) string { s, _ := r.Context().Value(userKey{}).(string); return s }

func validUser(u string) bool {
	if u == "" || len(u) > MaxUserBytes || !utf8.ValidString(u) {
		return false
	}
	for _, c := range u {
		if unicode.IsControl(c) {
			return false
		}
	}
	return true
}

// httpError is an error with the status to answer and a message safe to
// show (it never holds request data beyond what the template escapes).
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func errorf(status int, format string, args ...any) error {
	return &httpError{status, fmt.Sprintf(format, args...)}
}

// view is what a page handler returns: the template, its data, and the
// value served as JSON.
type view struct {
	name  string
	title string
	data  any
	json  any
}

type pageFunc func(r *http.Request, snap *alerts.Snapshot) (*view, error)

// page loads a snapshot, runs f and renders HTML or JSON.
func (h *handler) page(f pageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		for _, vs := range r.URL.Query() {
			for _, v := range vs {
				if len(v) > MaxQueryBytes {
					h.fail(w, r, errorf(http.StatusBadRequest, "query parameter longer than %d bytes", MaxQueryBytes))
					return
				}
			}
		}
		snap, err := alerts.Load(r.Context(), h.store, h.opts.Tags)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		v, err := f(r, snap)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		h.render(w, r, v)
	}
}

func wantsJSON(r *http.Request) bool {
	if f := r.URL.Query().Get("format"); f != "" {
		return f == "json"
	}
	a := r.Header.Get("Accept")
	return strings.Contains(a, "application/json") && !strings.Contains(a, "text/html")
}

type layoutData struct {
	Title  string
	User   string
	Prefix string
	Zone   string
	Page   any
}

func (h *handler) render(w http.ResponseWriter, r *http.Request, v *view) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Vary", "Accept")
	if wantsJSON(r) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		enc := json.NewEncoder(w)
		if err := enc.Encode(v.json); err != nil {
			h.opts.Logger.Warn("web: writing JSON", "page", v.name, "err", err)
		}
		return
	}
	t := h.pages[v.name]
	if t == nil {
		h.fail(w, r, fmt.Errorf("web: no template %q", v.name))
		return
	}
	user := userOf(r)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	var buf strings.Builder
	if err := t.ExecuteTemplate(&buf, "layout.html", layoutData{
		Title: v.title, User: user, Prefix: h.opts.Prefix, Zone: h.zone(user).String(), Page: v.data,
	}); err != nil {
		h.fail(w, r, fmt.Errorf("web: rendering %s: %w", v.name, err))
		return
	}
	_, _ = w.Write([]byte(buf.String()))
}

// fail answers err: its status and message for an *httpError, 413 for a
// body over the bound, 500 with a fixed text (and a log line) otherwise.
func (h *handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	if he, ok := errors.AsType[*httpError](err); ok {
		http.Error(w, fmt.Sprintf("%d %s: %s", he.status, http.StatusText(he.status), he.msg), he.status)
		return
	}
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		http.Error(w, "413 request body too large", http.StatusRequestEntityTooLarge)
		return
	}
	if errors.Is(err, context.Canceled) {
		return
	}
	h.opts.Logger.Error("web: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	http.Error(w, "500 internal server error", http.StatusInternalServerError)
}

// link builds a local URL under the prefix: path is a constant of the
// templates or handlers, query values are encoded.
func (h *handler) link(path string, kv ...string) string {
	s := h.opts.Prefix + path
	if len(kv) >= 2 {
		q := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] != "" {
				q.Set(kv[i], kv[i+1])
			}
		}
		if e := q.Encode(); e != "" {
			s += "?" + e
		}
	}
	return s
}

func (h *handler) zone(user string) *time.Location {
	if h.opts.Zone != nil {
		if l := h.opts.Zone(user); l != nil {
			return l
		}
	}
	return h.opts.Rotation.Location
}

func (h *handler) admin(user string) bool { return h.opts.Admin != nil && h.opts.Admin(user) }

func (h *handler) contacts(user string) []string {
	if h.opts.Contacts != nil {
		return h.opts.Contacts(user)
	}
	return []string{user}
}

// mayClassify reports whether user may classify n.
func (h *handler) mayClassify(user string, n *alerts.Notification) bool {
	if h.admin(user) {
		return true
	}
	for _, c := range h.contacts(user) {
		if c == n.Contact {
			return true
		}
	}
	return false
}

func pct(v float64) string { return fmt.Sprintf("%.0f%%", v*100) }
