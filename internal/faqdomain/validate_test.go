package faqdomain

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestValidate(t *testing.T) {
	ok := node{UserSays: []string{"hi"}, BotSays: []string{"hello"}}
	timeouts := func(op, v string) map[string]tftypes.Value {
		return map[string]tftypes.Value{AttrTimeouts: timeoutsValue(map[string]string{op: v})}
	}
	for _, tc := range []struct {
		name  string
		nodes map[string]node
		set   map[string]tftypes.Value
		// want is the diagnostics as "path: summary: detail fragment", one each, in order.
		want []string
	}{
		{"valid", map[string]node{"n": ok}, map[string]tftypes.Value{AttrTimeouts: timeoutsValue(map[string]string{
			OpCreate: "30s", OpUpdate: "1h30m", OpDelete: "1s"})}, nil},
		{"unknown domain and nodes are checked later", map[string]node{"n": ok}, map[string]tftypes.Value{
			AttrDomainName: unknown(AttrDomainName), AttrNodes: unknown(AttrNodes)}, nil},
		{"unknown deletion_policy and timeouts are checked later", map[string]node{"n": ok}, map[string]tftypes.Value{
			AttrDeletionPolicy: unknown(AttrDeletionPolicy), AttrTimeouts: unknown(AttrTimeouts)}, nil},
		{"unknown deletion policy", map[string]node{"n": ok}, map[string]tftypes.Value{AttrDeletionPolicy: str("delete")},
			[]string{`deletion_policy: Invalid Deletion Policy: deletion_policy is "delete". Set it to "deactivate"`}},
		{"timeout that is not a duration", map[string]node{"n": ok}, timeouts(OpCreate, "soon"),
			[]string{`timeouts.create: Invalid Timeout: timeouts.create is "soon", which is not a duration`}},
		{"zero timeout", map[string]node{"n": ok}, timeouts(OpUpdate, "0s"),
			[]string{`timeouts.update: Invalid Timeout: timeouts.update is "0s", which leaves no time`}},
		{"negative timeout", map[string]node{"n": ok}, timeouts(OpDelete, "-5s"),
			[]string{`timeouts.delete: Invalid Timeout: timeouts.delete is "-5s"`}},
		{"a nanosecond", map[string]node{"n": ok}, timeouts(OpCreate, "1ns"),
			[]string{`timeouts.create: Invalid Timeout: timeouts.create is "1ns", which leaves no time`}},
		{"content rules name the value", map[string]node{"n": {UserSays: []string{"a|b"}, BotSays: []string{"x"}}}, nil,
			[]string{`nodes["n"].user_says[0]: `}},
		{"domain name rule", map[string]node{"n": ok}, map[string]tftypes.Value{AttrDomainName: str("")},
			[]string{`domain_name: `}},
		{"null nodes", nil, map[string]tftypes.Value{AttrNodes: tftypes.NewValue(attrTypes[AttrNodes], nil)},
			[]string{`nodes: Missing Nodes: nodes is null`}},
		{"empty nodes", map[string]node{}, nil, []string{`nodes: Empty Nodes: nodes is empty`}},
		{"empty nodes allowed", map[string]node{}, map[string]tftypes.Value{AttrAllowEmpty: tftypes.NewValue(tftypes.Bool, true)}, nil},
		{"empty nodes, allow_empty false", map[string]node{}, map[string]tftypes.Value{AttrAllowEmpty: tftypes.NewValue(tftypes.Bool, false)},
			[]string{`set allow_empty = true`}},
		{"empty nodes, allow_empty unknown", map[string]node{}, map[string]tftypes.Value{AttrAllowEmpty: unknown(AttrAllowEmpty)}, nil},
		{"negative max_deactivations", map[string]node{"n": ok}, map[string]tftypes.Value{AttrMaxDeactivate: tftypes.NewValue(tftypes.Number, -1)},
			[]string{`max_deactivations: Invalid max_deactivations: max_deactivations must be a whole number, 0 or more`}},
		{"fractional max_deactivations", map[string]node{"n": ok}, map[string]tftypes.Value{AttrMaxDeactivate: tftypes.NewValue(tftypes.Number, 1.5)},
			[]string{`max_deactivations must be a whole number`}},
		{"a null node has no lists", nil, map[string]tftypes.Value{AttrNodes: tftypes.NewValue(attrTypes[AttrNodes],
			map[string]tftypes.Value{"n": tftypes.NewValue(nodeType, nil)})},
			[]string{`nodes["n"].user_says: `, `nodes["n"].bot_says: `}},
		{"null and unknown elements", nil, map[string]tftypes.Value{AttrNodes: tftypes.NewValue(attrTypes[AttrNodes],
			map[string]tftypes.Value{"n": tftypes.NewValue(nodeType, map[string]tftypes.Value{
				"user_says": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{
					tftypes.NewValue(tftypes.String, tftypes.UnknownValue), tftypes.NewValue(tftypes.String, nil), str("a|b")}),
				"bot_says": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, []tftypes.Value{
					str("ok"), tftypes.NewValue(tftypes.String, nil)}),
			})})},
			[]string{`nodes["n"].user_says[1]: Null User Says: nodes["n"].user_says[1]: The user says is null`,
				`nodes["n"].user_says[2]: Separator Inside User Says`, `nodes["n"].bot_says[1]: Null Bot Says`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diags := Validate(encode(t, config(tc.nodes, tc.set)))
			if len(diags) != len(tc.want) {
				t.Fatalf("got %d diagnostics, want %d:\n%s", len(diags), len(tc.want), detail(diags))
			}
			for i, d := range diags {
				got := d.Path.String() + ": " + d.Summary + ": " + d.Detail
				if d.Warning || !strings.Contains(got, tc.want[i]) {
					t.Errorf("diagnostic %d = %q (warning %v), want an error containing %q", i, got, d.Warning, tc.want[i])
				}
			}
		})
	}
	if diags := Validate([]byte{0x91}); len(diags) != 1 || diags[0].Summary != "Unreadable Configuration" {
		t.Errorf("garbage: %s", detail(diags))
	}
}

