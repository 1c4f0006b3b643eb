package featureflag

import (
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Limits on a configuration; larger input is rejected with [ErrTooLarge].
const (
	MaxConfigBytes = 64 << 20   // bytes in one config document
	MaxFlags       = 100_000    // flags in one document
	MaxVariants    = 64         // variants of one flag
	MaxListIDs     = 50_000_000 // ids in one user-list file
	MaxListBytes   = 1 << 30    // bytes in one user-list file
)

// Options tune one [Load]. A nil *Options means the defaults.
type Options struct {
	// Environment selects each flag's "environments" entry of that name,
	// which replaces the keys it sets. Empty means none: the base config
	// is used, and every environment entry is still validated.
	Environment string
	// FS resolves "user_files" paths. Nil means a config that references
	// user-list files is rejected.
	FS fs.FS
	// Now returns the time "start" and "end" windows are checked against;
	// nil means time.Now.
	Now func() time.Time
}

// Set is an immutable, loaded flag configuration. The zero Set holds no
// flags (every check is off with [ReasonUnknown]). A Set is safe for
// concurrent use.
type Set struct {
	flags map[string]*flagDef
	names []string // sorted
	files []string // user-list files read, sorted
	now   func() time.Time
}

// Parse loads an Etsy-style JSON flag configuration with the default
// options (no environment, no user-list files). See [Load].
func Parse(data []byte) (*Set, error) {
	return Load(data, nil)
}

// Load parses and validates a JSON flag configuration. Every problem is
// reported at once: the error joins one [*FieldError] per problem (up to
// 200), each naming its path and line. Load reads the user-list files the
// config references from o.FS.
func Load(data []byte, o *Options) (*Set, error) {
	if o == nil {
		o = &Options{}
	}
	if len(data) > MaxConfigBytes {
		return nil, &FieldError{Msg: fmt.Sprintf("config is %d bytes, more than %d", len(data), MaxConfigBytes), Err: ErrTooLarge}
	}
	root, err := parseJSON(data)
	if err != nil {
		je := err.(*jsonError)
		return nil, &FieldError{Line: je.line, Msg: je.msg, Err: ErrSyntax}
	}
	var p problems
	if root.kind != kObject {
		p.at(root, "", ErrType, "config must be an object mapping flag names to flags, not a %s", root.kind)
		return nil, p.err()
	}
	if len(root.obj) > MaxFlags {
		return nil, &FieldError{Msg: fmt.Sprintf("%d flags, more than %d", len(root.obj), MaxFlags), Err: ErrTooLarge}
	}
	s := &Set{flags: make(map[string]*flagDef, len(root.obj)), now: o.Now}
	if s.now == nil {
		s.now = time.Now
	}
	c := compiler{p: &p, o: o, lists: map[string]*listFile{}}
	for i := range root.obj {
		m := &root.obj[i]
		if m.key == "" {
			p.at(m.val, `""`, ErrValue, "flag name is empty")
			continue
		}
		if f := c.flag(m.key, &m.val); f != nil {
			s.flags[m.key] = f
		}
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	s.names = slices.Sorted(maps.Keys(s.flags))
	s.files = slices.Sorted(maps.Keys(c.lists))
	return s, nil
}

// Flags returns the names of the flags in s, sorted.
func (t *Set) Flags() []string { return slices.Clone(t.names) }

// Len returns the number of flags in s.
func (t *Set) Len() int { return len(t.flags) }

// Variants returns the variants flag can serve, in config order ("on" for
// a flag without variants), or nil for an unknown flag.
func (t *Set) Variants(flag string) []string {
	if f := t.flags[flag]; f != nil {
		return slices.Clone(f.variants)
	}
	return nil
}

// Percentages returns the rollout percentage of each variant of flag, in
// the order of [Set.Variants].
func (t *Set) Percentages(flag string) []float64 {
	if f := t.flags[flag]; f != nil {
		return slices.Clone(f.pct)
	}
	return nil
}

// field is one key of a flag object with the path it came from (the base
// object or an environment entry).
type field struct {
	key    string
	val    *node
	parent string // dotted path of the containing object
	whole  bool   // parent is the value's own path (shorthands, nested values)
}

// path returns the field's dotted path; it is built only for messages.
func (f field) path() string {
	if f.whole {
		return f.parent
	}
	return f.parent + "." + f.key
}

type compiler struct {
	p     *problems
	o     *Options
	lists map[string]*listFile // loaded files by path, shared by flags
	buf   []byte               // scratch for canonical sources
}

// flag compiles one flag, validating every environment entry too.
func (c *compiler) flag(name string, n *node) *flagDef {
	base, envs := c.fields(name, n)
	if base == nil {
		return nil
	}
	var chosen *flagDef
	for _, e := range envs {
		merged := mergeFields(base, e.fields)
		f := c.build(name, merged, e.name == c.o.Environment)
		if e.name == c.o.Environment {
			chosen = f
		}
	}
	if chosen == nil && !c.hasEnv(envs) {
		chosen = c.build(name, base, true)
	} else if c.o.Environment != "" {
		// Validate the base too when an environment replaced it.
		c.build(name, base, false)
	}
	return chosen
}

func (c *compiler) hasEnv(envs []envFields) bool {
	for _, e := range envs {
		if e.name == c.o.Environment {
			return true
		}
	}
	return false
}

type envFields struct {
	name   string
	fields []field
}

// fields splits a flag value into its base fields and environment entries.
// A string shorthand is {"enabled": s}. It returns nil base fields after
// reporting a problem.
func (c *compiler) fields(name string, n *node) ([]field, []envFields) {
	switch n.kind {
	case kString, kNumber:
		return []field{{"enabled", n, name, true}}, nil
	case kObject:
	default:
		c.p.at(*n, name, ErrType, "flag must be a string (\"on\", \"off\", a variant), a percentage or an object, not a %s", n.kind)
		return nil, nil
	}
	base := make([]field, 0, len(n.obj))
	var envs []envFields
	for i := range n.obj {
		m := &n.obj[i]
		if m.key != "environments" {
			base = append(base, field{m.key, &m.val, name, false})
			continue
		}
		path := name + "." + m.key
		if m.val.kind != kObject {
			c.p.at(m.val, path, ErrType, "environments must be an object, not a %s", m.val.kind)
			continue
		}
		for j := range m.val.obj {
			e := &m.val.obj[j]
			epath := path + "." + e.key
			switch e.val.kind {
			case kString:
				envs = append(envs, envFields{e.key, []field{{"enabled", &e.val, epath, true}}})
			case kObject:
				var fs []field
				for k := range e.val.obj {
					em := &e.val.obj[k]
					if em.key == "environments" {
						c.p.at(em.val, epath+".environments", ErrValue, "environments cannot nest")
						continue
					}
					fs = append(fs, field{em.key, &em.val, epath, false})
				}
				envs = append(envs, envFields{e.key, fs})
			default:
				c.p.at(e.val, epath, ErrType, "environment entry must be a string or an object, not a %s", e.val.kind)
			}
		}
	}
	return base, envs
}

// mergeFields returns base with the keys of over replaced or appended.
func mergeFields(base, over []field) []field {
	out := slices.Clone(base)
	for _, o := range over {
		i := slices.IndexFunc(out, func(f field) bool { return f.key == o.key })
		if i >= 0 {
			out[i] = o
		} else {
			out = append(out, o)
		}
	}
	return out
}

// build compiles merged fields into a flag. With load false, user-list
// files are not read (the entry is only validated).
func (c *compiler) build(name string, fields []field, load bool) *flagDef {
	f := &flagDef{name: name, fixed: noVariant, admin: noVariant, internal: noVariant, key: name}
	before := len(c.p.errs) + c.p.dropped
	src := c.buf[:0]
	byKey := func(key string) (field, bool) {
		for _, fd := range fields {
			if fd.key == key {
				return fd, true
			}
		}
		return field{}, false
	}
	for _, fd := range fields {
		src = append(src, fd.key...)
		src = append(src, '=')
		src = appendCanonical(src, *fd.val)
		src = append(src, ';')
	}
	// "enabled" first: it declares the variants the other keys refer to.
	if fd, ok := byKey("enabled"); ok {
		c.enabled(f, fd)
	}
	if len(f.variants) == 0 {
		f.variants, f.pct, f.killed = []string{"on"}, []float64{0}, []bool{false}
	}
	lanesAt := -1 // "lanes" is compiled once the variants are all known
	for i, fd := range fields {
		switch fd.key {
		case "lanes":
			lanesAt = i
		case "enabled", "description":
			if fd.key == "description" && fd.val.kind != kString {
				c.p.at(fd.val, fd.path(), ErrType, "description must be a string, not a %s", fd.val.kind)
			}
		case "users":
			f.users = c.members(f, fd, "user")
		case "groups":
			f.groups = c.members(f, fd, "group")
		case "admin":
			f.admin = c.single(f, fd)
		case "internal":
			f.internal = c.single(f, fd)
		case "public_url_override":
			f.override = c.boolean(fd)
		case "bucketing":
			f.bucket = c.bucketing(fd)
		case "start", "end":
			t := c.time(fd)
			if fd.key == "start" {
				f.start = t
			} else {
				f.end = t
			}
		case "exclude_groups":
			f.exclude = c.strings(fd)
		case "attributes":
			f.attrs = c.attributes(fd)
		case "killed":
			for _, v := range c.strings(fd) {
				if i := f.variantIndex(v); i >= 0 {
					f.killed[i] = true
				} else {
					c.p.at(fd.val, fd.path(), ErrValue, "killed variant %q is not a variant of the flag (variants: %s)", v, strings.Join(f.variants, ", "))
				}
			}
		case "layout":
			switch s := c.str(fd); s {
			case "stable", "":
				f.layout = Stable
			case "cumulative":
				f.layout = Cumulative
			default:
				c.p.at(fd.val, fd.path(), ErrValue, "layout %q is not \"stable\" or \"cumulative\"", s)
			}
		case "salt":
			if s := c.str(fd); s != "" {
				f.key = s
			}
		case "user_files":
			f.lists = c.userFiles(f, fd, load, &src)
		case "params":
			f.params = c.params(f, fd)
		default:
			c.p.at(fd.val, fd.path(), ErrUnknownKey, "unknown key %q", fd.key)
		}
	}
	if !f.start.IsZero() && !f.end.IsZero() && !f.start.Before(f.end) {
		fd, _ := byKey("end")
		c.p.at(fd.val, fd.path(), ErrValue, "end %s is not after start %s", f.end.Format(time.RFC3339), f.start.Format(time.RFC3339))
	}
	var lanes []int
	if lanesAt >= 0 {
		lanes = c.lanes(f, fields[lanesAt])
	}
	if len(c.p.errs)+c.p.dropped > before {
		return nil
	}
	f.state = keyState(f.key)
	f.segs = buildLayout(f.layout, f.pct, lanes)
	f.source = string(src)
	c.buf = src
	return f
}

// lanes compiles "lanes", the ordered list of variants owning the
// stable layout's lanes ("" for a free lane), into each variant's lane.
// Every variant with a percentage must own a lane; a flag whose enabled
// is a fixed string serves no percentages, so only the list itself is
// checked. Variants without a percentage get lanes after the list.
func (c *compiler) lanes(f *flagDef, fd field) []int {
	if fd.val.kind != kArray {
		c.p.at(fd.val, fd.path(), ErrType, "lanes must be a list of variant names, not a %s", fd.val.kind)
		return nil
	}
	if len(fd.val.arr) > MaxVariants {
		c.p.at(fd.val, fd.path(), ErrTooLarge, "%d lanes, more than %d", len(fd.val.arr), MaxVariants)
		return nil
	}
	if f.layout == Cumulative {
		c.p.at(fd.val, fd.path(), ErrValue, "lanes apply to the stable layout, not the cumulative one")
		return nil
	}
	lane := make([]int, len(f.variants))
	for i := range lane {
		lane[i] = -1
	}
	fixed := f.fixed != noVariant
	for i, e := range fd.val.arr {
		ipath := func() string { return fmt.Sprintf("%s[%d]", fd.path(), i) }
		if e.kind != kString {
			c.p.at(e, ipath(), ErrType, "lane must be a variant name or \"\" (a free lane), not a %s", e.kind)
			continue
		}
		if e.str == "" || fixed {
			continue
		}
		v := f.variantIndex(e.str)
		switch {
		case v < 0:
			c.p.at(e, ipath(), ErrValue, "%q is not a variant of the flag (variants: %s)", e.str, strings.Join(f.variants, ", "))
		case lane[v] >= 0:
			c.p.at(e, ipath(), ErrValue, "variant %q owns lanes %d and %d", e.str, lane[v], i)
		default:
			lane[v] = i
		}
	}
	if fixed {
		return nil
	}
	next := len(fd.val.arr)
	for v := range lane {
		if lane[v] >= 0 {
			continue
		}
		if f.pct[v] > 0 {
			c.p.at(fd.val, fd.path(), ErrValue, "variant %q has a percentage but no lane (lanes: %s)", f.variants[v], quoteAll(fd.val.arr))
		}
		lane[v] = next
		next++
	}
	return lane
}

// quoteAll formats a list of string nodes as ["a", "", "b"].
func quoteAll(arr []node) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, e := range arr {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(e.str))
	}
	b.WriteByte(']')
	return b.String()
}

