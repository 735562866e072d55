// Package tfmsgpack reads and writes the MessagePack encoding Terraform uses for values on the
// plugin protocol (cty's msgpack: objects and maps as maps with sorted keys, lists as arrays,
// nulls as nil, unknown values as extensions), without decoding a whole value into a tree.
//
// The provider uses it to apply a large resource in memory proportional to its encoded size:
// strings are read in place, and a new state is written by copying the planned state's bytes and
// replacing a few attributes.
package tfmsgpack

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
)

// Reader reads one encoded value after another from b.
type Reader struct {
	b   []byte
	off int
}

// NewReader reads from b, which must not change while the Reader or any bytes it returned are used.
func NewReader(b []byte) *Reader { return &Reader{b: b} }

// Offset is the position of the next value.
func (r *Reader) Offset() int { return r.off }

// Done reports whether every byte was read.
func (r *Reader) Done() bool { return r.off == len(r.b) }

var errShort = errors.New("msgpack: unexpected end of data")

func (r *Reader) peek() (byte, error) {
	if r.off >= len(r.b) {
		return 0, errShort
	}
	return r.b[r.off], nil
}

// take returns the next n bytes.
func (r *Reader) take(n int) ([]byte, error) {
	if n < 0 || r.off+n > len(r.b) || r.off+n < r.off {
		return nil, errShort
	}
	s := r.b[r.off : r.off+n]
	r.off += n
	return s, nil
}

// uint reads a big-endian unsigned integer of n bytes (1, 2, 4 or 8).
func (r *Reader) uint(n int) (uint64, error) {
	s, err := r.take(n)
	if err != nil {
		return 0, err
	}
	switch n {
	case 1:
		return uint64(s[0]), nil
	case 2:
		return uint64(binary.BigEndian.Uint16(s)), nil
	case 4:
		return uint64(binary.BigEndian.Uint32(s)), nil
	default:
		return binary.BigEndian.Uint64(s), nil
	}
}

// length reads a length of n bytes, bounded by what is left so that corrupt data cannot ask for
// a huge allocation.
func (r *Reader) length(n int) (int, error) {
	v, err := r.uint(n)
	if err != nil {
		return 0, err
	}
	if v > uint64(len(r.b)) {
		return 0, errShort
	}
	return int(v), nil
}

// IsNil reports whether the next value is null, and reads it if so.
func (r *Reader) IsNil() bool {
	if c, err := r.peek(); err == nil && c == 0xc0 {
		r.off++
		return true
	}
	return false
}

// IsUnknown reports whether the next value is unknown (an extension), and reads it if so.
func (r *Reader) IsUnknown() bool {
	c, err := r.peek()
	if err != nil || !isExt(c) {
		return false
	}
	return r.Skip() == nil
}

func isExt(c byte) bool { return (c >= 0xd4 && c <= 0xd8) || (c >= 0xc7 && c <= 0xc9) }

// MapLen reads the header of a map and returns its number of key-value pairs.
func (r *Reader) MapLen() (int, error) {
	c, err := r.peek()
	if err != nil {
		return 0, err
	}
	switch {
	case c >= 0x80 && c <= 0x8f:
		r.off++
		return int(c & 0x0f), nil
	case c == 0xde:
		r.off++
		return r.length(2)
	case c == 0xdf:
		r.off++
		return r.length(4)
	}
	return 0, fmt.Errorf("msgpack: expected a map at offset %d, found 0x%02x", r.off, c)
}

// ArrayLen reads the header of an array and returns its number of elements.
func (r *Reader) ArrayLen() (int, error) {
	c, err := r.peek()
	if err != nil {
		return 0, err
	}
	switch {
	case c >= 0x90 && c <= 0x9f:
		r.off++
		return int(c & 0x0f), nil
	case c == 0xdc:
		r.off++
		return r.length(2)
	case c == 0xdd:
		r.off++
		return r.length(4)
	}
	return 0, fmt.Errorf("msgpack: expected an array at offset %d, found 0x%02x", r.off, c)
}

// Bytes reads a string (or binary) and returns its bytes in place.
func (r *Reader) Bytes() ([]byte, error) {
	c, err := r.peek()
	if err != nil {
		return nil, err
	}
	var n int
	switch {
	case c >= 0xa0 && c <= 0xbf:
		r.off++
		n = int(c & 0x1f)
	case c == 0xd9 || c == 0xc4:
		r.off++
		n, err = r.length(1)
	case c == 0xda || c == 0xc5:
		r.off++
		n, err = r.length(2)
	case c == 0xdb || c == 0xc6:
		r.off++
		n, err = r.length(4)
	default:
		return nil, fmt.Errorf("msgpack: expected a string at offset %d, found 0x%02x", r.off, c)
	}
	if err != nil {
		return nil, err
	}
	return r.take(n)
}

// String reads a string, copying it.
func (r *Reader) String() (string, error) {
	b, err := r.Bytes()
	return string(b), err
}

