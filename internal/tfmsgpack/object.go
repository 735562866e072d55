package tfmsgpack

import (
	"fmt"
	"unsafe"
)

// Encodings of the two values every object may hold in place of an attribute's value.
var (
	// Null is the encoding of a null value.
	Null = []byte{0xc0}
	// Unknown is the encoding of an unknown value, as terraform-plugin-go writes it: a fixext1 of
	// type 0 with a zero byte.
	Unknown = []byte{0xd4, 0x00, 0x00}
	// True and False are the encodings of the booleans.
	True  = []byte{0xc3}
	False = []byte{0xc2}
)

// Object is an encoded object (or map) with the span of each attribute's value, read once.
type Object struct {
	b     []byte
	spans map[string][2]int
}

// ReadObject reads the attribute spans of the object encoded in b, which must hold that one
// value and nothing after it.
func ReadObject(b []byte) (Object, error) {
	o := Object{b: b, spans: map[string][2]int{}}
	r := NewReader(b)
	n, err := r.MapLen()
	if err != nil {
		return o, err
	}
	for range n {
		key, err := r.Bytes()
		if err != nil {
			return o, err
		}
		start := r.Offset()
		if err := r.Skip(); err != nil {
			return o, fmt.Errorf("attribute %s: %w", key, err)
		}
		o.spans[string(key)] = [2]int{start, r.Offset()}
	}
	if !r.Done() {
		return o, fmt.Errorf("%d bytes after the object", len(b)-r.Offset())
	}
	return o, nil
}

// Bytes is the object's whole encoding.
func (o Object) Bytes() []byte { return o.b }

// Raw is an attribute's encoded value, nil when the object has no such attribute.
func (o Object) Raw(name string) []byte {
	s, ok := o.spans[name]
	if !ok {
		return nil
	}
	return o.b[s[0]:s[1]]
}

// Reader reads an attribute's value.
func (o Object) Reader(name string) *Reader { return NewReader(o.Raw(name)) }

// Str is a string attribute's value; ok is false when it is absent, null, unknown or not a string.
func (o Object) Str(name string) (s string, ok bool) {
	r, known := o.Known(name)
	if !known {
		return "", false
	}
	s, err := r.String()
	return s, err == nil
}

// Known reads an attribute's value; known is false when the attribute is absent, null or
// unknown, which is when a check of its value must wait.
func (o Object) Known(name string) (r *Reader, known bool) {
	raw := o.Raw(name)
	r = NewReader(raw)
	return r, raw != nil && !IsNull(raw) && !r.IsUnknown()
}

// IsNull reports whether the attribute is present and null.
func (o Object) IsNull(name string) bool { return IsNull(o.Raw(name)) }

// IsUnknown reports whether the attribute is present and unknown.
func (o Object) IsUnknown(name string) bool { return o.Reader(name).IsUnknown() }

// IsNull reports whether raw is exactly the encoding of null.
func IsNull(raw []byte) bool { return len(raw) == 1 && raw[0] == 0xc0 }

// MapEntries returns each entry of the encoded map raw by key, as the entry's encoded value;
// known is false when raw is null or unknown. Keys and values point into raw.
func MapEntries(raw []byte) (entries map[string][]byte, known bool, err error) {
	r := NewReader(raw)
	if r.IsNil() || r.IsUnknown() {
		return nil, false, nil
	}
	n, err := r.MapLen()
	if err != nil {
		return nil, false, err
	}
	entries = make(map[string][]byte, n)
	for range n {
		key, err := r.Bytes()
		if err != nil {
			return nil, false, err
		}
		start := r.Offset()
		if err := r.Skip(); err != nil {
			return nil, false, err
		}
		entries[InPlace(key)] = raw[start:r.Offset()]
	}
	return entries, true, nil
}

// Patch returns the encoded object b with the given attributes' values replaced by the given
// encodings; every other attribute is copied byte for byte. Attributes b does not have are not
// added.
func Patch(b []byte, set map[string][]byte) ([]byte, error) {
	r := NewReader(b)
	n, err := r.MapLen()
	if err != nil {
		return nil, err
	}
	extra := 0
	for _, v := range set {
		extra += len(v)
	}
	out := make([]byte, 0, len(b)+extra)
	out = AppendMapHeader(out, n)
	for range n {
		start := r.Offset()
		key, err := r.Bytes()
		if err != nil {
			return nil, err
		}
		out = append(out, b[start:r.Offset()]...)
		start = r.Offset()
		if err := r.Skip(); err != nil {
			return nil, err
		}
		if v, ok := set[string(key)]; ok {
			out = append(out, v...)
			continue
		}
		out = append(out, b[start:r.Offset()]...)
	}
	return out, nil
}

// String is the encoding of s.
func String(s string) []byte { return AppendString(nil, s) }

// Int is the encoding of n.
func Int(n int64) []byte { return AppendInt(nil, n) }

// InPlace is b as a string without copying. The bytes must never change while the string is
// used: read only from encodings Terraform sent, which nothing writes to.
func InPlace(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
