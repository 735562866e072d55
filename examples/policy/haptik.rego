# A Conftest/OPA policy for haptik_faq_domain changes. It reads Terraform's plan JSON
# (terraform show -json tfplan) or the summary of haptik-faq review -format json, and:
#
#   deny  a change that deactivates more than max_deactivations FAQ nodes (default 10), naming them;
#   deny  a node the change adds whose name is not a label (see unlabeled below), naming it;
#   deny  a plan that Terraform reported as errored (its changes may be incomplete);
#   warn  an upload that may deactivate nodes no plan can name: a create, an upload to an imported
#         domain no apply uploaded to, a replacement into another domain_name, nodes known only
#         after apply, and a replacement that destroys first (deny instead with
#         deny_may_deactivate = true).
#
# Removing a node from nodes is an in-place update of one resource (actions ["update"]), so rules
# that look for deletes never see it; this policy reads the nodes themselves.
#
# Parameters, all optional, from a data document (conftest test --data haptik-policy.json):
#   {"haptik": {"max_deactivations": 10, "deny_may_deactivate": false,
#               "placeholder_words": ["node", "faq", ...]}}
# See README.md beside this file.
package main

import rego.v1

# The parameters and their defaults.

default max_deactivations := 10

max_deactivations := data.haptik.max_deactivations

default deny_may_deactivate := false

deny_may_deactivate := data.haptik.deny_may_deactivate

default placeholder_words := [
	"node", "new node", "faq", "new faq", "question", "new question", "intent", "untitled",
	"copy", "test", "tmp", "temp", "todo", "sample", "example",
]

placeholder_words := data.haptik.placeholder_words

# At most this many node names are listed in one message; the count is always exact.
max_listed := 50

# The rules.

deny contains msg if {
	input.errored == true
	msg := "The plan is marked errored: Terraform stopped planning, so the haptik_faq_domain changes may be incomplete. Fix the errors and plan again."
}

deny contains msg if {
	input.plan_errored == true
	msg := "The review summary says the plan errored: Terraform stopped planning, so the haptik_faq_domain changes may be incomplete. Fix the errors and plan again."
}

deny contains msg if {
	some ch in changes
	ch.deactivated_count > max_deactivations
	msg := sprintf(
		"%s (domain %s): applying this plan deactivates %s, more than the %d this policy allows (data.haptik.max_deactivations): %s. Haptik deactivates every node missing from the upload; keep them in the resource's nodes map, or raise the limit for this change.",
		[ch.address, quoted(ch.deactivation_domain), nodes_text(ch.deactivated_count, "FAQ"), max_deactivations, names_text(ch.deactivated, ch.deactivated_count, ch.hidden)],
	)
}

deny contains msg if {
	some ch in changes
	bad := [n | some n in ch.added; unlabeled(n)]
	count(bad) > 0
	msg := sprintf(
		"%s (domain %s): %s without a label: %s. The node name is the node's only label in Haptik's dashboard and cannot be changed later; name each node for what it answers, with at least one letter, not an ID or a placeholder such as \"node_12\".",
		[ch.address, quoted(ch.upload_domain), nodes_text(count(bad), "added FAQ"), names_text(bad, count(bad), ch.hidden)],
	)
}

deny contains msg if {
	deny_may_deactivate
	some msg in may_deactivate
}

warn contains msg if {
	not deny_may_deactivate
	some msg in may_deactivate
}

may_deactivate contains msg if {
	some ch in changes
	ch.unlisted
	msg := sprintf(
		"%s (domain %s): the upload goes to a domain whose content no earlier apply set (%s): every node Haptik holds there that the upload does not list is deactivated, and no plan can name them. Compare with a dashboard export first (haptik-faq drift).",
		[ch.address, quoted(ch.upload_domain), ch.unlisted_why],
	)
}

may_deactivate contains msg if {
	some ch in changes
	ch.cannot_tell
	msg := sprintf(
		"%s (domain %s): the nodes are known only after apply, so the plan cannot tell which nodes the upload deactivates.",
		[ch.address, quoted(ch.upload_domain)],
	)
}

may_deactivate contains msg if {
	some ch in changes
	ch.destroys_first
	msg := sprintf(
		"%s (domain %s): the replacement destroys first, so every node of the domain is inactive until the new upload succeeds; use create_before_destroy, or resync_trigger to upload again in place.",
		[ch.address, quoted(ch.upload_domain)],
	)
}

# Why an upload goes to content the plan does not know, by action and whether the prior state
# holds no nodes (an imported domain no apply uploaded to).
unlisted_why("create", _) := "a create"

unlisted_why("update", true) := "an imported domain no apply uploaded to"

unlisted_why("replace", true) := "a replacement of an imported domain"

unlisted_why("replace", false) := "a replacement into another domain_name"

default unlisted_why(_, _) := ""

# A node name is not a label when a person reading the dashboard cannot tell from it what the node
# answers: it has no letter in any script (blank, "1234", "---"), it is a generated ID (a UUID, or
# 8 or more hex digits with a digit among them), or it is a placeholder word alone or followed by
# a number ("node_12", "FAQ 3", "Untitled", "new node").
unlabeled(name) if not regex.match(`\pL`, name)

unlabeled(name) if regex.match(`^(?i)[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$`, trim_space(name))

unlabeled(name) if {
	regex.match(`^(?i)[0-9a-f]{8,}$`, trim_space(name))
	regex.match(`[0-9]`, name)
}

unlabeled(name) if {
	some word in placeholder_words
	regex.match(sprintf(`^%s[\s_.#:-]*[0-9]*$`, [regex_escape(lower(word))]), lower(trim_space(name)))
}

