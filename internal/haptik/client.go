// Package haptik is a client for the parts of Haptik's API that the provider uses: the FAQ CSV
// upload and its task-status endpoint, and the chat APIs (moving a chat to an agent team, reading a
// chat's history). It knows nothing of Terraform.
package haptik

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/go-retryablehttp"
)

// Paths of the FAQ API, relative to the customer's base URL.
const (
	UploadPath = "/mogambo_api/nodes/faq/create/"
	StatusPath = "/mogambo_api/nodes/faq/create/status/"
)

// maxResponseBytes bounds how much of any response body is read.
const maxResponseBytes = 1 << 20

// Config configures a Client. BaseURL, ClientID and Token are required.
type Config struct {
	// BaseURL is the customer's API host, e.g. https://staging.haptikapi.com, optionally with a path.
	// It must not carry a user name or password, a query string or a fragment.
	BaseURL   string
	ClientID  string
	Token     string
	UserAgent string

	// HTTPClient is the underlying client (its Transport is used). Default: a clean pooled client.
	HTTPClient *http.Client
	// RequestTimeout bounds each HTTP request, including reading the response. Default: 2 minutes.
	RequestTimeout time.Duration
	// ChatTimeout bounds each call of the chat APIs, retries included, when the caller's context
	// has no earlier deadline. Default: 2 minutes.
	ChatTimeout time.Duration
	// RetryMax is how many times a request is retried after a 429, a 5xx or a connection error.
	// Default 4; negative means no retries.
	RetryMax int
	// RetryWaitMin and RetryWaitMax bound the exponential backoff between retries. Defaults: 500 ms
	// and 30 s.
	RetryWaitMin, RetryWaitMax time.Duration
	// RetryAfterMax is the longest Retry-After (on a 429 or 503) the client waits for. A longer one,
	// or one past the context's deadline, ends the call at once with a *RetryAfterError.
	// Default: 30 s.
	RetryAfterMax time.Duration
	// Log, when set, receives one line per HTTP attempt. It never receives credentials: every
	// message and field is redacted first.
	Log func(ctx context.Context, msg string, fields map[string]any)
}

// Client talks to one Haptik account. It is safe for concurrent use.
type Client struct {
	base   *url.URL
	cfg    Config
	http   *retryablehttp.Client
	redact redactor
}

// New validates cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	u, err := parseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if cfg.ClientID == "" || cfg.Token == "" {
		return nil, errors.New("client id and token are both required")
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = cleanhttp.DefaultPooledClient()
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = 2 * time.Minute
	}
	if cfg.ChatTimeout == 0 {
		cfg.ChatTimeout = 2 * time.Minute
	}
	// A copy, so the caller's client keeps its own settings.
	hc := *cfg.HTTPClient
	hc.Timeout = cfg.RequestTimeout
	hc.CheckRedirect = checkRedirect
	cfg.HTTPClient = &hc
	if cfg.RetryMax == 0 {
		cfg.RetryMax = 4
	} else if cfg.RetryMax < 0 {
		cfg.RetryMax = 0
	}
	if cfg.RetryWaitMin == 0 {
		cfg.RetryWaitMin = 500 * time.Millisecond
	}
	if cfg.RetryWaitMax == 0 {
		cfg.RetryWaitMax = 30 * time.Second
	}
	if cfg.RetryAfterMax == 0 {
		cfg.RetryAfterMax = 30 * time.Second
	}
	red := newRedactor(cfg.Token)
	if cfg.Log != nil {
		cfg.Log = red.logFunc(cfg.Log)
	}
	return &Client{base: u, cfg: cfg, http: newRetryClient(cfg), redact: red}, nil
}

// parseBaseURL reads the base URL. Its errors never repeat a password, a query or a fragment,
// which may hold secrets; they name the part that is wrong.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		if strings.Contains(raw, "@") {
			return nil, errors.New("the base URL (not repeated here: it contains an @, perhaps before a password) " +
				"is not an absolute http or https URL")
		}
		return nil, fmt.Errorf("base URL %q is not an absolute http or https URL", raw)
	}
	shown := (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
	switch {
	case u.User != nil:
		return nil, fmt.Errorf("base URL %q has a user name or password before its host (%s://…@%s); Haptik "+
			"takes the client id and token as headers, so remove them from the URL", shown, u.Scheme, u.Host)
	case u.RawQuery != "" || u.ForceQuery:
		return nil, fmt.Errorf("base URL %q has a query string (from the ?); the client appends each API's path "+
			"to the base URL, so remove the query", shown)
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return nil, fmt.Errorf("base URL %q has a fragment (from the #); the client appends each API's path "+
			"to the base URL, so remove the fragment", shown)
	}
	return u, nil
}