// addVariant appends a variant with percentage 0 (one named only by
// users, groups, admin or internal) and returns its index.
func (c *compiler) addVariant(f *flagDef, fd field, name string) int32 {
	if i := f.variantIndex(name); i >= 0 {
		return i
	}
	if len(f.variants) >= MaxVariants {
		c.p.at(fd.val, fd.path(), ErrTooLarge, "more than %d variants", MaxVariants)
		return noVariant
	}
	f.variants = append(f.variants, name)
	f.pct = append(f.pct, 0)
	f.killed = append(f.killed, false)
	return int32(len(f.variants) - 1)
}

// variantRef resolves a variant named by users, groups, admin or internal:
// "off", "on" (the first variant) or a variant name.
func (c *compiler) variantRef(f *flagDef, fd field, name string) int32 {
	switch name {
	case "off":
		return offVariant
	case "on":
		return 0
	case "":
		c.p.at(fd.val, fd.path(), ErrValue, "variant name is empty")
		return noVariant
	}
	return c.addVariant(f, fd, name)
}

func (c *compiler) enabled(f *flagDef, fd field) {
	n := fd.val
	switch n.kind {
	case kString:
		switch n.str {
		case "off":
			f.variants, f.pct, f.killed = []string{"on"}, []float64{0}, []bool{false}
			f.fixed = offVariant
		case "on":
			f.variants, f.pct, f.killed = []string{"on"}, []float64{100}, []bool{false}
			f.fixed = 0
		case "":
			c.p.at(n, fd.path(), ErrValue, "enabled is an empty string")
		default:
			f.variants, f.pct, f.killed = []string{n.str}, []float64{100}, []bool{false}
			f.fixed = 0
		}
	case kNumber:
		if !validPct(n.num) {
			c.p.at(n, fd.path(), ErrValue, "percentage %v is not in [0, 100]", n.num)
			return
		}
		f.variants, f.pct, f.killed = []string{"on"}, []float64{n.num}, []bool{false}
	case kObject:
		if len(n.obj) == 0 {
			c.p.at(n, fd.path(), ErrValue, "no variants")
			return
		}
		if len(n.obj) > MaxVariants {
			c.p.at(n, fd.path(), ErrTooLarge, "%d variants, more than %d", len(n.obj), MaxVariants)
			return
		}
		sum, ok := 0.0, true
		for _, m := range n.obj {
			vpath := func() string { return fd.path() + "." + m.key }
			switch {
			case m.key == "" || m.key == "on" || m.key == "off":
				c.p.at(m.val, vpath(), ErrValue, "variant name %q is reserved", m.key)
				ok = false
			case m.val.kind != kNumber:
				c.p.at(m.val, vpath(), ErrType, "variant percentage must be a number, not a %s", m.val.kind)
				ok = false
			case !validPct(m.val.num):
				c.p.at(m.val, vpath(), ErrValue, "percentage %v is not in [0, 100]", m.val.num)
				ok = false
			}
			f.variants = append(f.variants, m.key)
			f.pct = append(f.pct, m.val.num)
			f.killed = append(f.killed, false)
			sum += m.val.num
		}
		if ok && sum > 100+1e-9 {
			c.p.at(n, fd.path(), ErrValue, "variant percentages sum to %s", strconv.FormatFloat(sum, 'g', 6, 64))
		}
	default:
		c.p.at(n, fd.path(), ErrType, "enabled must be \"on\", \"off\", a variant name, a percentage or an object of variant percentages, not a %s", n.kind)
	}
}

