// Package haptik is a client for the parts of Haptik's API that the provider uses: the FAQ CSV
// upload and its task-status endpoint, and the chat APIs (moving a chat to an agent team, reading a
// chat's history). It knows nothing of Terraform.
package haptik

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
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
	BaseURL   string
	ClientID  string
	Token     string
	UserAgent string

	// HTTPClient is the underlying client (its Transport is used). Default: a clean pooled client.
	HTTPClient *http.Client
	// RequestTimeout bounds each HTTP request, including reading the response. Default: 2 minutes.
	RequestTimeout time.Duration
	// RetryMax is how many times a request is retried after a 429, a 5xx or a connection error.
	// Default 4; negative means no retries.
	RetryMax int
	// RetryWaitMin and RetryWaitMax bound the exponential backoff between retries. A Retry-After
	// header on a 429 or 503 takes precedence. Defaults: 500 ms and 30 s.
	RetryWaitMin, RetryWaitMax time.Duration
	// Log, when set, receives one line per HTTP attempt. It never receives credentials.
	Log func(ctx context.Context, msg string, fields map[string]any)
}

// Client talks to one Haptik account. It is safe for concurrent use.
type Client struct {
	base *url.URL
	cfg  Config
	http *retryablehttp.Client
}

// New validates cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("base URL %q is not an absolute http or https URL", cfg.BaseURL)
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

	rc := retryablehttp.NewClient()
	rc.HTTPClient = cfg.HTTPClient
	rc.Logger = nil
	rc.RetryMax = cfg.RetryMax
	rc.RetryWaitMin = cfg.RetryWaitMin
	rc.RetryWaitMax = cfg.RetryWaitMax
	rc.CheckRetry = func(ctx context.Context, resp *http.Response, err error) (bool, error) {
		var redirect *RedirectError
		if errors.As(err, &redirect) {
			return false, err
		}
		if ctx.Value(onceKey{}) != nil {
			return retryOnce(ctx, resp, err)
		}
		return retryablehttp.ErrorPropagatedRetryPolicy(ctx, resp, err)
	}
	rc.Backoff = retryablehttp.DefaultBackoff
	rc.ErrorHandler = func(resp *http.Response, err error, tries int) (*http.Response, error) {
		return resp, &exhaustedError{tries: tries, err: err}
	}
	if cfg.Log != nil {
		rc.RequestLogHook = func(_ retryablehttp.Logger, r *http.Request, attempt int) {
			cfg.Log(r.Context(), "Haptik API request", map[string]any{
				"method": r.Method, "url": r.URL.Redacted(), "attempt": attempt + 1,
			})
		}
		rc.ResponseLogHook = func(_ retryablehttp.Logger, r *http.Response) {
			cfg.Log(r.Request.Context(), "Haptik API response", map[string]any{
				"method": r.Request.Method, "url": r.Request.URL.Redacted(), "status": r.StatusCode,
			})
		}
	}
	return &Client{base: u, cfg: cfg, http: rc}, nil
}

// BaseURL returns the base URL the client sends requests to.
func (c *Client) BaseURL() string { return c.base.String() }

// UploadFAQ uploads csv as the complete FAQ content of domain and returns the id of the task that
// processes it. The upload is an upsert over the whole domain, so it is safe to repeat.
func (c *Client) UploadFAQ(ctx context.Context, domain string, csv []byte) (string, error) {
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
	if err := c.do(ctx, call{op: op, method: http.MethodPost, path: UploadPath, contentType: mw.FormDataContentType(),
		body: body, length: length}, &out); err != nil {
		return "", err
	}
	if out.TaskID == nil || *out.TaskID == "" {
		return "", &ResponseError{Operation: op, Problem: "the response body has no task_id"}
	}
	return *out.TaskID, nil
}

