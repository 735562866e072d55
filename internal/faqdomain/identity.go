package faqdomain

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/faqops/terraform-provider-haptik/internal/tfmsgpack"
)

// The resource's identity (Terraform 1.12 and later): the domain's name, which is all that
// identifies a domain in Haptik. Import blocks may name it instead of an import ID:
//
//	import {
//	  to       = haptik_faq_domain.support
//	  identity = { domain_name = "acme_support" }
//	}
//
// Terraform keeps the identity in state beside the attributes and checks that it never changes
// for one resource instance; it changes only with domain_name, which replaces the resource.

// IdentityVersion is the identity schema's version. Version 0 is the only one so far, so an
// identity upgrade has nothing to convert.
const IdentityVersion = 0

// IdentityType is the identity's value type.
var IdentityType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{AttrDomainName: tftypes.String}}

// IdentitySchema is the identity schema Terraform receives.
func IdentitySchema() *tfprotov6.ResourceIdentitySchema {
	return &tfprotov6.ResourceIdentitySchema{Version: IdentityVersion, IdentityAttributes: []*tfprotov6.ResourceIdentitySchemaAttribute{{
		Name:              AttrDomainName,
		Type:              tftypes.String,
		RequiredForImport: true,
		Description:       "The domain's name in Haptik, as `domain_name` names it. An import block's `identity = { domain_name = \"...\" }` imports the domain by it.",
	}}}
}

// Identity is the identity (MessagePack) of a state or planned state: its domain_name. It is
// nil when the domain is not known yet (a create whose domain_name is known only at apply) or the
// state is null, and the identity is then left for the apply to report.
func Identity(state []byte) []byte {
	o, err := tfmsgpack.ReadObject(state)
	if err != nil {
		return nil
	}
	domain, ok := o.Str(AttrDomainName)
	if !ok {
		return nil
	}
	dv, err := tfprotov6.NewDynamicValue(IdentityType, tftypes.NewValue(IdentityType, map[string]tftypes.Value{
		AttrDomainName: tftypes.NewValue(tftypes.String, domain),
	}))
	if err != nil {
		return nil
	}
	return dv.MsgPack
}

// ImportIdentity is the import ID that an identity names: its domain_name, refused when null or
// empty with what to write instead.
func ImportIdentity(identity *tfprotov6.DynamicValue) (string, Diagnostics) {
	refuse := func(why string) (string, Diagnostics) {
		return "", Diagnostics{{Summary: "Invalid Import Identity", Detail: why + " " +
			"Import a haptik_faq_domain by its domain name: `identity = { domain_name = \"acme_support\" }` in the " +
			"import block, or `id = \"acme_support\"`."}}
	}
	v, err := identity.Unmarshal(IdentityType)
	if err != nil {
		return refuse(fmt.Sprintf("The identity could not be read (%v).", err))
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		return refuse(fmt.Sprintf("The identity could not be read (%v).", err))
	}
	var domain *string
	if err := attrs[AttrDomainName].As(&domain); err != nil || !attrs[AttrDomainName].IsFullyKnown() {
		return refuse("The identity's domain_name must be known when the import is planned.")
	}
	if domain == nil || *domain == "" {
		return refuse("The identity's domain_name is empty.")
	}
	return *domain, nil
}

// ImportDomain is the domain an import names: by its identity when Terraform sends one (an import
// block's `identity = {...}`, Terraform 1.12 and later), else by its import ID.
func ImportDomain(id string, identity *tfprotov6.DynamicValue) (string, Diagnostics) {
	if identity != nil {
		return ImportIdentity(identity)
	}
	return id, nil
}

// UpgradeIdentity returns a stored identity (JSON, as Terraform keeps it) in the current
// identity schema's encoding. There has only ever been version 0.
func UpgradeIdentity(version int64, stored *tfprotov6.RawState) ([]byte, Diagnostics) {
	if version != IdentityVersion {
		return nil, Diagnostics{{Summary: "Unknown Identity Version", Detail: fmt.Sprintf("The state holds a "+
			"haptik_faq_domain identity of version %d, which this provider does not know (it writes version %d). "+
			"A newer provider wrote it: use that version again.", version, IdentityVersion)}}
	}
	if stored == nil {
		return nil, Diagnostics{Unreadable("Identity", fmt.Errorf("terraform sent no stored identity"))}
	}
	v, err := stored.UnmarshalWithOpts(IdentityType, tfprotov6.UnmarshalOpts{ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true}})
	if err != nil {
		return nil, Diagnostics{Unreadable("Identity", err)}
	}
	dv, err := tfprotov6.NewDynamicValue(IdentityType, v)
	if err != nil {
		return nil, Diagnostics{Unreadable("Identity", err)}
	}
	return dv.MsgPack, nil
}