func validPct(x float64) bool { return x >= 0 && x <= 100 }

// members compiles users or groups: a string, a list of strings (served
// the first variant) or an object of variant to string or list.
func (c *compiler) members(f *flagDef, fd field, what string) map[string]int32 {
	out := map[string]int32{}
	add := func(n node, path string, v int32) {
		var names []string
		switch n.kind {
		case kString:
			names = []string{n.str}
		case kArray:
			names = c.strings(field{fd.key, &n, path, true})
		default:
			c.p.at(n, path, ErrType, "%ss must be a string or a list of strings, not a %s", what, n.kind)
		}
		for _, s := range names {
			if prev, dup := out[s]; dup && prev != v {
				c.p.at(n, path, ErrValue, "%s %q is listed for two variants", what, s)
			}
			out[s] = v
		}
	}
	switch fd.val.kind {
	case kObject:
		for i := range fd.val.obj {
			m := &fd.val.obj[i]
			path := fd.path() + "." + m.key
			v := c.variantRef(f, field{fd.key, &m.val, path, true}, m.key)
			add(m.val, path, v)
		}
	default:
		add(*fd.val, fd.path(), 0)
	}
	return out
}

// single compiles admin or internal: a variant name, "on", "off" or a bool.
func (c *compiler) single(f *flagDef, fd field) int32 {
	switch fd.val.kind {
	case kBool:
		if fd.val.b {
			return 0
		}
		return offVariant
	case kString:
		return c.variantRef(f, fd, fd.val.str)
	}
	c.p.at(fd.val, fd.path(), ErrType, "%s must be a variant name, \"on\", \"off\" or a boolean, not a %s", fd.key, fd.val.kind)
	return noVariant
}

