package faqcsv

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"
	"strings"
	"unicode/utf8"
)

// HSL (Haptik's rich-message JSON) as documented: strict only about structure that is certainly
// wrong, warnings for values Haptik does not document. Haptik's own samples are loose (numbers as
// strings, a missing "text"), so nothing beyond this is required.

var (
	hslTypes         = set("TEXT", "BUTTON", "CAROUSEL")
	actionableURIs   = set("", "CAROUSEL_DETAIL", "GALLERY_PICKER", "SEND_LOCATION", "CAROUSEL_DEFAULT", "SAVED_ADDRESSES", "CALL", "LINK", "SEND_MULTIPLE_LOCATIONS", "LAUNCH_CHANNEL", "SELF_SERVE_WEB")
	actionableTypes  = set("APP_ACTION", "MESSAGE_BAR", "TEXT", "TEXT_ONLY", "TAB_LIST_TEXT_ONLY", "FORM_SHOW", "SHARE_RECEIPT", "APP_FEEDBACK", "SHARE_REFERRAL", "SHARE")
	carouselWidths   = set("THIN", "MEDIUM", "FAT", "BIG")
	isDefaultAllowed = set("0", "1", "true", "false")

	// The keys Haptik documents for each kind of object; a key close to one of them is taken for a typo.
	quickReplyKeys   = []string{"actionable_text", "is_default", "type", "payload"}
	actionableKeys   = []string{"actionable_text", "location_required", "is_default", "uri", "type", "payload"}
	carouselItemKeys = []string{"thumbnail", "title", "sub_title", "description", "actionables", "mini_actionable"}
)

func set(vs ...string) map[string]bool {
	m := make(map[string]bool, len(vs))
	for _, v := range vs {
		m[v] = true
	}
	return m
}

func keys(m map[string]bool) string {
	out := make([]string, 0, len(m))
	for k := range m {
		if k != "" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// IsHSL reports whether a bot says is meant as HSL: it starts with "{" after whitespace.
func IsHSL(s string) bool {
	return strings.HasPrefix(strings.TrimLeft(s, " \t\r\n"), "{")
}

// Canonical is the form in which a bot says is uploaded: HSL JSON compacted (key order kept),
// anything else unchanged.
func Canonical(botSays string) string {
	if !IsHSL(botSays) {
		return botSays
	}
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(botSays)); err != nil {
		return botSays
	}
	return b.String()
}

// EquivalentHSL reports whether a and b are both HSL JSON objects with the same content,
// regardless of whitespace and key order.
func EquivalentHSL(a, b string) bool {
	if !IsHSL(a) || !IsHSL(b) {
		return false
	}
	va, errA := decodeJSON(a)
	vb, errB := decodeJSON(b)
	return errA == nil && errB == nil && reflect.DeepEqual(va, vb)
}

// decodeJSON decodes exactly one JSON value, keeping numbers as written. A syntax error is a
// *jsonSyntaxError, which says where in s it is.
func decodeJSON(s string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		var syntax *json.SyntaxError
		switch {
		case errors.As(err, &syntax) && syntax.Offset > 0:
			// Offset counts the bytes read, the offending one included.
			return nil, &jsonSyntaxError{msg: err.Error(), offset: int(syntax.Offset) - 1}
		case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
			return nil, &jsonSyntaxError{msg: "the JSON object is not closed", offset: len(s)}
		}
		return nil, err
	}
	end := int(dec.InputOffset())
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		rest := strings.TrimLeft(s[end:], " \t\r\n")
		return nil, &jsonSyntaxError{msg: "unexpected data after the JSON object", offset: len(s) - len(rest)}
	}
	return v, nil
}

// jsonSyntaxError is invalid JSON at a byte offset of the answer.
type jsonSyntaxError struct {
	msg    string
	offset int
}

func (e *jsonSyntaxError) Error() string { return e.msg }

// syntaxDetail says what is wrong with the JSON s and where, with the text around that place:
// `invalid character '}' looking for beginning of object key string at byte offset 16: after
// "{\"type\": \"TEXT\"," comes "}"`.
func syntaxDetail(s string, err error) string {
	var se *jsonSyntaxError
	if !errors.As(err, &se) || se.offset < 0 || se.offset > len(s) {
		return err.Error()
	}
	const before, after = 24, 16
	start := se.offset - before
	prefix := "…"
	if start <= 0 {
		start, prefix = 0, ""
	}
	for start > 0 && !utf8.RuneStart(s[start]) {
		start--
	}
	head := prefix + s[start:se.offset]
	if se.offset == len(s) {
		return fmt.Sprintf("%s: the answer ends at byte offset %d, after %q", se.msg, se.offset, head)
	}
	end, suffix := se.offset+after, "…"
	if end >= len(s) {
		end, suffix = len(s), ""
	}
	for end < len(s) && !utf8.RuneStart(s[end]) {
		end++
	}
	return fmt.Sprintf("%s at byte offset %d: after %q comes %q", se.msg, se.offset, head, s[se.offset:end]+suffix)
}