// BaseURL returns the base URL the client sends requests to.
func (c *Client) BaseURL() string { return c.base.Redacted() }

// UploadFAQ uploads csv as the complete FAQ content of domain and returns the id of the task that
// processes it. The upload is an upsert over the whole domain, so it is safe to repeat.
func (c *Client) UploadFAQ(ctx context.Context, domain string, csv []byte) (_ string, err error) {
	defer c.scrub(&err)
	// The multipart body is the CSV between a small head and tail, read from the caller's bytes
	// on every attempt rather than copied into a second buffer.
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	if err := mw.WriteField("domain_name", domain); err != nil {
		return "", err
	}
	if _, err := mw.CreateFormFile("csv_file", "faq.csv"); err != nil {
		return "", err
	}
	tail := "\r\n--" + mw.Boundary() + "--\r\n"
	body := retryablehttp.ReaderFunc(func() (io.Reader, error) {
		return io.MultiReader(bytes.NewReader(head.Bytes()), bytes.NewReader(csv), strings.NewReader(tail)), nil
	})
	length := int64(head.Len() + len(csv) + len(tail))

	var out struct {
		TaskID *string `json:"task_id"`
	}
	const op = "upload the FAQ CSV"
	// The task id is checked with the answer, so that its error names the HTTP status. Refused,
	// it is never polled, logged or returned: Haptik accepted the upload, and the caller must
	// treat it as an upload that may be applied (a *ResponseError).
	check := func() string {
		if out.TaskID == nil {
			return "the response body has no task_id"
		}
		if problem := checkTaskID(*out.TaskID); problem != "" {
			return problem + ", so the client did not poll for it"
		}
		return ""
	}
	if err := c.do(ctx, call{op: op, method: http.MethodPost, path: UploadPath, contentType: mw.FormDataContentType(),
		body: body, length: length, check: check}, &out); err != nil {
		return "", err
	}
	return *out.TaskID, nil
}

// TaskStatus fetches the current status of an upload task and classifies it (ClassifyStatus),
// together with the envelope's error, which can contradict the text.
func (c *Client) TaskStatus(ctx context.Context, taskID string) (_ Status, err error) {
	defer c.scrub(&err)
	if problem := checkTaskID(taskID); problem != "" {
		// Only an id from elsewhere (an older provider's private state): UploadFAQ returns none.
		return Status{}, &ParamError{Param: "task_id", Problem: "is not one the client polls: " + problem}
	}
	var env envelope // bare: the whole envelope, for its error beside body.status
	var out struct {
		Status *string `json:"status"`
	}
	const op = "read the upload task's status"
	path := StatusPath + url.PathEscape(taskID) + "/"
	check := func() string {
		if json.Unmarshal(env.Body, &out) != nil || out.Status == nil {
			return "the response body has no status: " + c.redact.summary(env.Body)
		}
		return ""
	}
	if err := c.do(ctx, call{op: op, method: http.MethodGet, path: path, bare: true, check: check}, &env); err != nil {
		return Status{}, err
	}
	// The texts reach errors (a failed task), diagnostics and private state: redacted and quoted
	// (Quote), but classified as sent.
	msg := env.message()
	return Status{Text: c.redact.quote(*out.Status), EnvelopeError: c.redact.quote(msg),
		State: ClassifyStatus(*out.Status, msg)}, nil
}

// scrub removes secrets from the error an exported method returns; every method that talks to
// Haptik defers it, so no server text reaches the caller unredacted.
func (c *Client) scrub(err *error) { *err = c.redact.error(*err) }

// envelope is the union of Haptik's success envelope and its error body.
type envelope struct {
	Success      *bool           `json:"success"`
	Body         json.RawMessage `json:"body"`
	Error        any             `json:"error"`
	ErrorMessage string          `json:"error_message"`
}

