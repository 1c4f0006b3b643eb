package alerts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"strings"
	"time"
)

// MaxPayloadBytes bounds a webhook body or JSON document (4 MiB). A
// payload over the bound is refused with [ErrTooLong].
const MaxPayloadBytes = 4 << 20

// WebhookMessage is the body Prometheus Alertmanager posts to a webhook
// receiver (version "4"). Only the fields below are read; unknown fields
// are ignored and missing ones stay zero, because a user `payload:`
// template may reshape the body.
type WebhookMessage struct {
	Version            string            `json:"version"`
	GroupKey           string            `json:"groupKey"`
	TruncatedAlerts    int               `json:"truncatedAlerts"`
	Status             string            `json:"status"`
	Receiver           string            `json:"receiver"`
	GroupLabels        map[string]string `json:"groupLabels"`
	CommonLabels       map[string]string `json:"commonLabels"`
	CommonAnnotations  map[string]string `json:"commonAnnotations"`
	ExternalURL        string            `json:"externalURL"`
	NotificationReason string            `json:"notification_reason"`
	RouteLabels        map[string]string `json:"routeLabels"`
	Alerts             []WebhookAlert    `json:"alerts"`
}

// WebhookAlert is one alert of a [WebhookMessage]; its Status
// ("firing" or "resolved") is its own, so one message can mix both.
type WebhookAlert struct {
	Status       string            `json:"status"`
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations"`
	StartsAt     time.Time         `json:"startsAt"`
	EndsAt       time.Time         `json:"endsAt"`
	GeneratorURL string            `json:"generatorURL"`
	Fingerprint  string            `json:"fingerprint"`
}

// DecodeWebhook reads one Alertmanager webhook body of at most
// [MaxPayloadBytes].
func DecodeWebhook(r io.Reader) (*WebhookMessage, error) {
	body, err := io.ReadAll(io.LimitReader(r, MaxPayloadBytes+1))
	if err != nil {
		return nil, fmt.Errorf("alerts: reading webhook: %w", err)
	}
	if len(body) > MaxPayloadBytes {
		return nil, fmt.Errorf("%w: webhook body over %d bytes", ErrTooLong, MaxPayloadBytes)
	}
	var m WebhookMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("%w: webhook: %w", ErrSyntax, err)
	}
	return &m, nil
}

// Notifications converts the message into one notification per alert,
// sent to the receiver as contact: Host is the "instance" label (or
// "host", "node", "pod", "job"), Service the "alertname" label, State
// FIRING or RESOLVED (Type [Problem] or [Recovery]), Output the
// "summary" annotation (or "description", "message"), LongOutput the
// "description" when the summary was used, Time the start (firing) or
// end (resolved) and URL the generator URL. Common labels and
// annotations fill gaps in each alert's own; the fingerprint becomes the
// label "fingerprint".
func (m *WebhookMessage) Notifications() []Notification {
	out := make([]Notification, 0, len(m.Alerts))
	for _, a := range m.Alerts {
		labels := maps.Clone(m.CommonLabels)
		if labels == nil {
			labels = make(map[string]string)
		}
		maps.Copy(labels, a.Labels)
		ann := maps.Clone(m.CommonAnnotations)
		if ann == nil {
			ann = make(map[string]string)
		}
		maps.Copy(ann, a.Annotations)
		if a.Fingerprint != "" {
			labels["fingerprint"] = a.Fingerprint
		}
		n := Notification{
			Source:  SourceAlertmanager,
			Contact: m.Receiver,
			Host:    first(labels, "instance", "host", "node", "pod", "job"),
			Service: labels["alertname"],
			URL:     a.GeneratorURL,
			Labels:  labels,
		}
		status := a.Status
		if status == "" {
			status = m.Status
		}
		if strings.EqualFold(status, "resolved") {
			n.State, n.Type, n.Time = "RESOLVED", Recovery, a.EndsAt
		} else {
			n.State, n.Type, n.Time = "FIRING", Problem, a.StartsAt
		}
		if n.Time.IsZero() {
			n.Time = a.StartsAt
		}
		n.Time = n.Time.UTC()
		n.Output = first(ann, "summary", "description", "message")
		if ann["summary"] != "" {
			n.LongOutput = ann["description"]
		}
		out = append(out, n)
	}
	return out
}

func first(m map[string]string, keys ...string) string {
	for _, k := range keys {
		if v := m[k]; v != "" {
			return v
		}
	}
	return ""
}

// WebhookHandler is an http.Handler for Alertmanager's webhook receiver.
// It only decodes: a POST body is read (at most MaxBytes), converted
// with [WebhookMessage.Notifications] and handed to Receive; it makes no
// outbound calls. Replies: 200 when Receive returns nil, 400 for a bad
// body, 405 for other methods, 413 for a body over the bound, 500 when
// Receive fails (the error text is not sent). It is safe for concurrent
// use if Receive is.
type WebhookHandler struct {
	// Receive gets each decoded message. Required.
	Receive func(ctx context.Context, ns []Notification, m *WebhookMessage) error
	// MaxBytes bounds the body; zero means MaxPayloadBytes.
	MaxBytes int64
}

// ServeHTTP decodes one webhook post.
func (h *WebhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	max := h.MaxBytes
	if max <= 0 || max > MaxPayloadBytes {
		max = MaxPayloadBytes
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	m, err := DecodeWebhook(strings.NewReader(string(body)))
	if err != nil {
		http.Error(w, "bad webhook body", http.StatusBadRequest)
		return
	}
	if h.Receive == nil {
		http.Error(w, "no receiver", http.StatusInternalServerError)
		return
	}
	if err := h.Receive(r.Context(), m.Notifications(), m); err != nil {
		http.Error(w, "receiver failed", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// UnmarshalJSON decodes an alert, accepting an empty or null time as the
// zero time (a user payload template may drop or blank them).
func (a *WebhookAlert) UnmarshalJSON(b []byte) error {
	type plain WebhookAlert
	var aux struct {
		plain
		StartsAt *string `json:"startsAt"`
		EndsAt   *string `json:"endsAt"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	*a = WebhookAlert(aux.plain)
	for _, f := range []struct {
		name string
		s    *string
		dst  *time.Time
	}{{"startsAt", aux.StartsAt, &a.StartsAt}, {"endsAt", aux.EndsAt, &a.EndsAt}} {
		if f.s == nil || *f.s == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, *f.s)
		if err != nil {
			return &FieldError{Field: f.name, Value: *f.s, Err: ErrSyntax}
		}
		*f.dst = t
	}
	return nil
}
