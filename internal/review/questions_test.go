package review

import "testing"

// The review compares user says as the content rules do: full case folding, invisible
// characters ignored (strings.ToLower kept "STRASSE" and "straße" apart).
func TestQuestionKeyIsTheRulesKey(t *testing.T) {
	for _, c := range [][2]string{{"STRASSE", "straße"}, {"re\u200bset  Password", "reset password"}} {
		if questionKey(c[0]) != questionKey(c[1]) {
			t.Errorf("questionKey(%q) != questionKey(%q)", c[0], c[1])
		}
	}
}
