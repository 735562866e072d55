package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/faqops/terraform-provider-haptik/internal/drift"
	"github.com/faqops/terraform-provider-haptik/internal/review"
)

// exitDrift is drift's status when the apply would overwrite changes made in the dashboard.
const exitDrift = 4

const driftUsage = `usage: haptik-faq drift -export dashboard.csv [-domain NAME] [-format markdown|text] [-markdown github|gitlab|plain] [-limit N] (planfile.json | -nodes nodes.json)

Compares a CSV exported from Haptik's dashboard with the nodes a plan uploads (terraform show -json
tfplan, from the file or standard input) or with a JSON nodes file, and reports the nodes edited,
added and deactivated outside Git:
  terraform plan -out=tfplan
  terraform show -json tfplan | haptik-faq drift -export dashboard.csv > drift.md

Exit status: 0 when nothing differs, or the plan uploads nothing to the domain (the report says
that the next upload overwrites what differs); 4 when applying would overwrite a change made in the
dashboard (always, with -nodes); 1 when an input cannot be read; 2 for a usage error.
`

// runDrift is `haptik-faq drift`.
func runDrift(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("drift", driftUsage, stderr)
	export := fs.String("export", "", "the CSV exported from Haptik's dashboard (required)")
	nodesFile := fs.String("nodes", "", "a JSON file of the configured nodes, shaped like haptik_faq_domain's nodes, instead of a plan")
	domain := fs.String("domain", "", "the exported domain's domain_name in the plan (needed when the plan has several)")
	format := fs.String("format", "markdown", "markdown (a pull-request comment) or text (a terminal)")
	flavor := markdownFlag(fs)
	limit := fs.Int("limit", 0, fmt.Sprintf("the most characters of output, as GitHub counts a comment (0: %d for markdown, no limit for text)", review.DefaultLimit))
	fail := func(err error) int {
		_, _ = fmt.Fprintln(stderr, "haptik-faq drift:", err)
		return exitError
	}
	usageError := func(msg string) int {
		_, _ = fmt.Fprintln(stderr, "haptik-faq drift:", msg)
		return exitUsage
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return exitUsage
	}
	opts := drift.Options{Limit: *limit, Domain: *domain}
	var err error
	if opts.Flavor, err = review.ParseFlavor(*flavor); err != nil {
		return usageError("-markdown: " + err.Error())
	}
	switch *format {
	case "markdown", "md":
		opts.Format = review.Markdown
	case "text":
		opts.Format = review.Text
	default:
		return usageError(fmt.Sprintf("-format must be markdown or text, not %q", *format))
	}
	switch {
	case *export == "":
		return usageError("-export names the CSV exported from Haptik's dashboard; it is required")
	case *limit < 0 || (*limit > 0 && *limit < 1000):
		return usageError("-limit must be 0 or at least 1000")
	case fs.NArg() > 1 || (*nodesFile != "" && fs.NArg() > 0):
		return usageError("give one plan file, or -nodes, not both")
	}

	csv, err := os.ReadFile(*export)
	if err != nil {
		return fail(err)
	}
	exported, err := drift.ReadExport(string(csv))
	if err != nil {
		return fail(fmt.Errorf("%s: %w", *export, err))
	}

	var change drift.Change
	if *nodesFile != "" {
		b, err := os.ReadFile(*nodesFile)
		if err != nil {
			return fail(err)
		}
		configured, err := drift.ReadNodes(b)
		if err != nil {
			return fail(fmt.Errorf("%s: %w", *nodesFile, err))
		}
		change = drift.Compare(exported, configured)
		opts.NodesFile, opts.Overwrites = *nodesFile, true
	} else {
		var plan []byte
		if fs.NArg() == 1 {
			plan, err = os.ReadFile(fs.Arg(0))
		} else {
			plan, err = io.ReadAll(stdin)
		}
		if err != nil {
			return fail(err)
		}
		domains, err := review.PlannedDomains(plan)
		if err != nil {
			return fail(err)
		}
		planned, err := drift.Planned(domains, *domain)
		if err != nil {
			return fail(err)
		}
		switch {
		case planned.Action == "delete":
			return fail(fmt.Errorf("the plan destroys %s, so it uploads no nodes to compare the export with", planned.Address))
		case planned.Unknown:
			return fail(fmt.Errorf("the planned nodes of %s are known only after apply, so the export cannot be compared "+
				"with them; compare it with -nodes and a JSON file of the configured nodes", planned.Address))
		}
		change = drift.Compare(exported, planned.Nodes)
		opts.Address, opts.Domain, opts.Overwrites, opts.Hidden = planned.Address, planned.Domain, planned.Uploads, planned.Sensitive
	}
	if opts.Domain == "" {
		opts.Domain = "(not named)"
	}
	if _, err := io.WriteString(stdout, drift.Render(change, opts)); err != nil {
		return fail(err)
	}
	if change.Drifted() && opts.Overwrites {
		_, _ = fmt.Fprintf(stderr, "haptik-faq drift: applying overwrites %d change(s) made in the dashboard\n",
			len(change.Edited)+len(change.Added)+len(change.Deactivated))
		return exitDrift
	}
	return 0
}