func TestPathString(t *testing.T) {
	p := Root(AttrNodes).AtMapKey(`say "hi"`).AtName("user_says").AtListIndex(2)
	if got, want := p.String(), `nodes["say \"hi\""].user_says[2]`; got != want {
		t.Errorf("path %q, want %q", got, want)
	}
	// Extending a path never changes the one it extends.
	base := Root(AttrNodes)
	a, b := base.AtMapKey("a"), base.AtMapKey("b")
	if a.String() != `nodes["a"]` || b.String() != `nodes["b"]` || base.String() != "nodes" {
		t.Errorf("paths %s %s %s", a, b, base)
	}
}

// strict_content = true makes every content warning an error at the same path, whichever rule
// gave it; errors stay errors, and other values leave the warnings alone.
func TestValidateStrictContent(t *testing.T) {
	nodes := map[string]node{
		"=calc": {UserSays: []string{"\u202Ereversed", "a|b"}, BotSays: []string{
			`{"type":"TEXT","data":{"quick_reply":[]}}`, `{"type":"CAROUSAL"}`, "\ufeffhello", "bad \ufffd text", "-1+2"}},
	}
	plain := Validate(encode(t, config(nodes, nil)))
	var warnings, errors int
	for _, d := range plain {
		if d.Warning {
			warnings++
		} else {
			errors++
		}
	}
	if warnings < 6 || errors != 1 {
		t.Fatalf("the content gives %d warnings and %d errors, want at least 6 and 1:\n%s", warnings, errors, detail(plain))
	}
	for _, v := range []tftypes.Value{tftypes.NewValue(tftypes.Bool, false), tftypes.NewValue(tftypes.Bool, nil), unknown(AttrStrictContent)} {
		got := Validate(encode(t, config(nodes, map[string]tftypes.Value{AttrStrictContent: v})))
		if detail(got) != detail(plain) || len(got) != len(plain) {
			t.Errorf("strict_content = %v changes the diagnostics:\n%s", v, detail(got))
		}
		for i := range got {
			if got[i].Warning != plain[i].Warning {
				t.Errorf("strict_content = %v: %s changes severity", v, got[i].Summary)
			}
		}
	}
	strict := Validate(encode(t, config(nodes, map[string]tftypes.Value{AttrStrictContent: tftypes.NewValue(tftypes.Bool, true)})))
	if len(strict) != len(plain) {
		t.Fatalf("strict: %d diagnostics, want %d", len(strict), len(plain))
	}
	for i, d := range strict {
		if d.Warning || d.Summary != plain[i].Summary || d.Path.String() != plain[i].Path.String() {
			t.Errorf("strict: %s at %s (warning %v), want the error %s at %s", d.Summary, d.Path, d.Warning, plain[i].Summary, plain[i].Path)
		}
		wasWarning := plain[i].Warning
		if marked := strings.HasSuffix(d.Detail, "This is an error because strict_content = true: change the content, or set "+
			"strict_content = false to accept it as a warning."); marked != wasWarning {
			t.Errorf("strict: %s: detail %q", d.Summary, d.Detail)
		}
	}
}