// Skip reads the next value, whatever it is.
func (r *Reader) Skip() error {
	c, err := r.peek()
	if err != nil {
		return err
	}
	switch {
	case c <= 0x7f || c >= 0xe0 || c == 0xc0 || c == 0xc2 || c == 0xc3:
		r.off++
		return nil
	case c >= 0x80 && c <= 0x8f, c == 0xde, c == 0xdf:
		n, err := r.MapLen()
		if err != nil {
			return err
		}
		return r.skipN(2 * n)
	case c >= 0x90 && c <= 0x9f, c == 0xdc, c == 0xdd:
		n, err := r.ArrayLen()
		if err != nil {
			return err
		}
		return r.skipN(n)
	case c >= 0xa0 && c <= 0xbf, c == 0xd9, c == 0xda, c == 0xdb, c == 0xc4, c == 0xc5, c == 0xc6:
		_, err := r.Bytes()
		return err
	}
	r.off++
	var n int
	switch c {
	case 0xcc, 0xd0:
		n = 1
	case 0xcd, 0xd1:
		n = 2
	case 0xce, 0xd2, 0xca:
		n = 4
	case 0xcf, 0xd3, 0xcb:
		n = 8
	case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8: // fixext: a type byte, then 1, 2, 4, 8 or 16 bytes
		n = 1 + 1<<(c-0xd4)
	case 0xc7, 0xc8, 0xc9: // ext: a length, a type byte, the data
		l, err := r.length(map[byte]int{0xc7: 1, 0xc8: 2, 0xc9: 4}[c])
		if err != nil {
			return err
		}
		n = 1 + l
	default:
		return fmt.Errorf("msgpack: unknown type byte 0x%02x at offset %d", c, r.off-1)
	}
	_, err = r.take(n)
	return err
}

func (r *Reader) skipN(n int) error {
	for range n {
		if err := r.Skip(); err != nil {
			return err
		}
	}
	return nil
}

// AppendMapHeader appends the header of a map of n pairs.
func AppendMapHeader(b []byte, n int) []byte {
	switch {
	case n <= 15:
		return append(b, 0x80|byte(n))
	case n <= math.MaxUint16:
		return binary.BigEndian.AppendUint16(append(b, 0xde), uint16(n))
	default:
		return binary.BigEndian.AppendUint32(append(b, 0xdf), uint32(n))
	}
}

// AppendString appends s as a string.
func AppendString(b []byte, s string) []byte {
	switch n := len(s); {
	case n <= 31:
		b = append(b, 0xa0|byte(n))
	case n <= math.MaxUint8:
		b = append(b, 0xd9, byte(n))
	case n <= math.MaxUint16:
		b = binary.BigEndian.AppendUint16(append(b, 0xda), uint16(n))
	default:
		b = binary.BigEndian.AppendUint32(append(b, 0xdb), uint32(n))
	}
	return append(b, s...)
}

// AppendInt appends n as a 64-bit signed integer.
func AppendInt(b []byte, n int64) []byte {
	return binary.BigEndian.AppendUint64(append(b, 0xd3), uint64(n))
}

// Bool reads a boolean.
func (r *Reader) Bool() (bool, error) {
	c, err := r.peek()
	if err != nil {
		return false, err
	}
	if c != 0xc2 && c != 0xc3 {
		return false, fmt.Errorf("msgpack: expected a boolean at offset %d, found 0x%02x", r.off, c)
	}
	r.off++
	return c == 0xc3, nil
}

// errNotInt is a number that is not a whole number within int64.
var errNotInt = errors.New("msgpack: not a whole number within 64 bits")

// Int reads a number that is a whole number within int64: Terraform writes such numbers as
// integers, others as floats or strings.
func (r *Reader) Int() (int64, error) {
	c, err := r.peek()
	if err != nil {
		return 0, err
	}
	switch {
	case c <= 0x7f:
		r.off++
		return int64(c), nil
	case c >= 0xe0:
		r.off++
		return int64(int8(c)), nil
	}
	start := r.off
	r.off++
	var v int64
	switch c {
	case 0xcc, 0xcd, 0xce, 0xcf:
		u, err := r.uint(1 << (c - 0xcc))
		if err != nil {
			return 0, err
		}
		if u > math.MaxInt64 {
			return 0, errNotInt
		}
		v = int64(u)
	case 0xd0, 0xd1, 0xd2, 0xd3:
		n := 1 << (c - 0xd0)
		u, err := r.uint(n)
		if err != nil {
			return 0, err
		}
		v = int64(u<<(64-8*n)) >> (64 - 8*n) // sign-extend
	case 0xca, 0xcb:
		var f float64
		if c == 0xca {
			u, err := r.uint(4)
			if err != nil {
				return 0, err
			}
			f = float64(math.Float32frombits(uint32(u)))
		} else {
			u, err := r.uint(8)
			if err != nil {
				return 0, err
			}
			f = math.Float64frombits(u)
		}
		if f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
			return 0, errNotInt
		}
		v = int64(f)
	default:
		r.off = start
		if c >= 0xa0 && c <= 0xbf || c == 0xd9 || c == 0xda || c == 0xdb {
			_ = r.Skip() // a number too large or too precise for a float, written as a string
			return 0, errNotInt
		}
		return 0, fmt.Errorf("msgpack: expected a number at offset %d, found 0x%02x", start, c)
	}
	return v, nil
}

// Float reads a number: Terraform writes whole numbers as integers, numbers a float64 holds
// exactly as floats, and others (such as 0.85) as their decimal text, which Float parses to the
// nearest float64.
func (r *Reader) Float() (float64, error) {
	c, err := r.peek()
	if err != nil {
		return 0, err
	}
	if c >= 0xa0 && c <= 0xbf || c == 0xd9 || c == 0xda || c == 0xdb {
		start := r.off
		s, err := r.String()
		if err != nil {
			return 0, err
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return 0, fmt.Errorf("msgpack: expected a number at offset %d, found the text %q", start, s)
		}
		return f, nil
	}
	if c == 0xca || c == 0xcb {
		r.off++
		if c == 0xca {
			u, err := r.uint(4)
			return float64(math.Float32frombits(uint32(u))), err
		}
		u, err := r.uint(8)
		return math.Float64frombits(u), err
	}
	if c == 0xcf {
		r.off++
		u, err := r.uint(8)
		return float64(u), err
	}
	v, err := r.Int()
	return float64(v), err
}
