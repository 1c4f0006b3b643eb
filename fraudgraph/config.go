package fraudgraph

import (
	"math"
	"time"
)

// Config configures a [Graph]. The zero Config is ready to use: every zero
// field means the documented default.
type Config struct {
	// Kinds sets the weight and supernode cap per fingerprint kind. Entries
	// override the built-in defaults (see [DefaultKinds]); kinds not listed
	// anywhere use DefaultKind.
	Kinds map[string]Kind

	// DefaultKind applies to kinds absent from Kinds and DefaultKinds.
	// Zero fields mean weight 0.5 and cap 50.
	DefaultKind Kind

	// InviteWeight is the evidence weight of a direct invite, in (0, 1].
	// Zero means 0.6.
	InviteWeight float64

	// MaxHops is the hop limit of queries that leave Query.MaxHops zero.
	// Zero (or negative) means 2; it is lowered to HopLimit if above.
	MaxHops int

	// HopLimit is the largest Query.MaxHops accepted. Zero (or negative)
	// means 255, the most a search records; larger values are lowered to
	// 255. Deep searches stay bounded by MaxVisits and Window.
	HopLimit int

	// MaxVisits is the account limit of queries that leave Query.MaxVisits
	// zero. Zero means 10,000.
	MaxVisits int

	// Window is the time window of queries that leave Query.Window zero:
	// accounts that joined further than Window from the queried account are
	// neither reported nor crossed. Zero means 365 days; negative disables
	// the window by default.
	Window time.Duration

	// BurstWindow is the span within which related signups count as a
	// burst in [Signals]. Zero means 48 hours.
	BurstWindow time.Duration

	// DeltaLimit is the number of live edge entries after which an insert
	// compacts the graph into a new immutable base; the limit used is at
	// least an eighth of the base's entries, so compaction cost stays
	// proportional to inserts. Zero means 1<<20; negative disables
	// automatic compaction (call [Graph.Compact]).
	DeltaLimit int

	// DropUnshared makes compaction and bulk builds forget fingerprints
	// seen on one account only. It saves about 12 bytes per such
	// fingerprint, but a later account with the same value is then not
	// linked to the first one. Off by default.
	DropUnshared bool
}

// Kind configures one fingerprint kind. The zero Kind means "use the
// defaults".
type Kind struct {
	// Weight is the evidence weight of sharing one fingerprint of this kind,
	// in (0, 1]. Zero means the default.
	Weight float64

	// Cap is the largest number of accounts a fingerprint of this kind may
	// link before it is treated as a supernode: searches do not cross it
	// (and report it in [Result.Supernodes]) and explanations down-weight it
	// by 1/log2(accounts). Zero means the default; negative means no cap.
	Cap int

	// Payment marks payment instruments (cards, bank accounts) counted by
	// [Signals.SharedPayment].
	Payment bool
}

// DefaultKinds returns the built-in per-kind settings used when
// Config.Kinds does not name a kind: card (weight 0.9, cap 10, payment),
// device (0.8, 20), email (0.7, 10), phone (0.7, 10), household (0.4, 10)
// and ip (0.3, 50).
func DefaultKinds() map[string]Kind {
	return map[string]Kind{
		"card":      {Weight: 0.9, Cap: 10, Payment: true},
		"device":    {Weight: 0.8, Cap: 20},
		"email":     {Weight: 0.7, Cap: 10},
		"phone":     {Weight: 0.7, Cap: 10},
		"household": {Weight: 0.4, Cap: 10},
		"ip":        {Weight: 0.3, Cap: 50},
	}
}

// settings is a Config with defaults applied.
type settings struct {
	cfg          Config
	kinds        map[string]Kind
	def          Kind
	inviteWeight float64
	maxHops      int
	hopLimit     int
	maxVisits    int
	window       time.Duration
	burst        time.Duration
	deltaLimit   int
}

func resolve(cfg Config) settings {
	s := settings{cfg: cfg, kinds: DefaultKinds()}
	for k, v := range cfg.Kinds {
		s.kinds[k] = v
	}
	s.def = Kind{Weight: 0.5, Cap: 50}
	if cfg.DefaultKind.Weight > 0 {
		s.def.Weight = math.Min(cfg.DefaultKind.Weight, 1)
	}
	if cfg.DefaultKind.Cap != 0 {
		s.def.Cap = cfg.DefaultKind.Cap
	}
	s.def.Payment = cfg.DefaultKind.Payment
	s.inviteWeight = 0.6
	if cfg.InviteWeight > 0 {
		s.inviteWeight = math.Min(cfg.InviteWeight, 1)
	}
	s.hopLimit = maxHopLimit
	if cfg.HopLimit > 0 {
		s.hopLimit = min(cfg.HopLimit, maxHopLimit)
	}
	s.maxHops = 2
	if cfg.MaxHops > 0 {
		s.maxHops = cfg.MaxHops
	}
	s.maxHops = min(s.maxHops, s.hopLimit)
	s.maxVisits = orDefault(cfg.MaxVisits, 10_000)
	s.window = cfg.Window
	if s.window == 0 {
		s.window = 365 * 24 * time.Hour
	}
	s.burst = cfg.BurstWindow
	if s.burst <= 0 {
		s.burst = 48 * time.Hour
	}
	s.deltaLimit = orDefault(cfg.DeltaLimit, 1<<20)
	return s
}

// maxHopLimit is the largest hop count a search records (a uint8).
const maxHopLimit = 255

func orDefault(v, d int) int {
	if v == 0 {
		return d
	}
	return v
}

// kindOf returns the effective settings of a kind name.
func (s *settings) kindOf(name string) Kind {
	k, ok := s.kinds[name]
	if !ok {
		return s.def
	}
	if k.Weight <= 0 {
		k.Weight = s.def.Weight
	}
	k.Weight = math.Min(k.Weight, 1)
	if k.Cap == 0 {
		k.Cap = s.def.Cap
	}
	return k
}
