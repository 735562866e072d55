// Package faqcsv renders and parses the CSV that Haptik's FAQ upload API takes,
// and holds the content rules that decide whether a node can be expressed in it.
//
// It has no I/O of its own and knows nothing of Terraform.
package faqcsv

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"sort"
	"strings"
)

// Header is the exact header row Haptik requires.
const Header = "node_name,question,answer"

// UserSaysSeparator joins a node's user says inside the question cell.
const UserSaysSeparator = "|"

// BotSaysSeparator joins a node's bot says inside the answer cell.
const BotSaysSeparator = "<m>"

// recordEnd ends every CSV record, as RFC 4180 prescribes.
const recordEnd = "\r\n"

// Node is one FAQ node: its unique name, what users say to reach it and what the bot answers.
type Node struct {
	Name     string
	UserSays []string
	BotSays  []string
}

// SortNodes orders nodes by name (byte order), the order in which they are rendered.
func SortNodes(nodes []Node) {
	sort.Slice(nodes, func(i, j int) bool { return nodes[i].Name < nodes[j].Name })
}

// Render writes the complete CSV for nodes to w: the header row, then one row per node in name
// order, HSL answers compacted (see Canonical). It does not check the content rules; call
// ValidateAll first.
func Render(w io.Writer, nodes []Node) error {
	sorted := make([]Node, len(nodes))
	copy(sorted, nodes)
	SortNodes(sorted)

	var b bytes.Buffer
	b.WriteString(Header)
	b.WriteString(recordEnd)
	for _, n := range sorted {
		writeCell(&b, n.Name)
		b.WriteByte(',')
		writeCell(&b, strings.Join(n.UserSays, UserSaysSeparator))
		b.WriteByte(',')
		writeCell(&b, joinBotSays(n.BotSays))
		b.WriteString(recordEnd)
		if b.Len() >= 64<<10 {
			if _, err := w.Write(b.Bytes()); err != nil {
				return err
			}
			b.Reset()
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// joinBotSays is the answer cell: the canonical bot says joined with the separator.
func joinBotSays(botSays []string) string {
	if len(botSays) == 1 {
		return Canonical(botSays[0])
	}
	parts := make([]string, len(botSays))
	for i, s := range botSays {
		parts[i] = Canonical(s)
	}
	return strings.Join(parts, BotSaysSeparator)
}

// RenderBytes returns the CSV that Render writes.
func RenderBytes(nodes []Node) []byte {
	// Sized up front: a buffer that doubles its way to a large CSV holds up to twice its size.
	size := len(Header) + len(recordEnd)
	for _, n := range nodes {
		size += len(n.Name) + len(recordEnd) + 8
		for _, s := range n.UserSays {
			size += len(s) + len(UserSaysSeparator)
		}
		for _, s := range n.BotSays {
			size += len(s) + len(BotSaysSeparator)
		}
	}
	b := bytes.NewBuffer(make([]byte, 0, size+size/32))
	_ = Render(b, nodes) // writing to a bytes.Buffer cannot fail
	return b.Bytes()
}

// SHA256 returns the lower-case hex SHA-256 of csv, the digest the provider records as content_sha256.
func SHA256(csv []byte) string {
	sum := sha256.Sum256(csv)
	return hex.EncodeToString(sum[:])
}

// writeCell writes one RFC 4180 field, quoted when it holds a comma, a double quote, a line break
// or leading or trailing space (which some readers would otherwise trim).
func writeCell(b *bytes.Buffer, s string) {
	if !needsQuotes(s) {
		b.WriteString(s)
		return
	}
	b.WriteByte('"')
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i+1])
		b.WriteByte('"')
		s = s[i+1:]
	}
	b.WriteByte('"')
}

func needsQuotes(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == ' ' || s[0] == '\t' || s[len(s)-1] == ' ' || s[len(s)-1] == '\t' {
		return true
	}
	return strings.ContainsAny(s, ",\"\r\n")
}
