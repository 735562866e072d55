package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/faqops/terraform-provider-haptik/internal/review"
)

const commentUsage = `usage: haptik-faq comment -pr N (-body comment.md | -failure plan.txt) [-link URL] [-sources GLOB] [-author LOGIN]

Keeps one review comment on a pull request current: it updates the comment that starts with
` + review.Marker + ` and was written by this token's own user, or creates it. A comment
by anyone else is never taken for it, whatever it says.

  -body FILE     the summary haptik-faq review wrote: the comment becomes that summary
  -failure FILE  the output of a plan that failed (or a missing file: the job failed before the
                 plan): the comment becomes the first errors, so no earlier summary stays up

Environment: GITHUB_TOKEN, GITHUB_REPOSITORY (owner/name) and GITHUB_API_URL (GitHub Actions sets
the last two; the default API is https://api.github.com).
`

// githubCommentLimit is the most characters GitHub accepts in a comment body.
const githubCommentLimit = 65536

// actionsBot is the user a workflow's GITHUB_TOKEN writes as. GET /user refuses that token, so
// when it does, the comments to update are this user's.
const actionsBot = "github-actions[bot]"

// runComment is haptik-faq comment. getenv reads the environment; client (nil:
// http.DefaultClient) sends the requests.
func runComment(args []string, getenv func(string) string, client *http.Client, stdout, stderr io.Writer) int {
	if client == nil {
		client = http.DefaultClient
	}
	fs := newFlagSet("comment", commentUsage, stderr)
	pr := fs.Int("pr", 0, "the pull request's number")
	bodyFile := fs.String("body", "", "the review summary to post (haptik-faq review's output)")
	failureFile := fs.String("failure", "", "the output of the failed plan, to post its first errors")
	link := fs.String("link", "", "a link to the workflow run, added at the end of the comment")
	sources := fs.String("sources", "", "a glob of the YAML files nodes come from (faq/*.yaml), to say which file defines each node an error names")
	author := fs.String("author", "", "the login whose comment to update (default: the token's user; "+actionsBot+" for a workflow's GITHUB_TOKEN)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return exitUsage
	}
	fail := func(format string, a ...any) int {
		_, _ = fmt.Fprintf(stderr, "haptik-faq comment: "+format+"\n", a...)
		return exitUsage
	}
	switch {
	case fs.NArg() > 0:
		return fail("unexpected argument %q", fs.Arg(0))
	case *pr <= 0:
		return fail("-pr must be the pull request's number")
	case (*bodyFile == "") == (*failureFile == ""):
		return fail("give exactly one of -body and -failure")
	}
	gh := &githubClient{http: client, token: getenv("GITHUB_TOKEN"), repo: getenv("GITHUB_REPOSITORY"), api: getenv("GITHUB_API_URL")}
	if gh.api == "" {
		gh.api = "https://api.github.com"
	}
	gh.api = strings.TrimSuffix(gh.api, "/")
	switch {
	case gh.token == "":
		return fail("GITHUB_TOKEN is not set")
	case !regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`).MatchString(gh.repo):
		return fail("GITHUB_REPOSITORY must be owner/name, not %q", gh.repo)
	}

	var body string
	if *bodyFile != "" {
		b, err := os.ReadFile(*bodyFile)
		if err != nil {
			_, _ = fmt.Fprintln(stderr, "haptik-faq comment:", err)
			return exitError
		}
		body = summaryBody(string(b), *link)
	} else {
		out, err := os.ReadFile(*failureFile)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			_, _ = fmt.Fprintln(stderr, "haptik-faq comment:", err)
			return exitError
		}
		var files []string
		if *sources != "" {
			if files, err = filepath.Glob(*sources); err != nil {
				return fail("-sources: %v", err)
			}
		}
		body = failureBody(string(out), err == nil, files, *link)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := gh.upsert(ctx, *pr, *author, body)
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "haptik-faq comment:", err)
		return exitError
	}
	_, _ = fmt.Fprintln(stdout, res)
	return 0
}

// summaryBody is the comment for a review summary: the summary, starting with the marker, and
// the link.
func summaryBody(summary, link string) string {
	if !strings.HasPrefix(summary, review.Marker) {
		summary = review.Marker + "\n" + summary
	}
	footer := ""
	if link != "" {
		footer = "\n\n[Full plan output](" + link + ")\n"
	}
	summary = strings.TrimRight(summary, "\n")
	if n := utf8.RuneCountInString(summary) + utf8.RuneCountInString(footer); n > githubCommentLimit {
		note := "\n\n_The summary is cut here to fit in one GitHub comment; the full plan output is linked below._"
		keep := githubCommentLimit - utf8.RuneCountInString(footer) - utf8.RuneCountInString(note)
		summary = string([]rune(summary)[:keep]) + note
	}
	return summary + footer
}

// The most lines of errors a failure comment quotes.
const failureLines = 60

// failureBody is the comment for a plan that failed: its first errors, where the nodes they name
// are defined, and the link. ran is false when the plan produced no output file at all.
func failureBody(out string, ran bool, sourceFiles []string, link string) string {
	var b strings.Builder
	b.WriteString(review.Marker + "\n## FAQ changes in this plan\n\n")
	b.WriteString("> [!CAUTION]\n")
	if !ran {
		b.WriteString("> **The job failed before the plan ran**, so this pull request's FAQ changes cannot be shown. " +
			"See the workflow run for the step that failed.\n")
	} else {
		b.WriteString("> **The plan failed**, so this pull request's FAQ changes cannot be shown, and it cannot be " +
			"applied as it is. Any earlier summary here is out of date. ")
		errs, total := firstErrors(out, failureLines)
		if total == 0 {
			b.WriteString("Terraform reported no `Error:` line; the end of its output:\n\n")
		} else {
			fmt.Fprintf(&b, "%s:\n\n", plural(total, "The error", "The first errors"))
		}
		fence := codeFence(errs)
		b.WriteString(fence + "text\n" + errs + "\n" + fence + "\n")
		if where := nodeSources(errs, sourceFiles); where != "" {
			b.WriteString("\nWhere the nodes named above are defined:\n\n" + where)
		}
	}
	if link != "" {
		b.WriteString("\n[Full plan output](" + link + ")\n")
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

var ansiEscape = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)

// firstErrors returns Terraform's first error diagnostics in out, each from its "Error: " line to
// the next diagnostic, at most maxLines lines in all, and how many errors out holds. With no error
// in out it returns out's last lines.
func firstErrors(out string, maxLines int) (string, int) {
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(ansiEscape.ReplaceAllString(out, "")))
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), " \r")
		// Terraform frames diagnostics with box-drawing characters unless -no-color is given.
		for _, frame := range []string{"╷", "╵", "│ ", "│"} {
			if strings.HasPrefix(line, frame) {
				line = strings.TrimPrefix(line, frame)
				break
			}
		}
		lines = append(lines, line)
	}
	var kept []string
	total, inError, cut := 0, false, false
	for _, line := range lines {
		switch {
		case strings.HasPrefix(line, "Error: "):
			total++
			inError = true
		case strings.HasPrefix(line, "Warning: "):
			inError = false
		}
		if !inError {
			continue
		}
		if len(kept) >= maxLines {
			cut = true
			continue
		}
		if len(kept) > 0 && strings.HasPrefix(line, "Error: ") && kept[len(kept)-1] != "" {
			kept = append(kept, "")
		}
		kept = append(kept, line)
	}
	if total == 0 {
		kept = lines[max(0, len(lines)-20):]
	} else if cut {
		kept = append(kept, "…")
	}
	return strings.TrimSpace(strings.Join(kept, "\n")), total
}

// codeFence is a run of backticks longer than any in text.
func codeFence(text string) string {
	longest := 0
	for _, run := range regexp.MustCompile("`+").FindAllString(text, -1) {
		longest = max(longest, len(run))
	}
	return strings.Repeat("`", max(3, longest+1))
}

