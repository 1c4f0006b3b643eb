package web

import (
	"errors"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/craftkit/craftkit/alerts"
)

type formFunc func(r *http.Request, user string) (redirect string, err error)

// form bounds the body, parses it, checks the CSRF token and runs f,
// then redirects (303) to the local path f built.
func (h *handler) form(f formFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, h.opts.MaxBodyBytes)
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if ct != "application/x-www-form-urlencoded" {
			h.fail(w, r, errorf(http.StatusUnsupportedMediaType, "want an application/x-www-form-urlencoded form"))
			return
		}
		if err := r.ParseForm(); err != nil {
			if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
				h.fail(w, r, err)
				return
			}
			h.fail(w, r, errorf(http.StatusBadRequest, "malformed form"))
			return
		}
		user := userOf(r)
		if !h.validToken(user, r.PostForm.Get("csrf")) {
			h.fail(w, r, errorf(http.StatusForbidden, "missing or invalid CSRF token; reload the page and submit again"))
			return
		}
		loc, err := f(r, user)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		http.Redirect(w, r, loc, http.StatusSeeOther)
	}
}

// field returns a form value with invalid UTF-8 replaced.
func field(r *http.Request, name string) string {
	return strings.ToValidUTF8(r.PostForm.Get(name), "\uFFFD")
}

func fieldOK(r *http.Request, name string) (string, bool) {
	v, ok := r.PostForm[name]
	if !ok || len(v) == 0 {
		return "", false
	}
	return strings.ToValidUTF8(v[0], "\uFFFD"), true
}

// classify stores the tags and notes changed in the week form, then the
// bulk verdict for the matching rows not changed one by one. Nothing is
// stored if any change is forbidden (403) or invalid (400).
func (h *handler) classify(r *http.Request, user string) (string, error) {
	snap, err := alerts.Load(r.Context(), h.store, h.opts.Tags)
	if err != nil {
		return "", err
	}
	wk, err := h.weekParam(field(r, "week"))
	if err != nil {
		return "", err
	}
	contact := field(r, "contact")
	if len(contact) > MaxUserBytes {
		return "", errorf(http.StatusBadRequest, "contact longer than %d bytes", MaxUserBytes)
	}
	rep := snap.Week(h.opts.Rotation, wk, &alerts.ReportOptions{Contact: h.contactFilter(user, contact)})
	now := h.opts.Now()
	var cs []alerts.Classification
	changed := make(map[string]bool)
	check := func(c alerts.Classification) error {
		if len(c.Note) > MaxNoteBytes {
			return errorf(http.StatusBadRequest, "note longer than %d bytes", MaxNoteBytes)
		}
		if _, ok := h.opts.Tags.Lookup(c.Tag); !ok {
			return errorf(http.StatusBadRequest, "unknown tag")
		}
		return nil
	}
	byIndex := false
	if d, ok := fieldOK(r, "rows"); ok && d != "" {
		if d != rowsDigest(rep.Items) {
			return "", errorf(http.StatusConflict, "the week's notifications changed since the page was loaded; reload it and submit again")
		}
		byIndex = true
	}
	for i, it := range rep.Items {
		tag, hasTag := fieldOK(r, "t."+it.ID)
		note, hasNote := fieldOK(r, "n."+it.ID)
		if byIndex {
			if v, ok := fieldOK(r, "t"+strconv.Itoa(i)); ok {
				tag, hasTag = v, true
			}
			if v, ok := fieldOK(r, "n"+strconv.Itoa(i)); ok {
				note, hasNote = v, true
			}
		}
		if !hasTag && !hasNote {
			continue
		}
		if !hasTag {
			tag = it.Classification.Tag
		}
		if !hasNote {
			note = it.Classification.Note
		}
		if tag == it.Classification.Tag && note == it.Classification.Note {
			continue
		}
		if !h.mayClassify(user, &it.Notification) {
			return "", errorf(http.StatusForbidden, "you may not classify notifications sent to another contact")
		}
		c := alerts.Classification{NotificationID: it.ID, Tag: tag, Note: note, By: user, At: now}
		if err := check(c); err != nil {
			return "", err
		}
		cs = append(cs, c)
		changed[it.ID] = true
	}
	if bt, ok := fieldOK(r, "bulk.tag"); ok && bt != "" {
		bh, bs := field(r, "bulk.host"), field(r, "bulk.service")
		bn := field(r, "bulk.note")
		if bh == "" && bs == "" {
			return "", errorf(http.StatusBadRequest, "bulk classification needs a host or a service")
		}
		for _, it := range rep.Items {
			n := &it.Notification
			if changed[it.ID] || (bh != "" && n.Host != bh) || (bs != "" && n.Service != bs) || !h.mayClassify(user, n) {
				continue
			}
			c := alerts.Classification{NotificationID: it.ID, Tag: bt, Note: bn, By: user, At: now}
			if err := check(c); err != nil {
				return "", err
			}
			cs = append(cs, c)
		}
	}
	if len(cs) > 0 {
		if err := h.store.Append(r.Context(), alerts.ClassificationRecords(cs)); err != nil {
			return "", err
		}
	}
	return h.link("/week", "week", h.weekDate(wk), "contact", contact), nil
}

// saveUpdate stores a weekly update; only its person or an admin may.
func (h *handler) saveUpdate(r *http.Request, user string) (string, error) {
	wk, err := h.weekParam(field(r, "week"))
	if err != nil {
		return "", err
	}
	person := field(r, "person")
	if person == "" {
		person = user
	}
	if person != user && !h.admin(user) {
		return "", errorf(http.StatusForbidden, "you may edit only your own weekly update")
	}
	if !validUser(person) {
		return "", errorf(http.StatusBadRequest, "invalid person")
	}
	text := field(r, "text")
	if len(text) > MaxUpdateBytes {
		return "", errorf(http.StatusBadRequest, "update longer than %d bytes", MaxUpdateBytes)
	}
	u := alerts.WeeklyUpdate{Person: person, Week: wk.Start, Text: text, At: h.opts.Now()}
	if err := h.store.Append(r.Context(), []alerts.Record{{Update: &u}}); err != nil {
		return "", err
	}
	return h.link("/update", "week", h.weekDate(wk), "person", person), nil
}

// saveNotes stores the meeting notes of a week; any user may.
func (h *handler) saveNotes(r *http.Request, user string) (string, error) {
	wk, err := h.weekParam(field(r, "week"))
	if err != nil {
		return "", err
	}
	text := field(r, "text")
	if len(text) > MaxUpdateBytes {
		return "", errorf(http.StatusBadRequest, "notes longer than %d bytes", MaxUpdateBytes)
	}
	m := alerts.MeetingNotes{Week: wk.Start, Text: text, By: user, At: h.opts.Now()}
	if err := h.store.Append(r.Context(), []alerts.Record{{Meeting: &m}}); err != nil {
		return "", err
	}
	return h.link("/meeting", "week", h.weekDate(wk)), nil
}
