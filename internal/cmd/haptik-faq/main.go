// Command haptik-faq works with FAQ content managed by terraform-provider-haptik.
//
//	haptik-faq review [-format markdown|text|json] [-markdown github|gitlab|plain] [-fail-on-deactivation] [-limit N] [-questions FILE] [planfile.json]
//
// review reads the JSON of a saved plan (terraform show -json tfplan) from the file or standard
// input and writes a summary of its haptik_faq_domain changes for a pull-request comment (Markdown,
// the default), a terminal (text) or a policy engine (json: the counts and node names of every
// domain, in the stable schema examples/policy/haptik-faq-review.schema.json documents). A removed
// node whose every user says an added node asks is counted as renamed; Haptik still deactivates
// the old name and adds the new one, so the deactivation counts and the gate include it.
// With -fail-on-deactivation it exits with status 3 when the
// plan may deactivate any node, after writing the summary: nodes it removes or destroys, and the
// nodes it cannot name, those Haptik holds in a domain whose content no earlier apply set (a new
// resource, an imported domain, a new domain_name) and the upload does not list. Status 1 means the input could not be
// read as a plan, 2 a usage error. -questions names a test set (a CSV whose first column is a question, such as
// the question,expected_node file of a terraform test), whose questions are checked in the section
// "Questions that now reach a different answer". -markdown names the host the Markdown is for:
// github (the default) and gitlab render alerts ("> [!CAUTION]") and HTML (<details>, <del>,
// <ins>); plain writes CommonMark without either, for hosts such as Bitbucket ("> **Caution:** …").
package main

import (
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/faqops/terraform-provider-haptik/internal/review"
)

// Exit statuses.
const (
	exitError        = 1
	exitUsage        = 2
	exitDeactivation = 3
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const usage = `usage: haptik-faq review [-format markdown|text|json] [-markdown github|gitlab|plain] [-fail-on-deactivation] [-limit N] [-questions FILE] [planfile.json]

Summarizes the haptik_faq_domain changes of a saved Terraform plan for review:
  terraform plan -out=tfplan
  terraform show -json tfplan | haptik-faq review > comment.md
`

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "drift" {
		return runDrift(args[1:], stdin, stdout, stderr)
	}
	if len(args) > 0 && args[0] == "comment" {
		return runComment(args[1:], os.Getenv, nil, stdout, stderr)
	}
	if len(args) == 0 || args[0] != "review" {
		_, _ = fmt.Fprint(stderr, usage)
		return exitUsage
	}
	fs := newFlagSet("review", usage, stderr)
	format := fs.String("format", "markdown", "markdown (a pull-request comment), text (a terminal) or json (a policy engine; schema: examples/policy/haptik-faq-review.schema.json)")
	flavor := markdownFlag(fs)
	failOn := fs.Bool("fail-on-deactivation", false, "exit with status 3 when the plan may deactivate any node, including those it cannot name in a new or imported domain (the summary is written anyway)")
	limit := fs.Int("limit", 0, fmt.Sprintf("the most characters of output, as GitHub counts a comment (0: %d for markdown, no limit for text)", review.DefaultLimit))
	questions := fs.String("questions", "", "a test set's CSV (first column: the question; a header row \"question,...\" is skipped) to check in the section \"Questions that now reach a different answer\"")
	err := fs.Parse(args[1:])
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return exitUsage
	}
	opts := review.Options{Limit: *limit}
	if opts.Flavor, err = review.ParseFlavor(*flavor); err != nil {
		_, _ = fmt.Fprintln(stderr, "haptik-faq review: -markdown:", err)
		return exitUsage
	}
	switch *format {
	case "markdown", "md":
		opts.Format = review.Markdown
	case "text":
		opts.Format = review.Text
	case "json":
		opts.Format = review.JSON
	default:
		_, _ = fmt.Fprintf(stderr, "haptik-faq review: -format must be markdown, text or json, not %q\n", *format)
		return exitUsage
	}
	if *limit < 0 || (*limit > 0 && *limit < 1000) {
		_, _ = fmt.Fprintln(stderr, "haptik-faq review: -limit must be 0 or at least 1000")
		return exitUsage
	}
	if *questions != "" {
		qs, err := readQuestions(*questions)
		if err != nil {
			_, _ = fmt.Fprintln(stderr, "haptik-faq review: -questions:", err)
			return exitUsage
		}
		opts.Questions = qs
	}
	var in []byte
	switch fs.NArg() {
	case 0:
		in, err = io.ReadAll(stdin)
	case 1:
		in, err = os.ReadFile(fs.Arg(0))
	default:
		_, _ = fmt.Fprintln(stderr, "haptik-faq review: at most one plan file")
		return exitUsage
	}
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "haptik-faq review:", err)
		return exitError
	}
	out, sum, err := review.Render(in, opts)
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "haptik-faq review:", err)
		return exitError
	}
	if _, err := io.WriteString(stdout, out); err != nil {
		_, _ = fmt.Fprintln(stderr, "haptik-faq review:", err)
		return exitError
	}
	if *failOn && sum.MayDeactivate {
		_, _ = fmt.Fprintf(stderr, "haptik-faq review: the plan %s (-fail-on-deactivation)\n", deactivations(sum))
		return exitDeactivation
	}
	return 0
}

// readQuestions reads the first column of a CSV, skipping a header row whose first cell is
// "question" and blank cells.
func readQuestions(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	var qs []string
	for i, rec := range recs {
		q := strings.TrimSpace(rec[0])
		if q == "" || (i == 0 && strings.EqualFold(q, "question")) {
			continue
		}
		qs = append(qs, q)
	}
	return qs, nil
}

func deactivations(s review.Summary) string {
	var named string
	switch {
	case s.Deactivated == 1:
		named = "1 node"
	case s.Deactivated > 1:
		named = fmt.Sprintf("%d nodes", s.Deactivated)
	}
	switch {
	case s.Renamed == 0:
	case s.Renamed == 1 && s.Deactivated == 1:
		named += " (a rename: Haptik deactivates the old name)"
	case s.Renamed == s.Deactivated:
		named += " (all renames: Haptik deactivates the old names)"
	default:
		named += fmt.Sprintf(" (%d of them renamed: Haptik deactivates the old names)", s.Renamed)
	}
	unnamed := ""
	switch {
	case s.Unnamed == 1:
		unnamed = "may deactivate nodes it cannot name in 1 domain"
	case s.Unnamed > 1:
		unnamed = fmt.Sprintf("may deactivate nodes it cannot name in %d domains", s.Unnamed)
	}
	switch {
	case named != "" && unnamed != "":
		return "deactivates " + named + " and " + unnamed
	case named != "":
		return "deactivates " + named
	case unnamed != "":
		return unnamed
	}
	return "may deactivate nodes it cannot name until apply"
}

// markdownFlag defines -markdown, the host a Markdown summary is written for.
func markdownFlag(fs *flag.FlagSet) *string {
	return fs.String("markdown", "github", "the host the Markdown is for: github or gitlab (alerts such as \"> [!CAUTION]\", "+
		"and HTML: <details>, <del>, <ins>), or plain (CommonMark with neither, for Bitbucket and other hosts: \"> **Caution:** …\")")
}

// newFlagSet is the flag set of subcommand name, printing usage and then the flags on -h or an
// unknown flag.
func newFlagSet(name, usage string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("haptik-faq "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		_, _ = fmt.Fprint(stderr, usage+"\nFlags:\n")
		fs.PrintDefaults()
	}
	return fs
}
