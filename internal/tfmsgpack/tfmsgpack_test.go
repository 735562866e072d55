package tfmsgpack

import (
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// encode encodes v the way Terraform's protocol does.
func encode(t testing.TB, v tftypes.Value) []byte {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(v.Type(), v)
	if err != nil {
		t.Fatal(err)
	}
	return dv.MsgPack
}

var strList = tftypes.List{ElementType: tftypes.String}

func strs(ss ...string) tftypes.Value {
	vs := make([]tftypes.Value, len(ss))
	for i, s := range ss {
		vs[i] = tftypes.NewValue(tftypes.String, s)
	}
	return tftypes.NewValue(strList, vs)
}

// sample holds every kind of value a provider schema produces.
func sample() tftypes.Value {
	obj := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"s": tftypes.String, "n": tftypes.Number, "f": tftypes.Number, "big": tftypes.Number, "neg": tftypes.Number,
		"b": tftypes.Bool, "null": tftypes.String, "unknown": tftypes.String, "l": strList,
		"m":    tftypes.Map{ElementType: tftypes.Number},
		"long": tftypes.String, "longer": tftypes.String, "longest": tftypes.String,
		"many": tftypes.Map{ElementType: tftypes.String},
	}}
	many := map[string]tftypes.Value{}
	for i := range 70000 {
		many[fmt.Sprintf("k%05d", i)] = tftypes.NewValue(tftypes.String, "v")
	}
	huge, _ := new(big.Float).SetString("123456789012345678901234567890")
	return tftypes.NewValue(obj, map[string]tftypes.Value{
		"s": tftypes.NewValue(tftypes.String, "héllo"), "n": tftypes.NewValue(tftypes.Number, 42),
		"f": tftypes.NewValue(tftypes.Number, 1.5), "big": tftypes.NewValue(tftypes.Number, huge),
		"neg": tftypes.NewValue(tftypes.Number, -70000), "b": tftypes.NewValue(tftypes.Bool, true),
		"null": tftypes.NewValue(tftypes.String, nil), "unknown": tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		"l": strs("a", "", "c"),
		"m": tftypes.NewValue(tftypes.Map{ElementType: tftypes.Number}, map[string]tftypes.Value{
			"x": tftypes.NewValue(tftypes.Number, 1), "y": tftypes.NewValue(tftypes.Number, 300)}),
		"long":    tftypes.NewValue(tftypes.String, strings.Repeat("a", 200)),
		"longer":  tftypes.NewValue(tftypes.String, strings.Repeat("b", 60000)),
		"longest": tftypes.NewValue(tftypes.String, strings.Repeat("c", 70000)),
		"many":    tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, many),
	})
}

func TestReadObject(t *testing.T) {
	b := encode(t, sample())
	r := NewReader(b)
	n, err := r.MapLen()
	if err != nil || n != 14 {
		t.Fatalf("MapLen = %d, %v", n, err)
	}
	prev := ""
	for range n {
		key, err := r.String()
		if err != nil {
			t.Fatal(err)
		}
		if key <= prev {
			t.Errorf("key %q after %q: Terraform's keys come sorted", key, prev)
		}
		prev = key
		switch key {
		case "s", "long", "longer", "longest":
			s, err := r.String()
			want := map[string]string{"s": "héllo", "long": strings.Repeat("a", 200),
				"longer": strings.Repeat("b", 60000), "longest": strings.Repeat("c", 70000)}[key]
			if err != nil || s != want {
				t.Errorf("%s = %.20q…, %v", key, s, err)
			}
		case "null":
			if !r.IsNil() {
				t.Error("null is not nil")
			}
		case "unknown":
			if r.IsNil() || !r.IsUnknown() {
				t.Error("unknown is not an extension")
			}
		case "l":
			l, err := r.ArrayLen()
			if err != nil || l != 3 {
				t.Fatalf("list length %d, %v", l, err)
			}
			for _, want := range []string{"a", "", "c"} {
				if s, err := r.String(); s != want || err != nil {
					t.Errorf("list element %q, %v; want %q", s, err, want)
				}
			}
		case "many":
			m, err := r.MapLen()
			if err != nil || m != 70000 {
				t.Fatalf("map length %d, %v", m, err)
			}
			if err := r.skipN(2 * m); err != nil {
				t.Fatal(err)
			}
		default:
			if err := r.Skip(); err != nil {
				t.Fatalf("skipping %s: %v", key, err)
			}
		}
	}
	if !r.Done() {
		t.Fatalf("%d bytes left", len(b)-r.Offset())
	}
}

func TestSkipConsumesExactlyOneValue(t *testing.T) {
	b := encode(t, sample())
	b2 := append(append([]byte{}, b...), b...)
	r := NewReader(b2)
	if err := r.Skip(); err != nil || r.Offset() != len(b) {
		t.Fatalf("Skip stopped at %d of %d: %v", r.Offset(), len(b), err)
	}
}

