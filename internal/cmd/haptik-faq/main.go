// Command haptik-faq works with FAQ content managed by terraform-provider-haptik.
//
//	haptik-faq review [-format markdown|text] [-fail-on-deactivation] [-limit N] [planfile.json]
//
// review reads the JSON of a saved plan (terraform show -json tfplan) from the file or standard
// input and writes a summary of its haptik_faq_domain changes for a pull-request comment (Markdown,
// the default) or a terminal (text). With -fail-on-deactivation it exits with status 3 when the
// plan deactivates any node, after writing the summary. Status 1 means the input could not be
// read as a plan, 2 a usage error.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

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

const usage = `usage: haptik-faq review [-format markdown|text] [-fail-on-deactivation] [-limit N] [planfile.json]

Summarizes the haptik_faq_domain changes of a saved Terraform plan for review:
  terraform plan -out=tfplan
  terraform show -json tfplan | haptik-faq review > comment.md
`

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "comment" {
		return runComment(args[1:], os.Getenv, nil, stdout, stderr)
	}
	if len(args) == 0 || args[0] != "review" {
		_, _ = fmt.Fprint(stderr, usage)
		return exitUsage
	}
	fs := flag.NewFlagSet("haptik-faq review", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		_, _ = fmt.Fprint(stderr, usage+"\nFlags:\n")
		fs.PrintDefaults()
	}
	format := fs.String("format", "markdown", "markdown (a pull-request comment) or text (a terminal)")
	failOn := fs.Bool("fail-on-deactivation", false, "exit with status 3 when the plan deactivates any node (the summary is written anyway)")
	limit := fs.Int("limit", 0, fmt.Sprintf("the most bytes of output (0: %d for markdown, no limit for text)", review.DefaultLimit))
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return exitUsage
	}
	opts := review.Options{Limit: *limit}
	switch *format {
	case "markdown", "md":
		opts.Format = review.Markdown
	case "text":
		opts.Format = review.Text
	default:
		_, _ = fmt.Fprintf(stderr, "haptik-faq review: -format must be markdown or text, not %q\n", *format)
		return exitUsage
	}
	if *limit < 0 || (*limit > 0 && *limit < 1000) {
		_, _ = fmt.Fprintln(stderr, "haptik-faq review: -limit must be 0 or at least 1000")
		return exitUsage
	}
	var in []byte
	var err error
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
		_, _ = fmt.Fprintf(stderr, "haptik-faq review: the plan deactivates %s (-fail-on-deactivation)\n", deactivations(sum))
		return exitDeactivation
	}
	return 0
}

func deactivations(s review.Summary) string {
	switch {
	case s.Deactivated == 1:
		return "1 node"
	case s.Deactivated > 1:
		return fmt.Sprintf("%d nodes", s.Deactivated)
	}
	return "nodes it cannot name until apply"
}
