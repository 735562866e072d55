package faqdomain

import (
	"errors"
	"fmt"
	"sort"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
	"github.com/faqops/terraform-provider-haptik/internal/tfmsgpack"
)

// The nodes are read from the encoding in place: their strings point into the bytes Terraform
// sent, so a plan or an apply of 100,000 nodes holds little more than the request itself.

var errUnknownNodes = errors.New("the nodes are still unknown")

// readNodes reads the nodes map (null reads as no nodes). It returns errUnknownNodes when
// anything in it is still unknown. Terraform writes map keys sorted (terraform-plugin-go does
// not), and faqcsv renders in name order either way.
func readNodes(r *tfmsgpack.Reader) ([]faqcsv.Node, error) {
	if r.IsNil() {
		return nil, nil
	}
	if r.IsUnknown() {
		return nil, errUnknownNodes
	}
	n, err := r.MapLen()
	if err != nil {
		return nil, err
	}
	nodes := make([]faqcsv.Node, n)
	for i := range nodes {
		name, err := r.Bytes()
		if err != nil {
			return nil, err
		}
		nodes[i].Name = tfmsgpack.InPlace(name)
		if r.IsUnknown() || r.IsNil() {
			return nil, errUnknownNodes // not renderable yet (a null node fails validation)
		}
		fields, err := r.MapLen()
		if err != nil {
			return nil, fmt.Errorf("node %q: %w", name, err)
		}
		for range fields {
			key, err := r.Bytes()
			if err != nil {
				return nil, err
			}
			var list *[]string
			switch string(key) {
			case "user_says":
				list = &nodes[i].UserSays
			case "bot_says":
				list = &nodes[i].BotSays
			default:
				if err := r.Skip(); err != nil {
					return nil, err
				}
				continue
			}
			if *list, err = readStrings(r); err != nil {
				return nil, fmt.Errorf("node %q, %s: %w", name, key, err)
			}
		}
	}
	return nodes, nil
}

// ReadNodes reads a nodes value as Terraform encodes it (a map of objects with user_says and
// bot_says, as a function argument carries it), refusing null and unknown values anywhere in it.
// The strings point into b.
func ReadNodes(b []byte) ([]faqcsv.Node, error) {
	r := tfmsgpack.NewReader(b)
	if r.IsNil() {
		return nil, errors.New("the nodes value is null")
	}
	nodes, err := readNodes(r)
	if err != nil {
		return nil, err
	}
	if !r.Done() {
		return nil, fmt.Errorf("msgpack: %d bytes after the nodes value", len(b)-r.Offset())
	}
	for _, n := range nodes {
		if n.UserSays == nil || n.BotSays == nil { // a null list; an empty one reads as empty
			return nil, fmt.Errorf("node %q has a null user_says or bot_says", n.Name)
		}
	}
	return nodes, nil
}

// readStrings reads a list of strings (null reads as nil).
func readStrings(r *tfmsgpack.Reader) ([]string, error) {
	if r.IsNil() {
		return nil, nil
	}
	if r.IsUnknown() {
		return nil, errUnknownNodes
	}
	n, err := r.ArrayLen()
	if err != nil {
		return nil, err
	}
	ss := make([]string, n)
	for i := range ss {
		if r.IsUnknown() {
			return nil, errUnknownNodes
		}
		b, err := r.Bytes()
		if err != nil {
			return nil, err
		}
		ss[i] = tfmsgpack.InPlace(b)
	}
	return ss, nil
}

// nodeNames is the sorted names of the nodes map of o; nil when the map is null or unknown.
func nodeNames(o tfmsgpack.Object) ([]string, error) {
	entries, _, err := tfmsgpack.MapEntries(o.Raw(AttrNodes))
	if err != nil {
		return nil, err
	}
	return sortedKeys(entries), nil
}

func sortedKeys(m map[string][]byte) []string {
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
