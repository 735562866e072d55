package faqdomain

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
	"github.com/faqops/terraform-provider-haptik/internal/tfmsgpack"
)

// Change is what a create or update must do, read from the planned state's encoding.
type Change struct {
	Domain string
	// Nodes' strings point into the planned state's bytes: they must not outlive them.
	Nodes []faqcsv.Node
	// Upload is false when the plan found the content unchanged (last_task_id known): only
	// settings such as timeouts changed, and the planned state is the new state as it is.
	Upload  bool
	Timeout time.Duration
}

// ReadChange reads the planned state of a create (create true) or an update.
func ReadChange(planned []byte, create bool) (Change, Diagnostics) {
	var c Change
	o, err := tfmsgpack.ReadObject(planned)
	if err != nil {
		return c, Diagnostics{Unreadable("Plan", err)}
	}
	if c.Domain, err = o.Reader(AttrDomainName).String(); err != nil {
		return c, Diagnostics{Unreadable("Plan", fmt.Errorf("attribute domain_name: %w", err))}
	}
	c.Upload = create || o.IsUnknown(AttrLastTaskID)
	op := OpUpdate
	if create {
		op = OpCreate
	}
	timeout, d := Timeout(o, op)
	if d != nil {
		return c, Diagnostics{*d}
	}
	c.Timeout = timeout
	if !c.Upload {
		return c, nil
	}
	c.Nodes, err = readNodes(o.Reader(AttrNodes))
	if errors.Is(err, errUnknownNodes) {
		return c, Diagnostics{{Summary: "Unknown Nodes at Apply", Path: Root(AttrNodes),
			Detail: "The nodes are still unknown at apply time, which Terraform should never allow. Please report this."}}
	}
	if err != nil {
		return c, Diagnostics{Unreadable("Plan", fmt.Errorf("attribute nodes: %w", err))}
	}
	return c, nil
}

// Uploaded is what Haptik confirmed: the task that processed the upload and what was uploaded.
type Uploaded struct {
	TaskID        string
	ContentSHA256 string
	NodeCount     int
}

// NewState is the state after Haptik confirmed an upload of the planned content: the planned
// state's bytes with the computed attributes filled in.
func NewState(planned []byte, domain string, u Uploaded) ([]byte, error) {
	return tfmsgpack.Patch(planned, map[string][]byte{
		AttrID:            tfmsgpack.String(domain),
		AttrNodeCount:     tfmsgpack.Int(int64(u.NodeCount)),
		AttrContentSHA256: tfmsgpack.String(u.ContentSHA256),
		AttrLastTaskID:    tfmsgpack.String(u.TaskID),
		AttrConfirmed:     tfmsgpack.True,
	})
}

// UnconfirmedNewState is the state after a create whose upload Haptik accepted (or may have
// accepted) but the provider did not see succeed: the planned state completed as NewState
// completes it, but unconfirmed, with last_task_id the task that may have changed the domain
// (null when its ID is not known). It goes back with the create's error, so Terraform saves it
// tainted and the next plan replaces it, uploading again.
func UnconfirmedNewState(planned []byte, domain string, u Uploaded) ([]byte, error) {
	task := tfmsgpack.Null
	if u.TaskID != "" {
		task = tfmsgpack.String(u.TaskID)
	}
	return tfmsgpack.Patch(planned, map[string][]byte{
		AttrID:            tfmsgpack.String(domain),
		AttrNodeCount:     tfmsgpack.Int(int64(u.NodeCount)),
		AttrContentSHA256: tfmsgpack.String(u.ContentSHA256),
		AttrLastTaskID:    task,
		AttrConfirmed:     tfmsgpack.False,
	})
}

// UnconfirmedState is the state after an update or destroy whose upload Haptik accepted (or may
// have accepted) but the provider did not see succeed: the prior state, marked unconfirmed, with
// the task that may have changed the domain (taskID "" when its ID is not known). What the domain
// holds is unknown, so every plan uploads again until an upload succeeds.
func UnconfirmedState(prior []byte, taskID string) ([]byte, error) {
	set := map[string][]byte{AttrConfirmed: tfmsgpack.False}
	if taskID != "" {
		set[AttrLastTaskID] = tfmsgpack.String(taskID)
	}
	return tfmsgpack.Patch(prior, set)
}

// Destroy is what destroying the resource must do, read from the prior state without reading
// its nodes.
type Destroy struct {
	Domain string
	// Deactivate is false when deletion_policy is "retain", or when this provider never uploaded
	// to the domain (imported, never applied): nothing is sent.
	Deactivate bool
	Timeout    time.Duration
}