type hslProblem struct {
	warning         bool
	summary, detail string
}

// hslCheck collects the problems of one HSL object.
type hslCheck struct{ ps []hslProblem }

func (h *hslCheck) fail(summary, format string, args ...any) {
	h.ps = append(h.ps, hslProblem{summary: summary, detail: fmt.Sprintf(format, args...)})
}

func (h *hslCheck) warn(summary, format string, args ...any) {
	h.ps = append(h.ps, hslProblem{warning: true, summary: summary, detail: fmt.Sprintf(format, args...)})
}

func checkHSL(s string) []hslProblem {
	h := &hslCheck{}
	v, err := decodeJSON(s)
	if err != nil {
		h.fail("Invalid HSL JSON", "The answer starts with \"{\", so it is read as HSL JSON, but it is not valid JSON: "+
			"%s. Write it with jsonencode(), or start plain text with another character.", syntaxDetail(s, err))
		return h.ps
	}
	obj, ok := v.(map[string]any)
	if !ok {
		h.fail("Invalid HSL JSON", "The answer starts with \"{\" but is not a single JSON object; an HSL answer is one object.")
		return h.ps
	}
	h.typos("object", obj, "type", "text", "data")
	typ, ok := obj["type"].(string)
	if !ok {
		h.fail("HSL Without Type", "The HSL object needs a string \"type\" (TEXT, BUTTON or CAROUSEL); add it.")
		return h.ps
	}
	if t, ok := obj["text"]; ok {
		if _, isString := t.(string); !isString {
			h.warn("Unexpected HSL Value", "The HSL \"text\" is not a string; Haptik shows text messages as strings.")
		}
	}
	var data map[string]any
	if d, ok := obj["data"]; ok {
		if data, ok = d.(map[string]any); !ok {
			h.fail("Invalid HSL Structure", "The HSL \"data\" must be a JSON object.")
			return h.ps
		}
	}
	switch typ {
	case "TEXT":
		h.textData(data)
	case "BUTTON":
		h.typos("BUTTON \"data\"", data, "items")
		for i, item := range h.items(typ, data) {
			h.actionable(fmt.Sprintf("data.items[%d]", i), item)
		}
	case "CAROUSEL":
		h.carousel(data)
	default:
		h.warn("Unknown HSL Type", "The HSL type %q is not one Haptik documents (%s);%s", typ, keys(hslTypes),
			didYouMean(typ, hslTypes))
	}
	return h.ps
}

func (h *hslCheck) textData(data map[string]any) {
	h.typos("TEXT \"data\"", data, "quick_replies")
	qrs, ok := data["quick_replies"]
	if !ok {
		return
	}
	list, ok := qrs.([]any)
	if !ok {
		h.fail("Invalid HSL Structure", "The HSL TEXT \"data.quick_replies\" must be a list.")
		return
	}
	for i, qr := range list {
		at := fmt.Sprintf("data.quick_replies[%d]", i)
		m := h.object(at, qr)
		if m == nil {
			continue
		}
		h.typos(at, m, quickReplyKeys...)
		h.label(at, m)
		if payload, ok := m["payload"].(map[string]any); !ok {
			h.fail("Incomplete HSL Quick Reply", "The quick reply %s needs a \"payload\" object with the \"message\" "+
				"sent when it is tapped; add it.", at)
		} else if _, ok := payload["message"].(string); !ok {
			h.fail("Incomplete HSL Quick Reply", "The quick reply %s needs \"payload.message\", the message sent when "+
				"it is tapped; add it.", at)
		}
		h.enum(at+".type", m["type"], actionableTypes)
		h.isDefault(at, m)
	}
}

