package faqcsv

import "testing"

func TestDecodeHSL(t *testing.T) {
	obj, err := DecodeHSL(`{"type":"TEXT","text":"hi","n":1.50}`)
	if err != nil || obj["text"] != "hi" || obj["n"].(interface{ String() string }).String() != "1.50" {
		t.Errorf("got %v, %v", obj, err)
	}
	for _, bad := range []string{`{`, `[1]`, `{"a":1} {}`, `"x"`} {
		if _, err := DecodeHSL(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