func (c *compiler) boolean(fd field) bool {
	if fd.val.kind != kBool {
		c.p.at(fd.val, fd.path(), ErrType, "%s must be a boolean, not a %s", fd.key, fd.val.kind)
	}
	return fd.val.b
}

func (c *compiler) str(fd field) string {
	if fd.val.kind != kString {
		c.p.at(fd.val, fd.path(), ErrType, "%s must be a string, not a %s", fd.key, fd.val.kind)
	}
	return fd.val.str
}

func (c *compiler) strings(fd field) []string {
	if fd.val.kind == kString {
		return []string{fd.val.str}
	}
	if fd.val.kind != kArray {
		c.p.at(fd.val, fd.path(), ErrType, "%s must be a list of strings, not a %s", fd.key, fd.val.kind)
		return nil
	}
	out := make([]string, 0, len(fd.val.arr))
	for i, e := range fd.val.arr {
		if e.kind != kString {
			c.p.at(e, fmt.Sprintf("%s[%d]", fd.path(), i), ErrType, "list item must be a string, not a %s", e.kind)
			continue
		}
		out = append(out, e.str)
	}
	return out
}

func (c *compiler) bucketing(fd field) Bucketing {
	switch s := c.str(fd); s {
	case "user", "":
		return ByUser
	case "visitor", "uaid":
		return ByVisitor
	case "random":
		return ByRequest
	default:
		c.p.at(fd.val, fd.path(), ErrValue, "bucketing %q is not \"user\", \"visitor\" (or \"uaid\") or \"random\"", s)
	}
	return ByUser
}

