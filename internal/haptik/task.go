package haptik

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// State is the classification of a task's status text.
type State int

const (
	// StateInProgress means the task is still running: poll again.
	StateInProgress State = iota
	// StateSucceeded means every node of the CSV was created or updated.
	StateSucceeded
	// StateFailed means the task stopped; the status text says why.
	StateFailed
)

func (s State) String() string {
	return [...]string{"in progress", "succeeded", "failed"}[s]
}

// Status is one answer of the task-status endpoint.
type Status struct {
	// Text is Haptik's status text, redacted and quoted (Quote: escaped, capped at
	// MaxQuotedBytes).
	Text string
	// EnvelopeError is the envelope's error_message, or else its error, redacted and quoted:
	// Haptik's own word that something went wrong, whatever the text says. Usually empty.
	EnvelopeError string
	// State is ClassifyStatus of the texts as Haptik sent them.
	State State
}

// failureText is what a failed task reports: Haptik's status text verbatim, followed by the
// envelope's error when there is one. An empty text is named, so a diagnostic never shows a blank.
func (s Status) failureText() string {
	text := s.Text
	if strings.TrimSpace(text) == "" {
		text = "(an empty status text)"
	}
	if strings.TrimSpace(s.EnvelopeError) != "" {
		text += "; error: " + s.EnvelopeError
	}
	return text
}

// ClassifyStatus reads Haptik's free-text task status toward safety: an error misread as success
// records content that Haptik does not hold, while any other misreading only costs an upload or a
// wait. Haptik documents only "In Progress", one success text ("all nodes has been created
// successfully") and error texts, whose wording it does not fix; its error texts do mention
// success ("did not complete successfully", "1 created successfully"). So, by whole words (case,
// spacing and punctuation aside; "notable" is not "not"), in this order:
//
//   - a non-empty envelopeError (the envelope's error or error_message) is a failure;
//   - a text with a failure word (failureTerms) is a failure, even beside a progress or success word;
//   - a text with a progress word (progressTerms) is still running, even beside a success word,
//     for it says that something has not finished;
//   - a text with a success word (successTerms) has succeeded, unless it counts fewer done than
//     there were ("1 of 2 nodes created successfully");
//   - anything else, an empty text included, is a failure: shown verbatim, never taken as done.
//
// "Completed", "done" and "finished" are not success words: they say the task stopped, not that
// every node was created. A text this does not recognize fails visibly instead of passing silently.
func ClassifyStatus(text, envelopeError string) State {
	words := statusWords(text)
	switch {
	case strings.TrimSpace(envelopeError) != "":
		return StateFailed
	case hasTerm(words, failureTerms):
		return StateFailed
	case hasTerm(words, progressTerms):
		return StateInProgress
	case hasTerm(words, successTerms) && !countsFewer(words):
		return StateSucceeded
	default:
		return StateFailed
	}
}

// The words of the status texts, the whole vocabulary of ClassifyStatus. A term is a word or a
// phrase of words; "fail*" matches every word that starts with "fail" (failed, failure) and
// "*n't" every word that ends with "n't" (couldn't, didn't).
var (
	failureTerms = []string{
		// The documented kinds of failure, and the ways a sentence says something did not happen.
		"error*", "except*", "fail*", "unsuccess*", "unable", "partial*", "incomplete", "invalid*",
		"not", "could not", "cannot", "*n't", "no", "none", "nothing", "never",
		"couldnt", "didnt", "cant", "wasnt", "werent", "isnt", "arent", "doesnt", "hasnt", "havent", "wont", "wouldnt",
		// Content left out, or work cut short.
		"missing", "skip*", "ignor*", "reject*", "truncat*", "abort*", "cancel*", "stop*", "halt*",
		"timeout*", "timed out", "expire*", "exceed*", "crash*", "denied", "forbidden", "unauthori*",
		// A success qualified.
		"warn*", "but", "however", "only",
	}
	progressTerms = []string{
		"in progress", "processing", "queued", "in queue", "pending", "started", "starting", "running", "waiting",
	}
	successTerms = []string{"success", "successful", "successfully", "succeeded"}
)

