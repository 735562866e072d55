package faqcsv

import "testing"

func TestUserSaysKey(t *testing.T) {
	same := [][2]string{
		{"Reset Password", "reset password"},
		{"reset  password ", " reset\tpassword"},
		{"reset\u200bpassword", "resetpassword"},
		{"STRASSE", "straße"},
		{"पासवर्ड रीसेट", "पासवर्ड  रीसेट"},
	}
	for _, p := range same {
		if UserSaysKey(p[0]) != UserSaysKey(p[1]) {
			t.Errorf("%q and %q have different keys", p[0], p[1])
		}
	}
	for _, p := range [][2]string{{"reset password", "reset passwords"}, {"पासवर्ड", "पासवड"}, {"a b", "ab"}} {
		if UserSaysKey(p[0]) == UserSaysKey(p[1]) {
			t.Errorf("%q and %q have one key", p[0], p[1])
		}
	}
}

func TestSameBotSays(t *testing.T) {
	for _, p := range [][2]string{
		{"Hello", "Hello"},
		{`{"type":"TEXT","text":"Hi","data":{"quick_replies":[]}}`, "{\n  \"data\": {\"quick_replies\": []},\n  \"text\": \"Hi\",\n  \"type\": \"TEXT\"\n}"},
	} {
		if !SameBotSays(p[0], p[1]) {
			t.Errorf("%q and %q are not the same bot says", p[0], p[1])
		}
	}
	for _, p := range [][2]string{
		{"Hello", "hello"},
		{"Hello", "Hello "},
		{`{"type":"TEXT","text":"Hi"}`, `{"type":"TEXT","text":"Hi!"}`},
		{`{"type":"TEXT"`, `{"type":"TEXT" `},
	} {
		if SameBotSays(p[0], p[1]) {
			t.Errorf("%q and %q are the same bot says", p[0], p[1])
		}
	}
}
