package haptik

import (
	"context"
	"fmt"
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

// WaitForTask polls the task until it succeeds, fails or ctx ends. It returns the last status
// seen; a failed task is a *TaskFailedError. A status request that fails transiently (see
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
				return st, &TaskFailedError{TaskID: taskID, Status: st.Text}
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
