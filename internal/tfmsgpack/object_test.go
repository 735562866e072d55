package tfmsgpack

import (
	"bytes"
	"math"
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func TestObject(t *testing.T) {
	b := encode(t, sample())
	o, err := ReadObject(b)
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := o.Str("s"); !ok || s != "héllo" {
		t.Errorf("Str(s) = %q, %v", s, ok)
	}
	for _, name := range []string{"null", "unknown", "n", "absent"} {
		if s, ok := o.Str(name); ok {
			t.Errorf("Str(%s) = %q, want not ok", name, s)
		}
	}
	if !o.IsNull("null") || o.IsNull("s") || o.IsNull("absent") || !o.IsUnknown("unknown") || o.IsUnknown("s") {
		t.Error("IsNull or IsUnknown is wrong")
	}
	if !bytes.Equal(o.Raw("l"), encode(t, strs("a", "", "c"))) || o.Raw("absent") != nil || !bytes.Equal(o.Bytes(), b) {
		t.Error("Raw is not the attribute's encoding")
	}
	if _, err := ReadObject(append(b, 0xc0)); err == nil {
		t.Error("bytes after the object were not refused")
	}
}

func TestMapEntries(t *testing.T) {
	o, _ := ReadObject(encode(t, sample()))
	m, known, err := MapEntries(o.Raw("m"))
	if err != nil || !known || len(m) != 2 || !bytes.Equal(m["y"], encode(t, tftypes.NewValue(tftypes.Number, 300))) {
		t.Errorf("MapEntries(m) = %v %v %v", m, known, err)
	}
	many, _, _ := MapEntries(o.Raw("many"))
	if len(many) != 70000 {
		t.Errorf("%d entries of a 70,000-entry map", len(many))
	}
	for _, raw := range [][]byte{Null, Unknown} {
		if m, known, err := MapEntries(raw); m != nil || known || err != nil {
			t.Errorf("MapEntries(% x) = %v %v %v", raw, m, known, err)
		}
	}
	if _, _, err := MapEntries([]byte{0x81, 0xa1}); err == nil {
		t.Error("a truncated map was not refused")
	}
}

func TestPatchKeepsEverythingElse(t *testing.T) {
	// The number "big" does not survive a round trip exactly, so compare with the value decoded.
	v, err := (&tfprotov6.DynamicValue{MsgPack: encode(t, sample())}).Unmarshal(sample().Type())
	if err != nil {
		t.Fatal(err)
	}
	out, err := Patch(encode(t, v), map[string][]byte{"s": String("new"), "n": Int(7), "unknown": Null, "absent": String("x")})
	if err != nil {
		t.Fatal(err)
	}
	got, err := (&tfprotov6.DynamicValue{MsgPack: out}).Unmarshal(v.Type())
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]tftypes.Value
	_ = v.As(&want)
	want["s"] = tftypes.NewValue(tftypes.String, "new")
	want["n"] = tftypes.NewValue(tftypes.Number, 7)
	want["unknown"] = tftypes.NewValue(tftypes.String, nil)
	if w := tftypes.NewValue(v.Type(), want); !got.Equal(w) {
		t.Fatal("Patch changed more than the attributes it was given")
	}
	if _, err := Patch([]byte{0x91, 0xc0}, nil); err == nil {
		t.Error("Patch of an array succeeded")
	}
}

// Null and Unknown are what terraform-plugin-go writes, so Terraform reads them back.
func TestNullAndUnknownEncodings(t *testing.T) {
	if got := encode(t, tftypes.NewValue(tftypes.String, nil)); !bytes.Equal(got, Null) {
		t.Errorf("null is % x, want % x", got, Null)
	}
	if got := encode(t, tftypes.NewValue(tftypes.String, tftypes.UnknownValue)); !bytes.Equal(got, Unknown) {
		t.Errorf("unknown is % x, want % x", got, Unknown)
	}
	if InPlace(nil) != "" || InPlace([]byte("abc")) != "abc" {
		t.Error("InPlace is not the bytes as a string")
	}
}

// Int and Bool read what Terraform writes, and refuse numbers that are not whole int64s.
func TestIntAndBool(t *testing.T) {
	for _, n := range []int64{0, 1, 127, 128, 255, 256, 65535, 65536, 1 << 40, -1, -32, -33, -128, -129, -70000, math.MaxInt64, math.MinInt64} {
		got, err := NewReader(encode(t, tftypes.NewValue(tftypes.Number, n))).Int()
		if err != nil || got != n {
			t.Errorf("Int of %d = %d, %v", n, got, err)
		}
	}
	huge, _ := new(big.Float).SetString("1e30")
	for _, v := range []tftypes.Value{tftypes.NewValue(tftypes.Number, 1.5), tftypes.NewValue(tftypes.Number, huge),
		tftypes.NewValue(tftypes.String, "x")} {
		if got, err := NewReader(encode(t, v)).Int(); err == nil {
			t.Errorf("Int of %s = %d, want an error", v, got)
		}
	}
	if got, err := NewReader(encode(t, tftypes.NewValue(tftypes.Number, 3.0))).Int(); err != nil || got != 3 {
		t.Errorf("Int of 3.0 = %d, %v", got, err)
	}
	for _, b := range []bool{true, false} {
		if got, err := NewReader(encode(t, tftypes.NewValue(tftypes.Bool, b))).Bool(); err != nil || got != b {
			t.Errorf("Bool of %v = %v, %v", b, got, err)
		}
	}
	if _, err := NewReader(Null).Bool(); err == nil {
		t.Error("Bool of null succeeded")
	}
}
