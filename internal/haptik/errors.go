package haptik

import (
	"errors"
	"fmt"
	"net/http"
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
}

func (e *TransportError) Error() string {
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
	// Status is Haptik's status text verbatim.
	Status string
}

func (e *TaskFailedError) Error() string {
	return fmt.Sprintf("Haptik reported upload task %s as failed: %s", e.TaskID, e.Status)
}

// exhaustedError carries the number of attempts out of retryablehttp once it gives up.
type exhaustedError struct {
	tries int
	err   error
}

func (e *exhaustedError) Error() string {
	return fmt.Sprintf("giving up after %d attempt(s): %v", e.tries, e.err)
}
func (e *exhaustedError) Unwrap() error { return e.err }

// RedirectError is a redirect to another host or scheme, which the client refuses to follow so
// that the credentials never leave the configured host.
type RedirectError struct {
	From, To string
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("Haptik redirected %s to %s, another host or scheme; the request was not sent there "+
		"with your credentials", e.From, e.To)
}

// IsTransient reports whether err may go away by itself: a 429 or 5xx answer, or no answer at all.
// Refused credentials, other 4xx answers, malformed answers and redirects are not.
func IsTransient(err error) bool {
	var apiErr *APIError
	var netErr *TransportError
	switch {
	case errors.As(err, &netErr):
		return true
	case errors.As(err, &apiErr):
		return apiErr.StatusCode == http.StatusTooManyRequests || apiErr.StatusCode >= 500
	default:
		return false
	}
}