func (e envelope) message() string {
	if e.ErrorMessage != "" {
		return e.ErrorMessage
	}
	switch v := e.Error.(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// call is one Haptik API request.
type call struct {
	op, method, path string
	query            url.Values
	contentType      string
	body             retryablehttp.ReaderFunc
	length           int64
	// bare: the answer is the result object itself ({"success": true} or {"chat_json": ...}),
	// not the FAQ API's envelope whose "body" holds the result.
	bare bool
	// once: the request acts (a chat handoff), so it is retried only when Haptik certainly did
	// not act on it: a 429 or 503 answer, or a connection that was never made (see retryOnce).
	once bool
	// timeout, when set, bounds the call, retries included, unless ctx ends sooner.
	timeout time.Duration
	// tooLarge is advice for an answer larger than maxResponseBytes.
	tooLarge string
	// check, when set, looks at the decoded answer and says what is wrong with it ("" when
	// nothing); a problem is a *ResponseError with the answer's HTTP status.
	check func() string
}

// do sends one API call and decodes its answer into out. It builds the request, sends it with
// retries, and reads and classifies what came back; each step is its own function below.
func (c *Client) do(ctx context.Context, k call, out any) error {
	parent := ctx
	if k.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, k.timeout)
		defer cancel()
	}
	st := &callState{once: k.once}
	// GotConn marks the moment a request could first leave: a connection to the server is open
	// (its TLS handshake done, through any proxy). A call none of whose attempts got that far sent
	// nothing (TransportError.NotSent).
	ctx = httptrace.WithClientTrace(withState(ctx, st), &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { st.connected.Store(true) },
	})
	err := c.exchange(ctx, k, st, out)
	if k.timeout > 0 && errors.Is(err, context.DeadlineExceeded) && parent.Err() == nil {
		// The call's own deadline, not the caller's: say so, rather than report a timeout the
		// caller never set.
		return &TransportError{Operation: k.op, Attempts: st.attempts,
			Err: fmt.Errorf("no answer from Haptik within %s, the longest the client waits for this call", k.timeout)}
	}
	return err
}

// exchange is one call within its deadline: the request, its retries, and the answer's reading.
func (c *Client) exchange(ctx context.Context, k call, st *callState, out any) error {
	req, err := c.newRequest(ctx, k)
	if err != nil {
		return err
	}
	resp, err := c.send(ctx, k.op, req, st)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	ans := answer{resp: resp, attempts: st.attempts}
	raw, truncated, err := readBody(ctx, k.op, ans)
	if err != nil {
		return err
	}
	err = c.decodeAnswer(k, ans, raw, truncated, out)
	var apiErr *APIError
	if st.refused != nil && errors.As(err, &apiErr) {
		return st.refused.errorFor(apiErr)
	}
	return err
}

// newRequest builds the HTTP request of a call, with the credentials and content headers.
func (c *Client) newRequest(ctx context.Context, k call) (*retryablehttp.Request, error) {
	var reqBody any
	if k.body != nil {
		reqBody = k.body
	}
	target := c.base.String() + k.path
	if len(k.query) > 0 {
		target += "?" + k.query.Encode()
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, k.method, target, reqBody)
	if err != nil {
		return nil, fmt.Errorf("%s: building the request: %w", k.op, err)
	}
	if k.body != nil {
		req.ContentLength = k.length
	}
	req.Header.Set("Authorization", "Bearer "+c.cfg.Token)
	req.Header.Set("client-id", c.cfg.ClientID)
	req.Header.Set("Accept", "application/json")
	if c.cfg.UserAgent != "" {
		req.Header.Set("User-Agent", c.cfg.UserAgent)
	}
	if k.contentType != "" {
		req.Header.Set("Content-Type", k.contentType)
	}
	return req, nil
}

// answer is the last response of a call, once the retries are over.
type answer struct {
	resp     *http.Response
	attempts int
}