// TestAppendDecodesInTerraform writes an object with the Append functions and decodes it with
// terraform-plugin-go's decoder, which reads what Terraform's does.
func TestAppendDecodesInTerraform(t *testing.T) {
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"a": tftypes.String, "b": tftypes.Number, "c": tftypes.String, "d": tftypes.String, "e": tftypes.String, "l": strList,
	}}
	var b []byte
	b = AppendMapHeader(b, 6)
	b = AppendString(AppendString(b, "a"), "x")
	b = AppendInt(AppendString(b, "b"), -12345678901)
	b = AppendString(AppendString(b, "c"), strings.Repeat("y", 300))
	b = AppendString(AppendString(b, "d"), strings.Repeat("z", 70000))
	b = AppendString(AppendString(b, "e"), strings.Repeat("w", 40))
	// A value copied verbatim from another encoding.
	src := encode(t, strs("p", "q"))
	b = append(AppendString(b, "l"), src...)
	v, err := (&tfprotov6.DynamicValue{MsgPack: b}).Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	want := tftypes.NewValue(typ, map[string]tftypes.Value{
		"a": tftypes.NewValue(tftypes.String, "x"), "b": tftypes.NewValue(tftypes.Number, -12345678901),
		"c": tftypes.NewValue(tftypes.String, strings.Repeat("y", 300)),
		"d": tftypes.NewValue(tftypes.String, strings.Repeat("z", 70000)),
		"e": tftypes.NewValue(tftypes.String, strings.Repeat("w", 40)), "l": strs("p", "q"),
	})
	if !v.Equal(want) {
		t.Fatalf("decoded %s", v)
	}
	// A map of 70,000 null pairs: the header takes the 32-bit form.
	big := append(AppendMapHeader(nil, 70000), make([]byte, 140000)...)
	for i := 5; i < len(big); i++ {
		big[i] = 0xc0
	}
	r := NewReader(big)
	if n, err := r.MapLen(); n != 70000 || err != nil || big[0] != 0xdf {
		t.Fatalf("a 70,000-pair map header reads back as %d, %v", n, err)
	}
	if err := r.skipN(140000); err != nil || !r.Done() {
		t.Fatalf("the 70,000 pairs do not read back: %v", err)
	}
}

func TestCorruptDataIsAnError(t *testing.T) {
	b := encode(t, sample())
	for _, cut := range []int{1, 2, 10, len(b) / 2, len(b) - 1} {
		if err := NewReader(b[:cut]).Skip(); err == nil {
			t.Errorf("Skip of the first %d bytes succeeded", cut)
		}
	}
	for _, bad := range [][]byte{{0xc1}, {0xdf, 0xff, 0xff, 0xff, 0xff}, {0xdb, 0x7f, 0, 0, 0}, {0xc9, 0xff, 0xff, 0xff, 0xff, 0}} {
		if err := NewReader(bad).Skip(); err == nil {
			t.Errorf("Skip(% x) succeeded", bad)
		}
	}
	if _, err := NewReader([]byte{0xa1}).Bytes(); err == nil {
		t.Error("a string longer than the data was read")
	}
	if _, err := NewReader([]byte{0x91}).MapLen(); err == nil {
		t.Error("an array read as a map")
	}
}

func FuzzSkip(f *testing.F) {
	f.Add(encode(f, sample())[:4096])
	f.Add([]byte{0x82, 0xa1, 'a', 0xc0, 0xa1, 'b', 0xd4, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		r := NewReader(b)
		for !r.Done() {
			if r.Skip() != nil {
				return
			}
		}
	})
}

// Float reads every encoding Terraform uses for a number.
func TestFloat(t *testing.T) {
	pointEight5, _, _ := big.ParseFloat("0.85", 10, 512, big.ToNearestEven)
	huge, _, _ := big.ParseFloat("18446744073709551615", 10, 512, big.ToNearestEven)
	for _, c := range []struct {
		v    *big.Float
		want float64
	}{
		{big.NewFloat(1), 1}, {big.NewFloat(0.5), 0.5}, {big.NewFloat(-3), -3}, {big.NewFloat(300), 300},
		{pointEight5, 0.85}, {huge, 18446744073709551615},
	} {
		b := encode(t, tftypes.NewValue(tftypes.Number, c.v))
		got, err := NewReader(b).Float()
		if err != nil || got != c.want {
			t.Errorf("Float of %s (encoded % x) = %v, %v; want %v", c.v.Text('g', 20), b, got, err, c.want)
		}
	}
	if _, err := NewReader(encode(t, tftypes.NewValue(tftypes.String, "many"))).Float(); err == nil {
		t.Error("text that is not a number read as a number")
	}
	if _, err := NewReader(encode(t, tftypes.NewValue(tftypes.Bool, true))).Float(); err == nil {
		t.Error("a bool read as a number")
	}
}