func (c *compiler) time(fd field) time.Time {
	s := c.str(fd)
	if fd.val.kind != kString {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		c.p.at(fd.val, fd.path(), ErrValue, "time %q is not RFC 3339 (2006-01-02T15:04:05Z07:00)", s)
	}
	return t
}

func (c *compiler) attributes(fd field) []attrRule {
	if fd.val.kind != kObject {
		c.p.at(fd.val, fd.path(), ErrType, "attributes must be an object of attribute to allowed values, not a %s", fd.val.kind)
		return nil
	}
	var out []attrRule
	for i := range fd.val.obj {
		m := &fd.val.obj[i]
		vals := c.strings(field{m.key, &m.val, fd.path(), false})
		if len(vals) == 0 && m.val.kind == kArray {
			c.p.at(m.val, fd.path()+"."+m.key, ErrValue, "no allowed values (the flag could never match)")
		}
		out = append(out, attrRule{m.key, vals})
	}
	return out
}

func (c *compiler) params(f *flagDef, fd field) map[string]*param {
	if fd.val.kind != kObject {
		c.p.at(fd.val, fd.path(), ErrType, "params must be an object, not a %s", fd.val.kind)
		return nil
	}
	out := map[string]*param{}
	for _, m := range fd.val.obj {
		ppath := fd.path() + "." + m.key
		if m.val.kind != kObject {
			c.p.at(m.val, ppath, ErrType, "parameter must be an object with \"type\", \"default\" and \"variants\", not a %s", m.val.kind)
			continue
		}
		var typ ValueType
		var def, vars *member
		for i := range m.val.obj {
			k := &m.val.obj[i]
			switch k.key {
			case "type":
				switch k.val.str {
				case "number":
					typ = Number
				case "string":
					typ = String
				case "duration":
					typ = Duration
				case "bool":
					typ = Bool
				default:
					c.p.at(k.val, ppath+".type", ErrValue, "type must be \"number\", \"string\", \"duration\" or \"bool\"")
				}
			case "default":
				def = k
			case "variants":
				vars = k
			default:
				c.p.at(k.val, ppath+"."+k.key, ErrUnknownKey, "unknown key %q", k.key)
			}
		}
		if typ == NoValue {
			if !slices.ContainsFunc(m.val.obj, func(x member) bool { return x.key == "type" }) {
				c.p.at(m.val, ppath, ErrValue, "parameter has no \"type\"")
			}
			continue
		}
		p := &param{byVariant: map[string]Value{}}
		if def != nil {
			p.def = c.value(typ, def.val, ppath+".default")
		} else {
			p.def = Value{typ: typ}
		}
		if vars != nil {
			if vars.val.kind != kObject {
				c.p.at(vars.val, ppath+".variants", ErrType, "variants must be an object, not a %s", vars.val.kind)
			}
			for _, v := range vars.val.obj {
				vp := ppath + ".variants." + v.key
				if f.variantIndex(v.key) < 0 {
					c.p.at(v.val, vp, ErrValue, "%q is not a variant of the flag (variants: %s)", v.key, strings.Join(f.variants, ", "))
					continue
				}
				p.byVariant[v.key] = c.value(typ, v.val, vp)
			}
		}
		out[m.key] = p
	}
	return out
}