regex_escape(s) := regex.replace(s, `([\\.+*?()|\[\]{}^$])`, `\$1`)

quoted(s) := sprintf("%q", [s]) if is_string(s)

else := "(known after apply)"

# "1 FAQ node", "2 FAQ nodes".
nodes_text(1, what) := sprintf("1 %s node", [what])

nodes_text(n, what) := sprintf("%d %s nodes", [n, what]) if n != 1

names_text(_, n, true) := sprintf("%s, not listed because the nodes are sensitive", [nodes_text(n, "FAQ")])

names_text(names, n, false) := concat(", ", [quoted(x) | some x in array.slice(sort(names), 0, max_listed)]) if {
	n <= max_listed
}

names_text(names, n, false) := sprintf("%s and %d more", [
	concat(", ", [quoted(x) | some x in array.slice(sort(names), 0, max_listed)]),
	n - max_listed,
]) if {
	n > max_listed
}

# changes: one normalized record per haptik_faq_domain change, from either input.
#   address, action (create, update, delete, replace), deactivation_domain (where nodes are
#   deactivated), upload_domain (where the upload goes), deactivated (names) and
#   deactivated_count, added (names), hidden (names must not be printed), unlisted and
#   unlisted_why, cannot_tell, destroys_first.

# From Terraform's plan JSON.
changes contains ch if {
	some rc in input.resource_changes
	rc.mode == "managed"
	rc.type == "haptik_faq_domain"
	action := action_of(rc.change.actions)
	gone := deactivated(rc, action)
	ch := {
		"address": rc.address,
		"action": action,
		"deactivation_domain": deactivation_domain(rc, action),
		"upload_domain": upload_domain(rc, action),
		"deactivated": gone,
		"deactivated_count": count(gone),
		"added": added(rc, action),
		"hidden": hidden(rc),
		"unlisted": unlisted(rc, action),
		"unlisted_why": unlisted_why(action, is_imported(rc)),
		"cannot_tell": cannot_tell(rc, action),
		"destroys_first": destroys_first(rc, action),
	}
}

# From haptik-faq review -format json (schema_version 1).
changes contains ch if {
	input.schema_version == 1
	some d in input.domains
	ch := {
		"address": d.address,
		"action": d.action,
		"deactivation_domain": summary_deactivation_domain(d),
		"upload_domain": d.domain,
		"deactivated": d.deactivated,
		"deactivated_count": d.counts.deactivated,
		"added": d.added,
		"hidden": d.nodes_sensitive,
		"unlisted": d.may_deactivate_unlisted,
		"unlisted_why": unlisted_why(d.action, d.imported),
		"cannot_tell": summary_cannot_tell(d),
		"destroys_first": d.destroys_first,
	}
}

summary_deactivation_domain(d) := d.previous_domain if is_string(d.previous_domain)

else := d.domain

summary_cannot_tell(d) if {
	d.nodes_unknown
	d.may_deactivate
	not d.may_deactivate_unlisted
}

else := false

action_of(["create"]) := "create"

action_of(["update"]) := "update"

action_of(["delete"]) := "delete"

action_of(["delete", "create"]) := "replace"

action_of(["create", "delete"]) := "replace"

node_names(side) := {k | some k, _ in side.nodes} if is_object(side.nodes)

else := set()

nodes_unknown(rc) if rc.change.after_unknown.nodes == true

# The resource's content moves away from the old domain: a destroy, or a replacement into another
# (or a not yet known) domain_name.
moves_away(_, "delete")

moves_away(rc, "replace") if not same_domain(rc)

same_domain(rc) if {
	is_string(rc.change.before.domain_name)
	rc.change.before.domain_name == rc.change.after.domain_name
}

retain(rc) if rc.change.before.deletion_policy == "retain"

# Imported and never uploaded to: the prior state holds no nodes.
imported(rc) if {
	is_object(rc.change.before)
	not is_object(rc.change.before.nodes)
}

deactivated(rc, action) := set() if {
	moves_away(rc, action)
	retain(rc)
} else := node_names(rc.change.before) if {
	moves_away(rc, action)
} else := set() if {
	nodes_unknown(rc)
} else := node_names(rc.change.before) - node_names(rc.change.after)

added(_, "delete") := set()

added(rc, action) := set() if {
	action != "delete"
	nodes_unknown(rc)
} else := node_names(rc.change.after) if {
	moves_away(rc, action)
} else := node_names(rc.change.after) - node_names(rc.change.before)

deactivation_domain(rc, action) := object.get(rc.change, ["before", "domain_name"], null) if {
	moves_away(rc, action)
} else := object.get(rc.change, ["after", "domain_name"], null)

# A destroy uploads (a header-only CSV) to the domain it destroys.
upload_domain(rc, "delete") := object.get(rc.change, ["before", "domain_name"], null)

upload_domain(rc, action) := object.get(rc.change, ["after", "domain_name"], null) if action != "delete"

hidden(rc) if rc.change.before_sensitive.nodes == true

else if rc.change.after_sensitive.nodes == true

else := false

unlisted(_, "create")

unlisted(rc, "update") if imported(rc)

unlisted(rc, "replace") if imported(rc)

unlisted(rc, "replace") if not same_domain(rc)

default unlisted(_, _) := false

cannot_tell(rc, action) if {
	action != "delete"
	nodes_unknown(rc)
	count(node_names(rc.change.before)) > 0
}

is_imported(rc) if imported(rc)

default is_imported(_) := false

default cannot_tell(_, _) := false

destroys_first(rc, "replace") if {
	rc.change.actions == ["delete", "create"]
	same_domain(rc)
	not retain(rc)
	count(node_names(rc.change.before)) > 0
}

default destroys_first(_, _) := false
