// Package faqdomain is everything haptik_faq_domain decides: its schema, the validation of a
// configuration, the plan, what an apply reads from the planned state and the state it writes,
// import, state upgrades and generated configuration. It works on the MessagePack encodings
// Terraform sends (package tfmsgpack), never decoding the nodes into a tree, and it does no I/O:
// internal/provider serves these functions over the plugin protocol and does the uploads.
//
// See DESIGN.md at the repository root for why the resource is served this way.
package faqdomain

import (
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// TypeName is the resource's type name.
const TypeName = "haptik_faq_domain"

// The resource's attributes.
const (
	AttrID             = "id"
	AttrDomainName     = "domain_name"
	AttrNodes          = "nodes"
	AttrDeletionPolicy = "deletion_policy"
	AttrNodeCount      = "node_count"
	AttrContentSHA256  = "content_sha256"
	AttrLastTaskID     = "last_task_id"
	AttrTimeouts       = "timeouts"
	AttrConfirmed      = "confirmed"
	AttrAllowEmpty     = "allow_empty"
	AttrMaxDeactivate  = "max_deactivations"
	AttrResyncTrigger  = "resync_trigger"
	AttrCompeting      = "competing_questions"
	AttrStrictContent  = "strict_content"
)

// The settings of competing_questions: what the check does, and from which similarity two user
// says compete. CheckWarning and DefaultCompetingThreshold are the defaults, used when the
// attribute or a setting is null.
const (
	CompetingCheck            = "check"
	CompetingThreshold        = "threshold"
	CheckWarning              = "warning"
	CheckError                = "error"
	CheckOff                  = "off"
	DefaultCompetingThreshold = 0.8
)

// The deletion policies; PolicyDeactivate is the default, applied by Plan when the
// configuration leaves deletion_policy null.
const (
	PolicyDeactivate = "deactivate"
	PolicyRetain     = "retain"
)

// DefaultTimeout is how long an operation may take when its timeout is not set.
const DefaultTimeout = 20 * time.Minute

// The operations a timeout can be set for, as named in the timeouts attribute.
const (
	OpCreate = "create"
	OpUpdate = "update"
	OpDelete = "delete"
)

// Schema is the resource's schema as Terraform receives it. It declares only what Terraform
// itself enforces (types, required, optional, computed, sensitive); everything else the
// descriptions promise (deletion_policy's default, domain_name forcing replacement, the content
// rules, valid timeouts) is done by Validate and Plan, and schema_test.go checks that the two
// agree.
func Schema() *tfprotov6.Schema {
	str := func(name, description string) *tfprotov6.SchemaAttribute {
		return &tfprotov6.SchemaAttribute{Name: name, Type: tftypes.String, Description: description,
			DescriptionKind: tfprotov6.StringKindMarkdown}
	}
	computed := func(a *tfprotov6.SchemaAttribute) *tfprotov6.SchemaAttribute { a.Computed = true; return a }
	const timeoutWhat = " The timeout covers the upload, Haptik's processing and the polling; it is a duration such as " +
		"`30s` or `1h30m`. Default: 20 minutes."
	timeout := func(name, description string) *tfprotov6.SchemaAttribute {
		return &tfprotov6.SchemaAttribute{Name: name, Type: tftypes.String, Optional: true,
			Description: description + timeoutWhat, DescriptionKind: tfprotov6.StringKindPlain}
	}

	id := computed(str(AttrID, "The domain name; also the import ID."))
	domain := str(AttrDomainName, "The Haptik domain (bot) whose FAQ nodes this resource manages, as sent in the "+
		"upload's `domain_name` field. Changing it replaces the resource: the old domain is handled by "+
		"`deletion_policy` and the new one receives the nodes.")
	domain.Required = true
	// A map of objects rather than nested attributes: the plan is one value whatever the number
	// of nodes, and Terraform shows a map diff key by key.
	nodes := &tfprotov6.SchemaAttribute{Name: AttrNodes, Type: NodesType, Required: true,
		DescriptionKind: tfprotov6.StringKindMarkdown,
		Description: "Every FAQ node of the domain, keyed by node name (Haptik's `node_name`, which cannot be " +
			"renamed: a new key is a new node). A node left out of the map is deactivated by the next apply. Each " +
			"node is an object with two lists of strings:\n" +
			"  - `user_says`: what users say to reach the node (Haptik's \"user says\"), at least one. None may be " +
			"blank, contain `|` (the CSV separator) or a line break.\n" +
			"  - `bot_says`: the bot's answers, sent in order (Haptik's \"bot says\"), at least one. Each is plain " +
			"text or an HSL JSON object (use `jsonencode` or `provider::haptik::hsl_text`). None may be blank or " +
			"contain `<m>` (the CSV separator).\n\n" +
			"Values built with `jsondecode(file(...))` or `yamldecode(...)` work as well as literal maps."}
	policy := computed(str(AttrDeletionPolicy, "What destroying the resource does in Haptik: `deactivate` (the "+
		"default) uploads a header-only CSV so every node of the domain becomes inactive; `retain` leaves the "+
		"nodes as they are and only removes the domain from Terraform state."))
	policy.Optional = true
	count := computed(str(AttrNodeCount, "How many nodes the upload contains (known at plan time)."))
	count.Type = tftypes.Number
	sha := computed(str(AttrContentSHA256, "SHA-256 (hex) of the exact CSV uploaded. Known at plan time, so a "+
		"plan shows whether the content changes."))
	task := computed(str(AttrLastTaskID, "ID of the Haptik task that processed the last upload. It changes "+
		"only when the content does."))
	confirmed := computed(str(AttrConfirmed, "Whether Haptik confirmed the content this state records. It is "+
		"`false` after an apply or a destroy in which Haptik accepted an upload but the provider could not see it "+
		"succeed (the task failed part-way, answered a status the provider does not recognize, or outlived the "+
		"timeout or an interrupt): what the domain holds is then unknown, and every plan uploads the configured "+
		"content again, with a warning naming the task, until an upload succeeds."))
	confirmed.Type = tftypes.Bool
	allowEmpty := str(AttrAllowEmpty, "Set to `true` to manage a domain with no nodes. An empty `nodes` map is "+
		"otherwise an error, because uploading it deactivates every node of the domain; to deactivate "+
		"everything, destroying the resource is the usual way.")
	allowEmpty.Type, allowEmpty.Optional = tftypes.Bool, true
	maxDeactivations := str(AttrMaxDeactivate, "The most nodes one apply may deactivate. A plan whose upload would "+
		"deactivate more nodes than this fails and names them, so that a bad merge or a lost topic file cannot "+
		"empty a live bot. `0` allows no deactivation at all; unset, there is no limit.")
	maxDeactivations.Type, maxDeactivations.Optional = tftypes.Number, true
	resync := str(AttrResyncTrigger, "Any value. Changing it uploads the configured content again in place, even "+
		"when the content is unchanged, for example after someone edited the domain in Haptik's dashboard; the domain "+
		"keeps answering throughout. (`terraform apply -replace` also keeps it answering, since a replacement's "+
		"destroy sends nothing when its create uploads the same domain, but it re-creates the resource.)")
	resync.Optional = true
	competing := str(AttrCompeting, "The check for competing questions: user says of different nodes so alike that "+
		"the same customer question could reach either (two that differ only in letter case, spacing or invisible "+
		"characters are always an error). Similarity is from 0 to 1: the share of the two user says' words they "+
		"have in common, each word weighted by how rare it is in the domain, so that two user says differing only in "+
		"common words (\"how do I reset my password\", \"how can I reset my password\") score high, and two differing "+
		"in the word that matters (\"reset my password\", \"reset my PIN\") score low. The section \"Competing "+
		"questions\" below shows how the default was measured.")
	competing.Type, competing.Optional = nil, true
	competing.NestedType = &tfprotov6.SchemaObject{Nesting: tfprotov6.SchemaObjectNestingModeSingle,
		Attributes: []*tfprotov6.SchemaAttribute{
			{Name: CompetingCheck, Type: tftypes.String, Optional: true, DescriptionKind: tfprotov6.StringKindMarkdown,
				Description: "`warning` (the default): `terraform validate` and `plan` warn, naming each competing pair " +
					"by both attribute paths; `error`: the same as an error, so the plan fails; `off`: no check."},
			{Name: CompetingThreshold, Type: tftypes.Number, Optional: true, DescriptionKind: tfprotov6.StringKindMarkdown,
				Description: "The similarity, more than 0 and at most 1, from which two user says compete. Default: `0.8`."},
		}}
	strict := str(AttrStrictContent, "Set to `true` to make every content warning an error: HSL typos and "+
		"undocumented HSL values, spreadsheet formulas, invisible or bidirectional characters and every other "+
		"warning the content checks give, so that `terraform validate` and `terraform plan` fail on them. This is "+
		"the setting for a CI gate. Unset or `false`, they stay warnings and the content is uploaded as written.")
	strict.Type, strict.Optional = tftypes.Bool, true
	timeouts := str(AttrTimeouts, "How long Terraform waits for Haptik to confirm each operation.")
	timeouts.Type, timeouts.Optional = nil, true
	timeouts.NestedType = &tfprotov6.SchemaObject{Nesting: tfprotov6.SchemaObjectNestingModeSingle,
		Attributes: []*tfprotov6.SchemaAttribute{
			timeout(OpCreate, "How long creating may take."),
			timeout(OpDelete, "How long deactivating the domain's nodes on destroy may take."),
			timeout(OpUpdate, "How long an update may take."),
		}}

	return &tfprotov6.Schema{Block: &tfprotov6.SchemaBlock{
		DescriptionKind: tfprotov6.StringKindMarkdown,
		Description: "The complete FAQ content of one Haptik domain (bot). Every apply uploads all nodes as one CSV " +
			"through Haptik's bulk upload, which is an upsert over the whole domain: nodes named in the upload are " +
			"created or updated, and every other node of the domain is deactivated. Haptik has no API to read FAQ " +
			"nodes back, so the provider cannot detect changes made outside Terraform: `terraform plan` compares " +
			"your configuration with what the last successful apply uploaded.",
		// In name order, as Terraform lists them.
		Attributes: []*tfprotov6.SchemaAttribute{allowEmpty, competing, confirmed, sha, policy, domain, id, task,
			maxDeactivations, count, nodes, resync, strict, timeouts},
	}}
}

// NodesType is the type of the nodes attribute, and of the nodes value a function takes
// (ReadNodes reads it): nodes keyed by name, each with its user says and bot says.
var NodesType = tftypes.Map{ElementType: tftypes.Object{AttributeTypes: map[string]tftypes.Type{
	"user_says": tftypes.List{ElementType: tftypes.String},
	"bot_says":  tftypes.List{ElementType: tftypes.String},
}}}

// Type is the resource's value type.
var Type = Schema().ValueType()