// ReadDestroy reads the prior state of a destroy.
func ReadDestroy(prior []byte) (Destroy, Diagnostics) {
	o, err := tfmsgpack.ReadObject(prior)
	if err != nil {
		return Destroy{}, Diagnostics{Unreadable("State", err)}
	}
	domain, _ := o.Str(AttrDomainName)
	policy, _ := o.Str(AttrDeletionPolicy)
	timeout, d := Timeout(o, OpDelete)
	if d != nil {
		return Destroy{}, Diagnostics{*d}
	}
	if policy != PolicyRetain && o.IsNull(AttrNodes) {
		// Imported, and no apply has uploaded to it: its content is not this provider's to remove.
		return Destroy{Domain: domain, Timeout: timeout}, Diagnostics{{Warning: true, Summary: "Domain Not Deactivated",
			Detail: fmt.Sprintf("Domain %q was imported and no apply has uploaded to it, so destroying the resource "+
				"leaves its nodes as they are in Haptik and only removes it from Terraform state.", domain)}}
	}
	return Destroy{Domain: domain, Deactivate: policy != PolicyRetain, Timeout: timeout}, nil
}

// ReplacedBy is the warning of a destroy that sends nothing because next, the create recorded in
// its planned private state, uploads to the same domain right after it: the destroy half of a
// replacement (-replace, replace_triggered_by, a tainted resource). Deactivating first would empty
// the live bot for the length of the create's task, and the create's upload replaces the domain's
// content anyway. Nil when the destroy deactivates as planned: no create follows, or it names
// another domain (a new domain_name still deactivates the old one).
func ReplacedBy(d Destroy, next *Creation) *Diagnostic {
	if !d.Deactivate || next == nil || next.Domain != d.Domain {
		return nil
	}
	return &Diagnostic{Warning: true, Summary: "Domain Not Deactivated: Replaced in Place", Detail: fmt.Sprintf(
		"This destroy is half of a replacement whose create uploads domain %q again (%s), so nothing was sent: "+
			"deactivating first would leave the live bot without answers until the new upload's task finished. "+
			"The create's upload replaces the domain's whole content and deactivates every node it does not "+
			"list.", d.Domain, count(next.NodeCount, "node"))}
}

// ImportState is the state of a domain imported by name. It holds no nodes, so the next plan
// shows an in-place update that uploads the configured ones (with the warning that the domain's
// unlisted nodes will be deactivated).
func ImportState(id string) ([]byte, Diagnostics) {
	if id == "" {
		return nil, Diagnostics{{Summary: "Missing Import ID", Detail: "Import a haptik_faq_domain by its domain " +
			"name, e.g. `terraform import haptik_faq_domain.support acme_support`."}}
	}
	attrs := map[string]tftypes.Value{}
	for name, t := range Type.(tftypes.Object).AttributeTypes {
		attrs[name] = tftypes.NewValue(t, nil)
	}
	attrs[AttrID] = tftypes.NewValue(tftypes.String, id)
	attrs[AttrDomainName] = tftypes.NewValue(tftypes.String, id)
	attrs[AttrDeletionPolicy] = tftypes.NewValue(tftypes.String, PolicyDeactivate)
	dv, err := tfprotov6.NewDynamicValue(Type, tftypes.NewValue(Type, attrs))
	if err != nil {
		return nil, Diagnostics{Unreadable("Import", err)}
	}
	return dv.MsgPack, nil
}

// UpgradeState returns the stored state (JSON, as Terraform keeps it) in the current schema's
// shape, without decoding the nodes: attributes the schema no longer has are dropped, and those
// it gained read as null (Terraform fills in what a JSON object leaves out).
func UpgradeState(stored []byte) ([]byte, error) {
	var attrs map[string]json.RawMessage
	if err := json.Unmarshal(stored, &attrs); err != nil {
		return nil, err
	}
	if attrs == nil {
		return nil, errors.New("the stored state is null")
	}
	known := Type.(tftypes.Object).AttributeTypes
	dropped := false
	for name := range attrs {
		if _, ok := known[name]; !ok {
			delete(attrs, name)
			dropped = true
		}
	}
	if !dropped {
		return stored, nil
	}
	return json.Marshal(attrs)
}

// GenerateConfig is the configuration Terraform writes for an imported resource
// (terraform plan -generate-config-out): the state without the attributes only the provider
// sets, and the settings whose defaults suit it (timeouts, competing_questions). For an imported
// domain nodes is null: the user fills in the nodes.
func GenerateConfig(state []byte) ([]byte, error) {
	return tfmsgpack.Patch(state, map[string][]byte{
		AttrID:            tfmsgpack.Null,
		AttrNodeCount:     tfmsgpack.Null,
		AttrContentSHA256: tfmsgpack.Null,
		AttrLastTaskID:    tfmsgpack.Null,
		AttrConfirmed:     tfmsgpack.Null,
		AttrTimeouts:      tfmsgpack.Null,
		AttrCompeting:     tfmsgpack.Null,
	})
}
