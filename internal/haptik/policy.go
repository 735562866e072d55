package haptik

// What the client retries, how long it waits (and refuses to wait), and which redirects it follows.

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// newRetryClient is the retrying client of cfg, whose defaults are already set.
func newRetryClient(cfg Config) *retryablehttp.Client {
	rc := retryablehttp.NewClient()
	rc.HTTPClient = cfg.HTTPClient
	rc.Logger = nil
	rc.RetryMax = cfg.RetryMax
	rc.RetryWaitMin = cfg.RetryWaitMin
	rc.RetryWaitMax = cfg.RetryWaitMax
	rc.CheckRetry = func(ctx context.Context, resp *http.Response, err error) (bool, error) {
		var redirect *RedirectError
		if errors.As(err, &redirect) || IsPlainHTTPAnswer(err) {
			return false, err // asking again gets the same answer
		}
		st := stateOf(ctx)
		policy := retryablehttp.ErrorPropagatedRetryPolicy
		if st.once {
			policy = retryOnce
		}
		retry, err := policy(ctx, resp, err)
		if retry && resp != nil {
			if st.refused = refuseWait(ctx, resp, cfg.RetryAfterMax); st.refused != nil {
				return false, nil // the last response goes back to the caller, who reports the refusal
			}
		}
		return retry, err
	}
	rc.Backoff = func(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
		if wait, _, ok := retryAfter(resp); ok {
			return min(wait, cfg.RetryAfterMax) // longer waits were refused by CheckRetry
		}
		return retryablehttp.DefaultBackoff(lo, hi, attempt, nil)
	}
	// The last response goes back to the caller as it is, to be read and classified there.
	rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
	rc.RequestLogHook = func(_ retryablehttp.Logger, r *http.Request, attempt int) {
		stateOf(r.Context()).attempts = attempt + 1
		if cfg.Log != nil {
			cfg.Log(r.Context(), "Haptik API request", map[string]any{
				"method": r.Method, "url": r.URL.Redacted(), "attempt": attempt + 1,
			})
		}
	}
	if cfg.Log != nil {
		rc.ResponseLogHook = func(_ retryablehttp.Logger, r *http.Response) {
			cfg.Log(r.Request.Context(), "Haptik API response", map[string]any{
				"method": r.Request.Method, "url": r.Request.URL.Redacted(), "status": r.StatusCode,
			})
		}
	}
	return rc
}

// callState is what the retry hooks learn about one call, and what they must know of it. do keeps
// it in the call's context, where the hooks find it.
type callState struct {
	// once: the request acts and must not be repeated after Haptik may have acted on it.
	once bool
	// attempts is how many requests were sent, retries included.
	attempts int
	// refused is set when the client stopped retrying because Retry-After asked for too long a wait.
	refused *waitRefusal
	// connected is set once any attempt has a connection open to the server (httptrace's GotConn),
	// the first moment a byte of the request could be written.
	connected atomic.Bool
}

type stateKey struct{}

func withState(ctx context.Context, st *callState) context.Context {
	return context.WithValue(ctx, stateKey{}, st)
}

// stateOf returns the state of the call ctx belongs to. Every request the client sends has one.
func stateOf(ctx context.Context) *callState {
	st, _ := ctx.Value(stateKey{}).(*callState)
	return st
}

// retryOnce is the retry policy of such a request: retry a 429 or 503 (Haptik turned it away) and
// a connection that was never established; anything else may have been acted on.
func retryOnce(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		var op *net.OpError
		return errors.As(err, &op) && op.Op == "dial", err
	}
	return resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable, nil
}

// retryAfter reads the Retry-After header of a 429 or 503, in seconds or as an HTTP date, and
// returns the wait it asks for with the header's text.
func retryAfter(resp *http.Response) (time.Duration, string, bool) {
	if resp == nil || (resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable) {
		return 0, "", false
	}
	h := strings.TrimSpace(resp.Header.Get("Retry-After"))
	if h == "" {
		return 0, "", false
	}
	if secs, err := strconv.ParseInt(h, 10, 64); err == nil && secs >= 0 {
		// Capped at a century, beyond any deadline and short of overflowing a Duration.
		const century = int64(100 * 365 * 24 * time.Hour / time.Second)
		return time.Duration(min(secs, century)) * time.Second, h, true
	}
	at, err := http.ParseTime(h)
	if err != nil {
		return 0, h, false
	}
	return max(time.Until(at).Round(time.Second), 0), h, true
}

// waitRefusal is a Retry-After the client would not wait for: longer than limit, which is
// Config.RetryAfterMax or, when atDeadline, the time left before the context's deadline.
type waitRefusal struct {
	header     string
	wait       time.Duration
	limit      time.Duration
	atDeadline bool
}

// refuseWait returns the refusal of resp's Retry-After when it asks for more than the client
// waits, or for more than the time left before ctx's deadline; nil when the wait is fine.
func refuseWait(ctx context.Context, resp *http.Response, capWait time.Duration) *waitRefusal {
	wait, header, ok := retryAfter(resp)
	if !ok {
		return nil
	}
	r := &waitRefusal{header: header, wait: wait, limit: capWait}
	if deadline, ok := ctx.Deadline(); ok {
		if left := time.Until(deadline); left < capWait {
			r.limit, r.atDeadline = max(left, 0), true
		}
	}
	if wait <= r.limit {
		return nil
	}
	r.limit = r.limit.Round(100 * time.Millisecond)
	return r
}

// errorFor is the error of the refused wait, given Haptik's answer.
func (r *waitRefusal) errorFor(apiErr *APIError) *RetryAfterError {
	return &RetryAfterError{Operation: apiErr.Operation, StatusCode: apiErr.StatusCode, Message: apiErr.Message,
		RetryAfter: r.header, Wait: r.wait, Limit: r.limit, AtDeadline: r.atDeadline, Attempts: apiErr.Attempts}
}

// checkRedirect follows a redirect only within the same scheme and host, because the credentials
// are headers and a redirect elsewhere must never carry them, and only when it keeps the method:
// a 301, 302 or 303 turns a POST into a GET without its body, whose answer would be taken for
// the POST's. A 307 or 308 keeps the method, and the body is sent again (retryablehttp gives
// every request a GetBody that rereads it).
func checkRedirect(req *http.Request, via []*http.Request) error {
	first := via[0]
	status := 0
	if req.Response != nil {
		status = req.Response.StatusCode
	}
	redirect := &RedirectError{From: first.URL.Redacted(), To: req.URL.Redacted(), Method: first.Method, StatusCode: status}
	if req.URL.Host != first.URL.Host || req.URL.Scheme != first.URL.Scheme {
		redirect.OtherHost = true
		return redirect
	}
	if req.Method != first.Method {
		return redirect
	}
	if len(via) >= 5 {
		return fmt.Errorf("stopped after %d redirects", len(via))
	}
	return nil
}

// IsPlainHTTPAnswer reports whether err is Go's "server gave HTTP response to HTTPS client": the
// server at an https:// base_url speaks plain http, so no TLS connection opened and nothing was
// sent. net/http returns it as an untyped error, so it is told by its text.
func IsPlainHTTPAnswer(err error) bool {
	return err != nil && strings.Contains(err.Error(), "server gave HTTP response to HTTPS client")
}
