package haptik

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestRedactorText(t *testing.T) {
	r := newRedactor("tok/en+1&<x>")
	for in, want := range map[string]string{
		"token tok/en+1&<x> here":              "token [REDACTED] here",
		"query t=tok%2Fen%2B1%26%3Cx%3E":       "query t=[REDACTED]",
		"path /tok%2Fen+1&%3Cx%3E/":            "path /[REDACTED]/",
		"html tok/en+1&amp;&lt;x&gt;":          "html [REDACTED]",
		`json "tok/en+1\u0026\u003cx\u003e"`:   `json "[REDACTED]"`,
		"Authorization: Bearer abc.def-ghi_j=": "Authorization: Bearer [REDACTED]",
		"BEARER\tabc, more":                    "Bearer [REDACTED], more",
		`{"auth":"bearer xyz"}`:                `{"auth":"Bearer [REDACTED]"}`,
		"<td>Bearer xyz</td>":                  "<td>Bearer [REDACTED]</td>",
		"?auth=Bearer%20xyz&a=1":               "?auth=Bearer [REDACTED]&a=1",
		"Bearer abc&quot;</td>":                "Bearer [REDACTED]&quot;</td>",
		"no secret here":                       "no secret here",
	} {
		if got := r.text(in); got != want {
			t.Errorf("text(%q) = %q, want %q", in, got, want)
		}
		if got := r.text(r.text(in)); got != r.text(in) {
			t.Errorf("text is not idempotent on %q: %q", in, got)
		}
	}
	// A token too short to tell apart from ordinary text is left alone; a bearer value is not.
	short := newRedactor("t")
	if got := short.text("test Bearer t"); got != "test Bearer [REDACTED]" {
		t.Errorf("short token: %q", got)
	}
}

// TestLogIsRedacted logs through the client's Config.Log as code of this package does (WaitForTask
// logs its own fields), and checks that every message and field value arrives redacted.
func TestLogIsRedacted(t *testing.T) {
	var got []string
	c, err := New(Config{BaseURL: "https://api.example", ClientID: "c", Token: "s3cr3t-9d1e",
		Log: func(_ context.Context, msg string, fields map[string]any) {
			got = append(got, fmt.Sprintf("%s %v", msg, fields))
		}})
	if err != nil {
		t.Fatal(err)
	}
	c.cfg.Log(context.Background(), "saw s3cr3t-9d1e", map[string]any{
		"text": "Bearer other", "error": errors.New("echo s3cr3t-9d1e"), "stringer": stringer("bearer x"), "n": 3,
	})
	line := strings.Join(got, "\n")
	if strings.Contains(line, "s3cr3t") || strings.Contains(line, "other") || strings.Contains(line, "Bearer x") ||
		!strings.Contains(line, "n:3") {
		t.Fatalf("logged %s", line)
	}
}

type stringer string

func (s stringer) String() string { return string(s) }
