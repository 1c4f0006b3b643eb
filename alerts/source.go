package alerts

import (
	"context"
	"slices"
	"time"
)

// Source answers the weekly pull: the notifications sent to one contact
// in [from, to), oldest first. An empty contact means every contact.
// Implementations: [List] over parsed notifications, [*Memory] and
// [*File] over stored ones; a team plugs in its PagerDuty or Splunk
// client the same way.
type Source interface {
	Notifications(ctx context.Context, contact string, from, to time.Time) ([]Notification, error)
}

// List is a [Source] over notifications held in memory, such as the
// result of [ParseNagiosLog]. It is safe for concurrent use as long as
// nobody modifies it.
type List []Notification

var _ Source = List(nil)

// Notifications returns the notifications of contact in [from, to),
// sorted by time (stable for equal times).
func (l List) Notifications(ctx context.Context, contact string, from, to time.Time) ([]Notification, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []Notification
	for _, n := range l {
		if (contact == "" || n.Contact == contact) && !n.Time.Before(from) && n.Time.Before(to) {
			out = append(out, n)
		}
	}
	slices.SortStableFunc(out, func(a, b Notification) int { return a.Time.Compare(b.Time) })
	return out, nil
}
