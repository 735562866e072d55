package haptik

import (
	"context"
	"strings"
	"time"
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
	// Text is Haptik's status text verbatim.
	Text  string
	State State
}

// ClassifyStatus maps Haptik's free-text task status to a State. Haptik documents only "In
// Progress", a success text ("all nodes has been created successfully") and error texts, so the
// reading is by keyword: success words mean done, progress words mean running, anything else failed.
func ClassifyStatus(text string) State {
	t := strings.ToLower(text)
	switch {
	case strings.Contains(t, "unsuccess"), strings.Contains(t, "not success"):
		return StateFailed
	case strings.Contains(t, "success"):
		return StateSucceeded
	case strings.Contains(t, "progress"), strings.Contains(t, "pending"),
		strings.Contains(t, "queued"), strings.Contains(t, "started"):
		return StateInProgress
	default:
		return StateFailed
	}
}

// PollPolicy spaces out status requests. The wait before each poll is Fraction of the time
// elapsed since the upload, kept between MinInterval and MaxInterval, so a short task is noticed
// quickly and a long one is not polled needlessly often.
type PollPolicy struct {
	MinInterval time.Duration
	MaxInterval time.Duration
	Fraction    float64
}

// DefaultPollPolicy starts at 250 ms and never waits longer than a fifth of the elapsed time or 30 s.
var DefaultPollPolicy = PollPolicy{MinInterval: 250 * time.Millisecond, MaxInterval: 30 * time.Second, Fraction: 0.2}

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

// WaitForTask polls the task until it succeeds, fails or ctx ends. It returns the last status
// seen; a failed task is a *TaskFailedError, an ended context is ctx.Err().
func (c *Client) WaitForTask(ctx context.Context, taskID string, p PollPolicy) (Status, error) {
	start := time.Now()
	var last Status
	for {
		st, err := c.TaskStatus(ctx, taskID)
		if err != nil {
			return last, err
		}
		last = st
		switch st.State {
		case StateSucceeded:
			return st, nil
		case StateFailed:
			return st, &TaskFailedError{TaskID: taskID, Status: st.Text}
		}
		t := time.NewTimer(p.Next(time.Since(start)))
		select {
		case <-ctx.Done():
			t.Stop()
			return last, ctx.Err()
		case <-t.C:
		}
	}
}
