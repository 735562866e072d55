package provider

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
)

// editState rewrites the first resource instance of the CLI's state file.
func editState(t *testing.T, cli *terraformCLI, edit func(instance map[string]any)) {
	t.Helper()
	path := filepath.Join(cli.dir, "terraform.tfstate")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var state map[string]any
	if err := json.Unmarshal(raw, &state); err != nil {
		t.Fatal(err)
	}
	edit(state["resources"].([]any)[0].(map[string]any)["instances"].([]any)[0].(map[string]any))
	state["serial"] = state["serial"].(float64) + 1
	if raw, err = json.Marshal(state); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
}

// The state an older provider (before confirmed) left after a timed-out update: confirmed null,
// and the accepted upload only in private state. Haptik holds the other content, so the revert
// must upload, with the unconfirmed warning, rather than plan "No changes".
func TestAccUpgrade_olderTimedOutUpdateIsUnconfirmed(t *testing.T) {
	env := newTestEnv(t)
	cli := newTerraformCLI(t, env)
	cli.write(env.providerBlock() + domainConfig("d", nodesV1, ""))
	cli.init()
	cli.must("apply", "-auto-approve", "-input=false")

	// The older provider's update to nodesV2: Haptik took it (and finished it later), the apply
	// timed out, and the state kept nodesV1 with only the private record of the task.
	csv := faqcsv.RenderBytes(faqNodes(nodesV2))
	task, err := env.client(t).UploadFAQ(context.Background(), "d", csv)
	if err != nil {
		t.Fatal(err)
	}
	env.emu.FinishRunningTasks()
	record, _ := json.Marshal(map[string]any{"pending_upload": map[string]any{
		"domain": "d", "content_sha256": faqcsv.SHA256(csv), "task_id": task}})
	editState(t, cli, func(instance map[string]any) {
		instance["attributes"].(map[string]any)["confirmed"] = nil
		instance["private"] = base64.StdEncoding.EncodeToString(record)
	})

	cli.planShows("1 to change", "Warning: Haptik's Content Is Unconfirmed", "Task "+task)
	cli.must("apply", "-auto-approve", "-input=false")
	if err := env.expectActive("d", nodesV1); err != nil {
		t.Fatal(err)
	}
	cli.noChanges()
}
