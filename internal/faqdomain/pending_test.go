package faqdomain

import (
	"strings"
	"testing"
)

func TestPrivateRoundTrip(t *testing.T) {
	p := ReadPrivate([]byte(`{"other":{"kept":true}}`))
	if p.Pending() != nil {
		t.Fatal("a pending upload out of nowhere")
	}
	u := &Pending{Domain: "d", ContentSHA256: "abc", TaskID: "t1", Status: StatusAccepted, Resumed: 1}
	raw := p.WithPending(u).Bytes()
	again := ReadPrivate(raw)
	if got := again.Pending(); got == nil || *got != *u {
		t.Fatalf("round trip: %+v from %s", got, raw)
	}
	if !strings.Contains(string(raw), `"other":{"kept":true}`) || !strings.Contains(string(raw), `"pending_upload":`) {
		t.Errorf("keys not kept: %s", raw)
	}
	// Forgetting the record keeps the other keys; nothing left is nil.
	if got := string(again.WithPending(nil).Bytes()); got != `{"other":{"kept":true}}` {
		t.Errorf("forgotten: %s", got)
	}
	if got := ReadPrivate(nil).WithPending(nil).Bytes(); got != nil {
		t.Errorf("empty private state: %q", got)
	}
	// WithPending does not change the value it was called on.
	if p.Pending() != nil {
		t.Error("WithPending changed its receiver")
	}
	for _, bad := range []string{"not json", "null", `{"pending_upload":"a string"}`, `[1]`} {
		if got := ReadPrivate([]byte(bad)).Pending(); got != nil {
			t.Errorf("%s: %+v", bad, got)
		}
	}
}

func TestPendingResumable(t *testing.T) {
	base := Pending{Domain: "d", ContentSHA256: "sha", TaskID: "t1"}
	for _, tc := range []struct {
		name string
		p    *Pending
		ok   bool
		why  string
	}{
		{"none", nil, false, "no unconfirmed upload"},
		{"same content", &base, true, ""},
		{"other domain", &Pending{Domain: "e", ContentSHA256: "sha", TaskID: "t1"}, false, "content changed"},
		{"other content", &Pending{Domain: "d", ContentSHA256: "other", TaskID: "t1"}, false, "content changed"},
		{"task unknown", &Pending{Domain: "d", ContentSHA256: "sha"}, false, "task is not known"},
		{"resumed once", &Pending{Domain: "d", ContentSHA256: "sha", TaskID: "t1", Resumed: 1}, false, "already waited"},
	} {
		ok, why := tc.p.Resumable("d", "sha")
		if ok != tc.ok || !strings.Contains(why, tc.why) {
			t.Errorf("%s: %v, %q", tc.name, ok, why)
		}
	}
}

func TestStatusPhrases(t *testing.T) {
	for got, want := range map[string]string{
		StatusTaskFailed("Error at node b"):               `its task ended with the status "Error at node b"`,
		StatusNotConfirmed("Timed Out Waiting", ""):       "the apply ended (Timed Out Waiting) before its task finished",
		StatusNotConfirmed("Timed Out Waiting", "Queued"): `the apply ended (Timed Out Waiting) before its task finished; its last status was "Queued"`,
		StatusAnswerLost("Haptik Unavailable"):            "the upload's answer was lost (Haptik Unavailable)",
	} {
		if got != want {
			t.Errorf("%q, want %q", got, want)
		}
	}
}

func TestPrivateCreates(t *testing.T) {
	c := &Creation{Domain: "d", ContentSHA256: "sha", NodeCount: 3}
	p := ReadPrivate(nil).WithPending(&Pending{Domain: "d", TaskID: "t"}).WithCreates(c)
	again := ReadPrivate(p.Bytes())
	if got := again.Creates(); got == nil || *got != *c {
		t.Fatalf("Creates after a round trip: %+v", got)
	}
	if again.WithCreates(nil).Creates() != nil || again.WithCreates(nil).Pending() == nil {
		t.Error("forgetting the creation must keep the pending upload")
	}
	if ReadPrivate([]byte(`{"creates":{"domain":""}}`)).Creates() != nil {
		t.Error("a creation without a domain")
	}
}
