package faqcsv

// UserSaysKey is the form in which two user says count as the same under the content rules (a
// user says repeated in a node, or shared by two): invisible characters dropped, runs of
// whitespace as one space with none at either end, and letter case folded. "Reset  Password" and
// "reset password" have one key.
func UserSaysKey(s string) string {
	var f folder
	return f.key(s, scan(s))
}

// SameBotSays reports whether two bot says send the same message: the same text, or HSL JSON
// with the same content however it is formatted (see EquivalentHSL).
func SameBotSays(a, b string) bool { return a == b || EquivalentHSL(a, b) }