// TaskStatus fetches the current status of an upload task and classifies it (ClassifyStatus),
// together with the envelope's error, which can contradict the text.
func (c *Client) TaskStatus(ctx context.Context, taskID string) (Status, error) {
	var env envelope // bare: the whole envelope, for its error beside body.status
	var out struct {
		Status *string `json:"status"`
	}
	const op = "read the upload task's status"
	path := StatusPath + url.PathEscape(taskID) + "/"
	if err := c.do(ctx, call{op: op, method: http.MethodGet, path: path, bare: true}, &env); err != nil {
		return Status{}, err
	}
	if json.Unmarshal(env.Body, &out) != nil || out.Status == nil {
		return Status{}, &ResponseError{Operation: op, Problem: "the response body has no status: " + summarizeBody(env.Body)}
	}
	msg := env.message()
	return Status{Text: *out.Status, EnvelopeError: msg, State: ClassifyStatus(*out.Status, msg)}, nil
}

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
	// not act on it: a 429 or 503 answer, or a connection that was never made.
	once bool
}

func (c *Client) do(ctx context.Context, k call, out any) error {
	op := k.op
	var reqBody any
	if k.body != nil {
		reqBody = k.body
	}
	target := c.base.String() + k.path
	if len(k.query) > 0 {
		target += "?" + k.query.Encode()
	}
	if k.once {
		ctx = context.WithValue(ctx, onceKey{}, true)
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, k.method, target, reqBody)
	if err != nil {
		return fmt.Errorf("%s: building the request: %w", op, err)
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

	resp, err := c.http.Do(req)
	var redirect *RedirectError
	if errors.As(err, &redirect) {
		if resp != nil {
			_ = resp.Body.Close()
		}
		return redirect
	}
	attempts := 1
	var ex *exhaustedError
	if errors.As(err, &ex) {
		attempts = ex.tries
		err = ex.err
	}
	if resp == nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		return &TransportError{Operation: op, Attempts: attempts, Err: err}
	}
	defer func() { _ = resp.Body.Close() }()
	raw, readErr := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if readErr != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		return &TransportError{Operation: op, Attempts: attempts, Err: readErr}
	}

	var env envelope
	jsonErr := json.Unmarshal(raw, &env)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		msg := env.message()
		if jsonErr != nil || msg == "" {
			msg = summarizeBody(raw)
		}
		return &APIError{Operation: op, StatusCode: resp.StatusCode, Message: msg, Attempts: attempts}
	}
	if jsonErr != nil {
		return &ResponseError{Operation: op, StatusCode: resp.StatusCode,
			Problem: "the response body is not JSON: " + summarizeBody(raw)}
	}
	if env.Success != nil && !*env.Success {
		msg := env.message()
		if msg == "" {
			msg = "success is false and no error message was given"
		}
		return &APIError{Operation: op, StatusCode: resp.StatusCode, Message: msg, Attempts: attempts}
	}
	if k.bare {
		if err := json.Unmarshal(raw, out); err != nil {
			return &ResponseError{Operation: op, StatusCode: resp.StatusCode,
				Problem: "the response body has an unexpected shape: " + summarizeBody(raw)}
		}
		return nil
	}
	if len(env.Body) == 0 || string(env.Body) == "null" {
		return &ResponseError{Operation: op, StatusCode: resp.StatusCode, Problem: "the response has no body object"}
	}
	if err := json.Unmarshal(env.Body, out); err != nil {
		return &ResponseError{Operation: op, StatusCode: resp.StatusCode,
			Problem: "the response body object has an unexpected shape: " + summarizeBody(env.Body)}
	}
	return nil
}

// onceKey marks the context of a request that acts and must not be repeated after Haptik may
// have acted on it.
type onceKey struct{}

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

// summarizeBody renders a response body for an error message: trimmed, on one line, and cut short.
func summarizeBody(raw []byte) string {
	s := strings.Join(strings.Fields(string(raw)), " ")
	if s == "" {
		return "(empty body)"
	}
	const limit = 300
	if len(s) > limit {
		s = s[:limit] + "…"
	}
	return s
}

// checkRedirect follows a redirect only within the same scheme and host: the credentials are
// headers, and a redirect elsewhere must never carry them.
func checkRedirect(req *http.Request, via []*http.Request) error {
	first := via[0].URL
	if req.URL.Host != first.Host || req.URL.Scheme != first.Scheme {
		return &RedirectError{From: first.Redacted(), To: req.URL.Redacted()}
	}
	if len(via) >= 5 {
		return fmt.Errorf("stopped after %d redirects", len(via))
	}
	return nil
}