// send sends the request, retrying as the client's policy allows, and returns the last response.
// It returns an error, and no response, when no usable answer came back: a refused redirect, an
// ended context or a transport failure.
func (c *Client) send(ctx context.Context, op string, req *retryablehttp.Request, st *callState) (*http.Response, error) {
	resp, err := c.http.Do(req)
	var redirect *RedirectError
	if errors.As(err, &redirect) {
		if resp != nil {
			_ = resp.Body.Close()
		}
		return nil, redirect
	}
	if resp != nil {
		return resp, nil
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return nil, ctxErr
	}
	var unknown x509.UnknownAuthorityError
	if errors.As(err, &unknown) {
		err = &untrustedAuthorityError{err: err}
	}
	return nil, &TransportError{Operation: op, Attempts: st.attempts, Err: err, NotSent: !st.connected.Load()}
}

// readBody reads at most maxResponseBytes of the response body, and says whether there was more.
func readBody(ctx context.Context, op string, ans answer) ([]byte, bool, error) {
	raw, err := io.ReadAll(io.LimitReader(ans.resp.Body, maxResponseBytes+1))
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, false, ctxErr
		}
		return nil, false, &TransportError{Operation: op, Attempts: ans.attempts, Err: err}
	}
	if len(raw) > maxResponseBytes {
		return raw[:maxResponseBytes], true, nil
	}
	return raw, false, nil
}

// decodeAnswer classifies an answer: an HTTP error status or success set to false is an
// *APIError, a body that is not what the API documents is a *ResponseError, and anything else is
// decoded into out (the envelope's "body" object, or the whole answer for a bare call).
func (c *Client) decodeAnswer(k call, ans answer, raw []byte, truncated bool, out any) error {
	op, status, attempts := k.op, ans.resp.StatusCode, ans.attempts
	var env envelope
	jsonErr := json.Unmarshal(raw, &env)
	if status < 200 || status > 299 {
		// A body of the wrong shape may still carry an error_message: the decoder fills what fits.
		msg := env.message()
		if msg == "" {
			msg = c.redact.summary(raw)
		}
		return &APIError{Operation: op, StatusCode: status, Message: msg, Attempts: attempts}
	}
	if truncated {
		return &ResponseError{Operation: op, StatusCode: status, Problem: fmt.Sprintf(
			"the response body is larger than %d MiB (%d bytes), the most the client reads, so it was not decoded%s",
			maxResponseBytes>>20, maxResponseBytes, k.tooLarge)}
	}
	if jsonErr != nil {
		if !json.Valid(raw) {
			return &ResponseError{Operation: op, StatusCode: status,
				Problem: "the response body is not JSON: " + c.redact.summary(raw)}
		}
		return &ResponseError{Operation: op, StatusCode: status,
			Problem: "the response body has an unexpected shape: " + c.redact.summary(raw)}
	}
	if env.Success != nil && !*env.Success {
		msg := env.message()
		if msg == "" {
			msg = "success is false and no error message was given"
		}
		return &APIError{Operation: op, StatusCode: status, Message: msg, Attempts: attempts}
	}
	if k.bare {
		if err := json.Unmarshal(raw, out); err != nil {
			return &ResponseError{Operation: op, StatusCode: status,
				Problem: "the response body has an unexpected shape: " + c.redact.summary(raw)}
		}
		return k.checked(status)
	}
	if len(env.Body) == 0 || string(env.Body) == "null" {
		return &ResponseError{Operation: op, StatusCode: status, Problem: "the response has no body object"}
	}
	if err := json.Unmarshal(env.Body, out); err != nil {
		return &ResponseError{Operation: op, StatusCode: status,
			Problem: "the response body object has an unexpected shape: " + c.redact.summary(env.Body)}
	}
	return k.checked(status)
}

// checked is the call's check of a decoded answer of HTTP status: nil, or the *ResponseError
// naming what is wrong.
func (k call) checked(status int) error {
	if k.check == nil {
		return nil
	}
	if problem := k.check(); problem != "" {
		return &ResponseError{Operation: k.op, StatusCode: status, Problem: problem}
	}
	return nil
}

// summary renders a response body for an error message: redacted, then trimmed, put on one line
// and quoted with a shorter cap than Quote's (quote). Redacting first means a cut never keeps
// part of a secret.
func (r redactor) summary(raw []byte) string {
	s := strings.Join(strings.Fields(r.text(string(raw))), " ")
	if s == "" {
		return "(empty body)"
	}
	const limit = 300
	return quote(s, limit)
}