func (h *hslCheck) carousel(data map[string]any) {
	h.typos("CAROUSEL \"data\"", data, "width", "items")
	if w, ok := data["width"]; ok {
		h.enum("data.width", w, carouselWidths)
	}
	for i, item := range h.items("CAROUSEL", data) {
		at := fmt.Sprintf("data.items[%d]", i)
		h.typos(at, item, carouselItemKeys...)
		thumb, _ := item["thumbnail"].(map[string]any)
		if _, ok := thumb["image"].(string); !ok {
			h.fail("Incomplete HSL Carousel Item", "The carousel item %s needs \"thumbnail.image\", the URL of its "+
				"image; add it.", at)
		}
		if acts, ok := item["actionables"]; ok {
			list, ok := acts.([]any)
			if !ok {
				h.fail("Invalid HSL Structure", "The carousel item's %s.actionables must be a list.", at)
				continue
			}
			for j, a := range list {
				aat := fmt.Sprintf("%s.actionables[%d]", at, j)
				if m := h.object(aat, a); m != nil {
					h.actionable(aat, m)
				}
			}
		}
	}
}

// items returns data.items as objects, reporting a missing, empty or malformed list.
func (h *hslCheck) items(typ string, data map[string]any) []map[string]any {
	list, ok := data["items"].([]any)
	if !ok || len(list) == 0 {
		h.fail("Incomplete HSL "+strings.ToUpper(typ[:1])+strings.ToLower(typ[1:]),
			"An HSL %s needs a non-empty \"data.items\" list; add its items.", typ)
		return nil
	}
	var out []map[string]any
	for i, it := range list {
		if m := h.object(fmt.Sprintf("data.items[%d]", i), it); m != nil {
			out = append(out, m)
		}
	}
	return out
}

func (h *hslCheck) object(at string, v any) map[string]any {
	m, ok := v.(map[string]any)
	if !ok {
		h.fail("Invalid HSL Structure", "The HSL %s must be a JSON object.", at)
	}
	return m
}

func (h *hslCheck) label(at string, m map[string]any) {
	if s, ok := m["actionable_text"].(string); !ok || strings.TrimSpace(s) == "" {
		h.fail("Incomplete HSL Button", "The HSL %s needs \"actionable_text\", the label users see; add it.", at)
	}
}

func (h *hslCheck) actionable(at string, m map[string]any) {
	h.typos(at, m, actionableKeys...)
	h.label(at, m)
	if u, ok := m["uri"]; ok {
		h.enum(at+".uri", u, actionableURIs)
	}
	h.enum(at+".type", m["type"], actionableTypes)
	h.isDefault(at, m)
}

// enum warns when a present value is not one Haptik documents.
func (h *hslCheck) enum(at string, v any, known map[string]bool) {
	if v == nil {
		return
	}
	s, ok := v.(string)
	if !ok || !known[s] {
		h.warn("Unknown HSL Value", "The HSL %s is %v, which Haptik does not document (%s);%s", at, jsonText(v),
			keys(known), didYouMean(s, known))
	}
}

func (h *hslCheck) isDefault(at string, m map[string]any) {
	v, ok := m["is_default"]
	if !ok {
		return
	}
	if !isDefaultAllowed[strings.Trim(jsonText(v), `"`)] {
		h.warn("Unknown HSL Value", "The HSL %s.is_default is %s; Haptik uses 0 or 1.", at, jsonText(v))
	}
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TextHSL returns the compact HSL JSON of a TEXT answer with a quick-reply button for each reply,
// in the shape of Haptik's own samples.
func TextHSL(text string, quickReplies []string) string {
	type payload struct {
		Message     string `json:"message"`
		GogoMessage string `json:"gogo_message"`
	}
	type quickReply struct {
		ActionableText string  `json:"actionable_text"`
		IsDefault      int     `json:"is_default"`
		Type           string  `json:"type"`
		Payload        payload `json:"payload"`
	}
	msg := struct {
		Type string `json:"type"`
		Text string `json:"text"`
		Data struct {
			QuickReplies []quickReply `json:"quick_replies"`
		} `json:"data"`
	}{Type: "TEXT", Text: text}
	msg.Data.QuickReplies = make([]quickReply, len(quickReplies))
	for i, q := range quickReplies {
		msg.Data.QuickReplies[i] = quickReply{ActionableText: q, Type: "TEXT_ONLY", Payload: payload{Message: q}}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(msg) // only strings and ints: cannot fail
	return strings.TrimSuffix(b.String(), "\n")
}

// DecodeHSL decodes an HSL answer as the content rules read it: exactly one JSON object, numbers
// kept as written.
func DecodeHSL(s string) (map[string]any, error) {
	v, err := decodeJSON(s)
	if err != nil {
		return nil, err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("not a JSON object")
	}
	return obj, nil
}
