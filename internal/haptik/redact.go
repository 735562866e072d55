package haptik

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// redactedMark replaces a secret removed from a text a server sent.
const redactedMark = "[REDACTED]"

// minRedactedToken is the shortest token removed wherever it appears: a shorter one cannot be
// told apart from ordinary text (and is no secret worth the name).
const minRedactedToken = 4

// bearerValue matches a bearer credential, the client's own or anyone else's, as an HTTP header, a
// URL query or an HTML page may write it. The value ends where an RFC 6750 token cannot go on:
// at a space, a quote, a tag, a backslash (JSON escapes) or a separator (&, comma, semicolon).
var bearerValue = regexp.MustCompile(`(?i)\bbearer(?:\s+|%20|\+)[^\s"'<>\\&,;]+`)

// redactor removes secrets from the texts a server sends before they reach an error or the log:
// the client's token in every form a server may echo it (plain, URL-, HTML- or JSON-escaped), and
// any "Bearer <value>". Servers, proxies and web application firewalls echo the Authorization
// header in error messages and HTML pages.
type redactor struct {
	token []string // longest first, so that no shorter form leaves part of a longer one behind
}

func newRedactor(token string) redactor {
	if len(token) < minRedactedToken {
		return redactor{}
	}
	forms := map[string]bool{token: true, url.QueryEscape(token): true, url.PathEscape(token): true, html.EscapeString(token): true}
	if b, err := json.Marshal(token); err == nil {
		forms[string(b[1:len(b)-1])] = true
	}
	var r redactor
	for f := range forms {
		r.token = append(r.token, f)
	}
	sort.Slice(r.token, func(i, j int) bool { return len(r.token[i]) > len(r.token[j]) })
	return r
}

// text returns s without secrets.
func (r redactor) text(s string) string {
	for _, t := range r.token {
		s = strings.ReplaceAll(s, t, redactedMark)
	}
	return bearerValue.ReplaceAllString(s, "Bearer "+redactedMark)
}

// quote is s without secrets, then made safe to show (Quote): redacted first, so that the cap
// never keeps part of a secret.
func (r redactor) quote(s string) string { return Quote(r.text(s)) }

// error removes secrets from the text fields of the client's errors, which callers read directly,
// and from the text of any other error, and quotes them (Quote): escaped and capped. It is applied
// to every error the client returns. (A *TaskFailedError needs none: its status text was quoted
// when it was read.)
func (r redactor) error(err error) error {
	if err == nil {
		return nil
	}
	var (
		apiErr     *APIError
		retryAfter *RetryAfterError
		shapeErr   *ResponseError
		netErr     *TransportError
		redirect   *RedirectError
	)
	if errors.As(err, &apiErr) {
		apiErr.Message = r.quote(apiErr.Message)
	}
	if errors.As(err, &retryAfter) {
		retryAfter.Message = r.quote(retryAfter.Message)
		retryAfter.RetryAfter = r.quote(retryAfter.RetryAfter)
	}
	if errors.As(err, &shapeErr) {
		shapeErr.Problem = r.quote(shapeErr.Problem)
	}
	if errors.As(err, &netErr) {
		netErr.Err = r.cause(netErr.Err)
	}
	if errors.As(err, &redirect) {
		redirect.From, redirect.To = r.quote(redirect.From), r.quote(redirect.To)
	}
	return r.cause(err)
}

// cause wraps err when its text holds a secret or anything Quote changes (a certificate's name,
// a server's garbled answer), so that its text is quoted while errors.Is and errors.As still see
// the error beneath.
func (r redactor) cause(err error) error {
	if clean := r.quote(err.Error()); clean != err.Error() {
		return &redactedError{text: clean, err: err}
	}
	return err
}

// redactedError is an error whose text held a secret, or needed quoting.
type redactedError struct {
	text string
	err  error
}

func (e *redactedError) Error() string { return e.text }
func (e *redactedError) Unwrap() error { return e.err }

// logFunc returns log with every message and field value redacted and quoted, so that nothing
// the client logs (or that its callers in this package log through it) carries a secret, a
// terminal escape or a megabyte of server text.
func (r redactor) logFunc(log func(context.Context, string, map[string]any)) func(context.Context, string, map[string]any) {
	return func(ctx context.Context, msg string, fields map[string]any) {
		clean := make(map[string]any, len(fields))
		for k, v := range fields {
			switch v := v.(type) {
			case string:
				clean[k] = r.quote(v)
			case error:
				clean[k] = r.quote(v.Error())
			case fmt.Stringer:
				clean[k] = r.quote(v.String())
			default:
				clean[k] = v
			}
		}
		log(ctx, r.quote(msg), clean)
	}
}
