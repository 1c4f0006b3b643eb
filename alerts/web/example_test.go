package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/craftkit/craftkit/alerts"
	"github.com/craftkit/craftkit/alerts/web"
)

func ExampleNew() {
	store := &alerts.Memory{}
	_ = store.Append(context.Background(), alerts.NotificationRecords([]alerts.Notification{{
		Time: time.Date(2026, 11, 24, 3, 0, 0, 0, time.UTC), Contact: "ann",
		Host: "web1", Service: "HTTP", State: "CRITICAL", Output: "HTTP CRITICAL - 503",
	}}))
	h, err := web.New(store, &web.Options{
		// The user comes from the caller: here a reverse proxy's header.
		Identity: func(r *http.Request) (string, bool) {
			u := r.Header.Get("X-Forwarded-User")
			return u, u != ""
		},
		Rotation: alerts.Rotation{Weekday: time.Monday, Hour: 9},
		Now:      func() time.Time { return time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	mux := http.NewServeMux()
	mux.Handle("/oncall/", http.StripPrefix("/oncall", h))

	r := httptest.NewRequest("GET", "/oncall/week", nil)
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, r)
	fmt.Println("anonymous:", w.Code)

	r.Header.Set("X-Forwarded-User", "ann")
	w = httptest.NewRecorder()
	mux.ServeHTTP(w, r)
	fmt.Println("ann:", w.Code, strings.Contains(w.Body.String(), "HTTP CRITICAL - 503"))
	// Output:
	// anonymous: 401
	// ann: 200 true
}