func (c *compiler) value(typ ValueType, n node, path string) Value {
	v := Value{typ: typ}
	switch {
	case typ == Number && n.kind == kNumber:
		v.num = n.num
	case typ == String && n.kind == kString:
		v.str = n.str
	case typ == Bool && n.kind == kBool:
		v.b = n.b
	case typ == Duration && n.kind == kString:
		d, err := time.ParseDuration(n.str)
		if err != nil {
			c.p.at(n, path, ErrValue, "duration %q: want a Go duration such as \"90s\" or \"24h\"", n.str)
		}
		v.dur = d
	default:
		c.p.at(n, path, ErrType, "%s parameter given a %s", typ, n.kind)
	}
	return v
}

// appendCanonical appends n compactly (object keys in document order)
// for change detection.
func appendCanonical(b []byte, n node) []byte {
	switch n.kind {
	case kNull:
		b = append(b, "null"...)
	case kBool:
		b = strconv.AppendBool(b, n.b)
	case kNumber:
		b = strconv.AppendFloat(b, n.num, 'g', -1, 64)
	case kString:
		b = strconv.AppendQuote(b, n.str)
	case kArray:
		b = append(b, '[')
		for i, e := range n.arr {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendCanonical(b, e)
		}
		b = append(b, ']')
	case kObject:
		b = append(b, '{')
		for i, m := range n.obj {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendQuote(b, m.key)
			b = append(b, ':')
			b = appendCanonical(b, m.val)
		}
		b = append(b, '}')
	}
	return b
}