// statusWords splits text into lower-case words: runs of letters and digits, with the apostrophes
// inside them ("couldn't"; a typographic ’ counts as ').
func statusWords(text string) []string {
	text = strings.ReplaceAll(strings.ToLower(text), "’", "'")
	words := strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	})
	out := words[:0]
	for _, w := range words {
		if w = strings.Trim(w, "'"); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// hasTerm reports whether words contain any of terms.
func hasTerm(words []string, terms []string) bool {
	for _, term := range terms {
		phrase := strings.Fields(term)
	next:
		for i := 0; i+len(phrase) <= len(words); i++ {
			for j, p := range phrase {
				if !wordMatches(p, words[i+j]) {
					continue next
				}
			}
			return true
		}
	}
	return false
}

func wordMatches(pattern, word string) bool {
	switch {
	case strings.HasSuffix(pattern, "*"):
		return strings.HasPrefix(word, pattern[:len(pattern)-1])
	case strings.HasPrefix(pattern, "*"):
		return strings.HasSuffix(word, pattern[1:])
	default:
		return word == pattern
	}
}

// countsFewer reports whether words count fewer done than there were: "<n> of <m>" or
// "<n> out of <m>" with n and m different numbers.
func countsFewer(words []string) bool {
	for i := 1; i+1 < len(words); i++ {
		if words[i] != "of" {
			continue
		}
		n := words[i-1]
		if n == "out" && i >= 2 {
			n = words[i-2]
		}
		if m := words[i+1]; isNumber(n) && isNumber(m) && strings.TrimLeft(n, "0") != strings.TrimLeft(m, "0") {
			return true
		}
	}
	return false
}

func isNumber(w string) bool {
	for _, r := range w {
		if r < '0' || r > '9' {
			return false
		}
	}
	return w != ""
}

// PollPolicy spaces out status requests. The wait before each poll is Fraction of the time
// elapsed since the upload, kept between MinInterval and MaxInterval, so a short task is noticed
// quickly and a long one is not polled needlessly often.
type PollPolicy struct {
	MinInterval time.Duration
	MaxInterval time.Duration
	Fraction    float64
}

// DefaultPollPolicy waits a fifth of the elapsed time between polls, at least 500 ms and at most
// 2 minutes, so Haptik's finished task is noticed within max(0.5 s, 20% of its duration). A
// 10-minute task costs 36 status requests, the fewest any schedule keeping that bound can make.
var DefaultPollPolicy = PollPolicy{MinInterval: 500 * time.Millisecond, MaxInterval: 2 * time.Minute, Fraction: 0.2}

// Next returns the wait before the next poll, given the time elapsed since the upload.
func (p PollPolicy) Next(elapsed time.Duration) time.Duration {
	d := time.Duration(float64(elapsed) * p.Fraction)
	if d < p.MinInterval {
		d = p.MinInterval
	}
	if p.MaxInterval > 0 && d > p.MaxInterval {
		d = p.MaxInterval
	}
	return d
}

// WaitForTask polls the task until it succeeds, fails or ctx ends, as ClassifyStatus reads each
// status: an in-progress text means poll again. It returns the last status seen; a failed task is
// a *TaskFailedError whose Status is Haptik's text verbatim, with the envelope's error if any. A status request that fails transiently (see
// IsTransient) does not end the wait: polling carries on, and if ctx ends first the error is a
// *WaitError that wraps ctx.Err() and names the last failure. Other errors end the wait at once.
func (c *Client) WaitForTask(ctx context.Context, taskID string, p PollPolicy) (Status, error) {
	start := time.Now()
	var (
		last    Status
		lastErr error
		failed  int
	)
	for {
		// The first poll waits too: Haptik's tasks take at least a moment, and a poll every
		// MinInterval from the start already notices even the quickest task within MinInterval.
		t := time.NewTimer(p.Next(time.Since(start)))
		select {
		case <-ctx.Done():
			t.Stop()
			return last, &WaitError{Err: ctx.Err(), LastErr: lastErr, FailedPolls: failed}
		case <-t.C:
		}
		st, err := c.TaskStatus(ctx, taskID)
		switch {
		case ctx.Err() != nil:
			return last, &WaitError{Err: ctx.Err(), LastErr: lastErr, FailedPolls: failed}
		case err != nil && IsTransient(err):
			lastErr = err
			failed++
			if c.cfg.Log != nil {
				c.cfg.Log(ctx, "Haptik task status request failed; polling carries on", map[string]any{
					"task_id": taskID, "error": err.Error(), "failed_polls": failed})
			}
		case err != nil:
			return last, err
		default:
			last, lastErr = st, nil
			switch st.State {
			case StateSucceeded:
				return st, nil
			case StateFailed:
				return st, &TaskFailedError{TaskID: taskID, Status: st.failureText()}
			}
		}
	}
}

// WaitError is a wait for a task that ended with its context (a timeout or an interrupt).
type WaitError struct {
	// Err is the context's error: context.DeadlineExceeded or context.Canceled.
	Err error
	// LastErr is the last status request's error, when the last poll failed.
	LastErr error
	// FailedPolls counts the status requests that failed (after their own retries).
	FailedPolls int
}

func (e *WaitError) Error() string {
	if e.LastErr != nil {
		return fmt.Sprintf("%v (the last status request failed: %v)", e.Err, e.LastErr)
	}
	return e.Err.Error()
}

func (e *WaitError) Unwrap() error { return e.Err }
