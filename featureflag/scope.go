package featureflag

import (
	"context"
	"net/http"
	"sync"
)

// Exposure records that a subject was shown a flag's decision, for
// experiment analysis. Off decisions are exposures too (they are the
// control arm of a ramp).
type Exposure struct {
	Flag     string
	Subject  string // the id the flag buckets by (UserID, VisitorID or RequestID)
	Decision Decision
}

// Scope evaluates flags for one subject within one request and reports
// each flag's first decision to an exposure callback, so a flag checked
// many times in a request is logged once. Later checks in the scope
// return that first decision, so one request sees one answer even if the
// config is reloaded meanwhile. A nil *Scope answers every check with
// off. A Scope is safe for concurrent use.
type Scope struct {
	set     *Set
	subject Subject
	expose  func(Exposure)
	mu      sync.Mutex
	decided map[string]Decision
}

// NewScope returns a Scope over set for s; expose, if not nil, is called
// once per flag with the first decision (while the Scope's lock is held,
// so it must not call back into the Scope).
func NewScope(set *Set, s Subject, expose func(Exposure)) *Scope {
	return &Scope{set: set, subject: s, expose: expose}
}

// Subject returns the scope's subject.
func (sc *Scope) Subject() Subject {
	if sc == nil {
		return Subject{}
	}
	return sc.subject
}

// Evaluate returns the decision for flag in this scope.
func (sc *Scope) Evaluate(flag string) Decision {
	if sc == nil || sc.set == nil {
		return Decision{Reason: ReasonUnknown}
	}
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if d, ok := sc.decided[flag]; ok {
		return d
	}
	d := sc.set.Evaluate(flag, sc.subject)
	if sc.decided == nil {
		sc.decided = make(map[string]Decision, 8)
	}
	sc.decided[flag] = d
	if sc.expose != nil && d.Reason != ReasonUnknown {
		sc.expose(Exposure{Flag: flag, Subject: sc.bucketID(flag), Decision: d})
	}
	return d
}

func (sc *Scope) bucketID(flag string) string {
	s := &sc.subject
	if f := sc.set.flags[flag]; f != nil {
		switch {
		case f.bucket == ByVisitor && s.VisitorID != "":
			return s.VisitorID
		case f.bucket == ByRequest:
			return s.RequestID
		}
	}
	return s.UserID
}

// Enabled reports whether flag is on in this scope.
func (sc *Scope) Enabled(flag string) bool { return sc.Evaluate(flag).Variant != "" }

// Variant returns the variant of flag served in this scope ("" if off).
func (sc *Scope) Variant(flag string) string { return sc.Evaluate(flag).Variant }

// Value returns parameter param of flag for the scope's decision.
func (sc *Scope) Value(flag, param string) Value {
	d := sc.Evaluate(flag)
	if sc == nil || sc.set == nil {
		return Value{}
	}
	f := sc.set.flags[flag]
	if f == nil {
		return Value{}
	}
	p := f.params[param]
	if p == nil {
		return Value{}
	}
	if v, ok := p.byVariant[d.Variant]; ok && d.Variant != "" {
		return v
	}
	return p.def
}

type scopeKey struct{}

// NewContext returns a copy of ctx carrying sc.
func NewContext(ctx context.Context, sc *Scope) context.Context {
	return context.WithValue(ctx, scopeKey{}, sc)
}

// FromContext returns the Scope in ctx, or nil (whose checks are all off).
func FromContext(ctx context.Context) *Scope {
	sc, _ := ctx.Value(scopeKey{}).(*Scope)
	return sc
}

// MiddlewareConfig configures [Middleware]. Set and Subject are required.
type MiddlewareConfig struct {
	// Set returns the config to evaluate, such as [Watcher.Set].
	Set func() *Set
	// Subject returns who the request is for. Identity comes from the
	// caller (its session or auth layer), never from the request's query;
	// Staff or Admin must be set only for employees, since only they may
	// override flags.
	Subject func(*http.Request) Subject
	// Param is the query parameter holding overrides; empty means
	// "features" (Etsy's), as in ?features=a,b:x,c:off.
	Param string
	// OnExposure, if set, receives each flag's first decision per request.
	OnExposure func(*http.Request, Exposure)
	// OnOverrideError, if set, receives a staff request's malformed
	// override list (the request proceeds without overrides).
	OnOverrideError func(*http.Request, error)
}

// Middleware puts a request-scoped [Scope] into each request's context
// (read it with [FromContext]). For staff or admin subjects it parses the
// override parameter ([ParseOverrides]); overrides apply only to flags
// with "public_url_override": true. Other subjects' override parameters
// are ignored. Middleware panics if cfg.Set or cfg.Subject is nil.
func Middleware(cfg MiddlewareConfig, next http.Handler) http.Handler {
	if cfg.Set == nil || cfg.Subject == nil {
		panic("featureflag: Middleware needs Set and Subject")
	}
	if cfg.Param == "" {
		cfg.Param = "features"
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := cfg.Subject(r)
		s.Overrides = nil
		if s.Staff || s.Admin {
			if raw := r.URL.Query().Get(cfg.Param); raw != "" {
				o, err := ParseOverrides(raw)
				if err != nil && cfg.OnOverrideError != nil {
					cfg.OnOverrideError(r, err)
				}
				s.Overrides = o
			}
		}
		var expose func(Exposure)
		if cfg.OnExposure != nil {
			expose = func(e Exposure) { cfg.OnExposure(r, e) }
		}
		sc := NewScope(cfg.Set(), s, expose)
		next.ServeHTTP(w, r.WithContext(NewContext(r.Context(), sc)))
	})
}
