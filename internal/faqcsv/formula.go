package faqcsv

import (
	"unicode"
	"unicode/utf8"
)

// Spreadsheet formulas ("CSV injection"): content teams open Haptik's CSV exports in spreadsheets,
// which read a cell that starts with "=", "+", "-" or "@" as a formula and run it. Content is
// uploaded as written (escaping it would change what the bot says); the rules only warn.
//
// "=" and "@" always start a formula in Excel ("@" is its implicit-intersection operator, and a
// text such as "@support" shows as #NAME?). "+" and "-" start ordinary text too, so they warn only
// when a formula follows at once, with no space: a function call or DDE link ("+SUM(", "-cmd|"),
// a sheet or cell reference followed by an operator ("+Sheet1!A1", "-A1*2"), or arithmetic
// ("-1+2", "+(3"). A bullet ("- step one"), a phone number written with spaces ("+91 98765 43210"),
// a signed number ("-5", "+44") or a word ("-ish") is left alone. A phone number written with
// hyphens ("+91-98765-43210") is arithmetic to a spreadsheet, which shows a negative number in its
// place, and warns. A sign followed at once by "@" ("-@SUM(A1)", "+@x") is a formula too.
//
// A spreadsheet drops a leading tab or carriage return before it reads a formula, so text that
// starts with tabs or carriage returns and then any of the above warns as well ("\t=1+1",
// "\r@x"). Spaces are kept, so " =1+1" is text.

// startsFormula reports whether a spreadsheet would read s as a formula.
func startsFormula(s string) bool {
	s = s[formulaPrefix(s):]
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '@':
		return true
	case '+', '-':
		return len(s) > 1 && s[1] == '@' || formulaLike(s[1:]) > 0
	}
	return false
}

// formulaPrefix is the length of the tabs and carriage returns at the start of s, which a
// spreadsheet skips before it reads a formula.
func formulaPrefix(s string) int {
	i := 0
	for i < len(s) && (s[i] == '\t' || s[i] == '\r') {
		i++
	}
	return i
}

// formulaShown is the start of s that a message quotes: any leading tabs and carriage returns,
// then up to the first space, at most 24 bytes.
func formulaShown(s string) string {
	p := formulaPrefix(s)
	end := len(s)
	for i, r := range s[p:] {
		if unicode.IsSpace(r) {
			end = p + i
			break
		}
		if i+utf8.RuneLen(r) > 24 {
			return s[:p+i] + "…"
		}
	}
	return s[:end]
}

// formulaLike returns the length of the formula at the start of s (what follows a leading sign),
// or 0 when s does not start with one.
func formulaLike(s string) int {
	switch {
	case s == "":
		return 0
	case s[0] == '(':
		if len(s) > 1 && (isDigit(s[1]) || s[1] == '(') {
			return 2
		}
		return 0
	case isDigit(s[0]):
		return arithmetic(s)
	}
	n := identLen(s)
	if n == 0 || n == len(s) {
		return cellRefEnd(s)
	}
	switch s[n] {
	case '(', '|': // a function call, or a DDE link such as cmd|' /C calc'!A0
		return n + 1
	case '!': // a sheet reference such as Sheet1!A1
		if m := cellRefLen(s[n+1:]); m > 0 {
			return n + 1 + m
		}
		return 0
	}
	return cellRefEnd(s)
}

// arithmetic returns the length of a number, an operator and the start of an operand at the
// start of s ("1+2", "2.5*x"), or 0.
func arithmetic(s string) int {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i+1 < len(s) && s[i] == '.' && isDigit(s[i+1]) {
		for i++; i < len(s) && isDigit(s[i]); i++ {
		}
	}
	if i+1 < len(s) && isOperator(s[i]) && isOperandStart(s[i+1]) {
		return i + 2
	}
	return 0
}

// cellRefEnd returns the length of the cell reference (A1, $B$2) at the start of s, and of the
// operator or range colon after it, when s ends there or has one; otherwise 0.
func cellRefEnd(s string) int {
	m := cellRefLen(s)
	if m == 0 {
		return 0
	}
	switch {
	case m == len(s):
		return m
	case isOperator(s[m]) || s[m] == ':':
		return m + 1
	}
	return 0
}

// cellRefLen returns the length of the cell reference at the start of s: one to three letters and
// one to seven digits, each optionally after "$"; 0 if there is none.
func cellRefLen(s string) int {
	i := 0
	if i < len(s) && s[i] == '$' {
		i++
	}
	letters := i
	for i < len(s) && i-letters < 4 && isLetter(s[i]) {
		i++
	}
	if i == letters || i-letters > 3 {
		return 0
	}
	if i < len(s) && s[i] == '$' {
		i++
	}
	digits := i
	for i < len(s) && i-digits < 8 && isDigit(s[i]) {
		i++
	}
	if i == digits || i-digits > 7 || (i < len(s) && (isLetter(s[i]) || isDigit(s[i]) || s[i] == '_')) {
		return 0
	}
	return i
}

// identLen returns the length of the name (a letter or "_", then letters, digits, "_" and ".") at
// the start of s, 0 if there is none.
func identLen(s string) int {
	if s == "" || (!isLetter(s[0]) && s[0] != '_') {
		return 0
	}
	i := 1
	for i < len(s) && (isLetter(s[i]) || isDigit(s[i]) || s[i] == '_' || s[i] == '.') {
		i++
	}
	return i
}

func isDigit(b byte) bool  { return '0' <= b && b <= '9' }
func isLetter(b byte) bool { return ('a' <= b && b <= 'z') || ('A' <= b && b <= 'Z') }
func isOperator(b byte) bool {
	return b == '+' || b == '-' || b == '*' || b == '/' || b == '^' || b == '&'
}
func isOperandStart(b byte) bool {
	return isDigit(b) || isLetter(b) || b == '(' || b == '$' || b == '.'
}