var nodeRef = regexp.MustCompile(`nodes\["((?:[^"\\]|\\.)*)"\]`)

// nodeSources lists, for each node that errs names as nodes["name"], the files among files whose
// top-level YAML key it is, with the line.
func nodeSources(errs string, files []string) string {
	if len(files) == 0 {
		return ""
	}
	var b strings.Builder
	seen := map[string]bool{}
	for _, m := range nodeRef.FindAllStringSubmatch(errs, -1) {
		name, err := strconv.Unquote(`"` + m[1] + `"`)
		if err != nil || seen[name] {
			continue
		}
		seen[name] = true
		var where []string
		for _, f := range files {
			if line := topLevelKeyLine(f, name); line > 0 {
				where = append(where, fmt.Sprintf("`%s` line %d", f, line))
			}
		}
		if len(where) == 0 {
			where = append(where, "in none of the files")
		}
		fmt.Fprintf(&b, "- `%s`: %s\n", name, strings.Join(where, ", "))
	}
	return b.String()
}

// topLevelKeyLine is the line on which file has name as a top-level key (plain, double- or
// single-quoted), or 0.
func topLevelKeyLine(file, name string) int {
	b, err := os.ReadFile(file)
	if err != nil {
		return 0
	}
	keys := []string{name + ":", strconv.Quote(name) + ":", "'" + strings.ReplaceAll(name, "'", "''") + "':"}
	for i, line := range strings.Split(string(b), "\n") {
		for _, k := range keys {
			if rest, ok := strings.CutPrefix(line, k); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\r') {
				return i + 1
			}
		}
	}
	return 0
}

// githubClient speaks the part of GitHub's REST API that keeps a comment current.
type githubClient struct {
	http             *http.Client
	api, repo, token string
}

