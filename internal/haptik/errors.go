package haptik

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// APIError is a response in which Haptik refused a request: an HTTP error status, or a success
// envelope with success set to false.
type APIError struct {
	// Operation says what the client was doing, e.g. "upload the FAQ CSV".
	Operation string
	// StatusCode is the HTTP status of the last response.
	StatusCode int
	// Message is Haptik's own error_message (or error) verbatim, or a summary of a non-JSON body.
	Message string
	// Attempts is how many requests were sent, retries included.
	Attempts int
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("%s: Haptik answered HTTP %d %s: %s", e.Operation, e.StatusCode,
		http.StatusText(e.StatusCode), e.Message)
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	return s
}

// IsAuth reports whether Haptik refused the credentials: HTTP 401 or 403, or one of the
// credential errors the chat APIs document (their HTTP codes are not documented).
func (e *APIError) IsAuth() bool {
	return e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden || authMessages[e.Message]
}

// authMessages are Haptik's documented error messages about credentials.
var authMessages = map[string]bool{
	"token missing in headers":         true,
	"invalid token provided":           true,
	"client_id missing in headers":     true,
	"invalid client_id in headers":     true,
	"invalid authorization in headers": true,
	"invalid client_id":                true, // get_chat_history's wording
	"invalid token":                    true, // get_chat_history's wording
}

// ParamError is a request parameter that Haptik would refuse, found before anything was sent.
type ParamError struct {
	// Param is the API's name of the parameter, e.g. "countdown".
	Param   string
	Problem string
}

func (e *ParamError) Error() string { return e.Param + " " + e.Problem }

// TransportError is a request that got no HTTP response at all, after every retry.
type TransportError struct {
	Operation string
	Attempts  int
	Err       error
	// NotSent is true when no attempt ever had a connection open to the server: each was refused,
	// failed to resolve the host, or never completed its TLS handshake (https against a plain-http
	// server, a certificate nobody trusts). Nothing of the request reached Haptik. False means it
	// may have (a reset or a timeout after the request was written).
	NotSent bool
}

func (e *TransportError) Error() string {
	if e.NotSent {
		return fmt.Sprintf("%s: could not connect to Haptik after %d attempt(s), so nothing was sent: %v", e.Operation,
			e.Attempts, e.Err)
	}
	return fmt.Sprintf("%s: no response from Haptik after %d attempt(s): %v", e.Operation, e.Attempts, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// ResponseError is a successful HTTP status whose body is not what the API documents.
type ResponseError struct {
	Operation  string
	StatusCode int
	Problem    string
}

func (e *ResponseError) Error() string {
	return fmt.Sprintf("%s: unexpected response from Haptik (HTTP %d): %s", e.Operation, e.StatusCode, e.Problem)
}

// TaskFailedError is an upload task that Haptik reported as failed.
type TaskFailedError struct {
	TaskID string
	// Status is Haptik's status text (redacted and quoted), followed by "; error: <message>" when the
	// envelope carried an error; an empty text reads "(an empty status text)".
	Status string
}

func (e *TaskFailedError) Error() string {
	return fmt.Sprintf("Haptik reported upload task %s as failed: %s", e.TaskID, e.Status)
}

// RedirectError is a redirect the client refuses to follow: to another host or scheme, so that
// the credentials never leave the configured host, or one that would turn a request with a body
// (an upload, a handoff) into a GET without it, which could answer with a success for a request
// that never reached Haptik.
type RedirectError struct {
	// From and To are the redirected URL and the redirect's target (without any password).
	From, To string
	// Method is the method of the redirected request.
	Method string
	// StatusCode is the HTTP status of the redirect, e.g. 302.
	StatusCode int
	// OtherHost is true for a redirect to another host or scheme. Otherwise the redirect stays on
	// the host but would drop the request's body.
	OtherHost bool
}

func (e *RedirectError) Error() string {
	if e.OtherHost {
		return fmt.Sprintf("Haptik redirected %s to %s (HTTP %d), another host or scheme; the request was not sent "+
			"there with your credentials", e.From, e.To, e.StatusCode)
	}
	return fmt.Sprintf("Haptik answered the %s to %s with HTTP %d %s, a redirect to %s; following it would send the "+
		"request again as a GET without its body, so the client did not follow it and nothing was sent there",
		e.Method, e.From, e.StatusCode, http.StatusText(e.StatusCode), e.To)
}

// RetryAfterError is a 429 or 503 answer whose Retry-After header asks for a longer wait than the
// client makes (Config.RetryAfterMax) or than the time left before the call's deadline. The
// client gives up at once rather than sleeping into the deadline.
type RetryAfterError struct {
	Operation string
	// StatusCode is 429 or 503.
	StatusCode int
	// Message is Haptik's own error message verbatim, as in APIError.Message.
	Message string
	// RetryAfter is the Retry-After header verbatim: seconds or an HTTP date.
	RetryAfter string
	// Wait is how long Retry-After asks the client to wait.
	Wait time.Duration
	// Limit is the longest wait the client would have made: Config.RetryAfterMax, or the time that
	// was left before the deadline when AtDeadline is set.
	Limit      time.Duration
	AtDeadline bool
	// Attempts is how many requests were sent, retries included.
	Attempts int
}

func (e *RetryAfterError) Error() string {
	s := fmt.Sprintf("%s: Haptik answered HTTP %d %s: %s", e.Operation, e.StatusCode, http.StatusText(e.StatusCode), e.Message)
	if e.Attempts > 1 {
		s += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	limit := fmt.Sprintf("the %s the client waits at most between attempts", e.Limit)
	if e.AtDeadline {
		limit = fmt.Sprintf("the %s that were left before the deadline of this operation", e.Limit)
	}
	return s + fmt.Sprintf(". Haptik asked to be retried in %s (Retry-After: %s), longer than %s, so the client "+
		"stopped instead of waiting; try again once that time has passed", e.Wait, e.RetryAfter, limit)
}

// untrustedAuthorityError is a TLS failure because no trusted authority signed the server's
// certificate, with the way to trust a private one.
type untrustedAuthorityError struct{ err error }

func (e *untrustedAuthorityError) Error() string {
	return e.err.Error() + " (the server's certificate is not signed by a certificate authority this machine trusts; " +
		"if Haptik is reached through a proxy or host with a private certificate authority, set the SSL_CERT_FILE " +
		"environment variable to a PEM file holding that authority's certificate, or SSL_CERT_DIR to a directory " +
		"of such files, where Terraform runs; on macOS and Windows add it to the system's trust store instead)"
}

func (e *untrustedAuthorityError) Unwrap() error { return e.err }

// IsTransient reports whether err may go away by itself, which is exactly what the client
// retries: a 429 or a 5xx answer other than 501 Not Implemented (also one whose Retry-After was
// too long to wait for), or no answer at all. Refused credentials, other 4xx answers, 501 (the
// server does not do this at all: go-retryablehttp does not retry it either), malformed answers
// and redirects are not.
func IsTransient(err error) bool {
	var (
		apiErr     *APIError
		netErr     *TransportError
		retryAfter *RetryAfterError
	)
	switch {
	case errors.As(err, &netErr), errors.As(err, &retryAfter):
		return true
	case errors.As(err, &apiErr):
		return apiErr.StatusCode == http.StatusTooManyRequests ||
			(apiErr.StatusCode >= 500 && apiErr.StatusCode != http.StatusNotImplemented)
	default:
		return false
	}
}