type githubComment struct {
	ID      int64  `json:"id"`
	Body    string `json:"body"`
	HTMLURL string `json:"html_url"`
	User    struct {
		Login string `json:"login"`
	} `json:"user"`
}

// upsert updates the pull request's review comment written by author (the token's user when
// empty) to body, or creates it, and says which it did.
func (g *githubClient) upsert(ctx context.Context, pr int, author, body string) (string, error) {
	if author == "" {
		var err error
		if author, err = g.tokenUser(ctx); err != nil {
			return "", err
		}
	}
	comments, err := g.comments(ctx, pr)
	if err != nil {
		return "", err
	}
	for _, c := range comments {
		if !strings.EqualFold(c.User.Login, author) || !strings.HasPrefix(c.Body, review.Marker) {
			continue
		}
		if c.Body == body {
			return fmt.Sprintf("comment %s is already current", c.HTMLURL), nil
		}
		var updated githubComment
		if _, err := g.do(ctx, http.MethodPatch, fmt.Sprintf("%s/repos/%s/issues/comments/%d", g.api, g.repo, c.ID), map[string]string{"body": body}, &updated); err != nil {
			return "", err
		}
		return "updated comment " + updated.HTMLURL, nil
	}
	var created githubComment
	if _, err := g.do(ctx, http.MethodPost, fmt.Sprintf("%s/repos/%s/issues/%d/comments", g.api, g.repo, pr), map[string]string{"body": body}, &created); err != nil {
		return "", err
	}
	return "created comment " + created.HTMLURL, nil
}

// tokenUser is the login of the token's user. A workflow's GITHUB_TOKEN may not read /user
// (GitHub answers 403 "Resource not accessible by integration"): its comments are
// github-actions[bot]'s.
func (g *githubClient) tokenUser(ctx context.Context) (string, error) {
	var user struct {
		Login string `json:"login"`
	}
	_, err := g.do(ctx, http.MethodGet, g.api+"/user", nil, &user)
	var he *githubError
	switch {
	case errors.As(err, &he) && (he.status == http.StatusForbidden || he.status == http.StatusNotFound):
		return actionsBot, nil
	case err != nil:
		return "", err
	case user.Login == "":
		return "", errors.New("GitHub's GET /user named no login; set -author")
	}
	return user.Login, nil
}

// comments lists every comment of the pull request, following GitHub's pagination.
func (g *githubClient) comments(ctx context.Context, pr int) ([]githubComment, error) {
	var all []githubComment
	next := fmt.Sprintf("%s/repos/%s/issues/%d/comments?per_page=100", g.api, g.repo, pr)
	for pages := 0; next != ""; pages++ {
		if pages == 100 {
			return nil, fmt.Errorf("pull request %d has more than 100 pages of comments", pr)
		}
		var page []githubComment
		h, err := g.do(ctx, http.MethodGet, next, nil, &page)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		next = nextLink(h.Get("Link"))
		// The token goes only to the API it was given for.
		if next != "" && !strings.HasPrefix(next, g.api+"/") {
			return nil, fmt.Errorf("GitHub's next page %q is not under %s", next, g.api)
		}
	}
	return all, nil
}

var linkNext = regexp.MustCompile(`<([^>]+)>\s*;\s*rel="next"`)

// nextLink is the rel="next" URL of a Link header, or "".
func nextLink(header string) string {
	for _, part := range strings.Split(header, ",") {
		if m := linkNext.FindStringSubmatch(part); m != nil {
			return m[1]
		}
	}
	return ""
}

// githubError is an answer other than 2xx.
type githubError struct {
	method, path string
	status       int
	message      string
}

func (e *githubError) Error() string {
	msg := fmt.Sprintf("GitHub answered %d %s to %s %s", e.status, http.StatusText(e.status), e.method, e.path)
	if e.message != "" {
		msg += ": " + e.message
	}
	if e.status == http.StatusForbidden || e.status == http.StatusNotFound {
		msg += " (the workflow needs `permissions: pull-requests: write`, and a token for this repository)"
	}
	return msg
}

// do sends one request with in as its JSON body and decodes a 2xx answer into out.
func (g *githubClient) do(ctx context.Context, method, rawURL string, in, out any) (http.Header, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, rawURL, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+g.token)
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	req.Header.Set("User-Agent", "haptik-faq")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := g.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, redactQuery(rawURL), err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", method, redactQuery(rawURL), err)
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Message string `json:"message"`
		}
		_ = json.Unmarshal(b, &e)
		return nil, &githubError{method: method, path: redactQuery(rawURL), status: resp.StatusCode, message: e.Message}
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return nil, fmt.Errorf("%s %s: GitHub's answer is not the JSON expected: %w", method, redactQuery(rawURL), err)
		}
	}
	return resp.Header, nil
}

// redactQuery is the URL's path, for messages.
func redactQuery(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "the request"
	}
	return u.Path
}
