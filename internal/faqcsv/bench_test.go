package faqcsv

import (
	"fmt"
	"io"
	"testing"
)

func BenchmarkRender(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		nodes := SampleNodes(n)
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := Render(io.Discard, nodes); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/node")
		})
	}
}

func BenchmarkValidate(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		nodes := SampleNodes(n)
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for _, node := range nodes {
					if ps := Validate(node); len(ps) != 0 {
						b.Fatal(ps)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/node")
		})
	}
}

func BenchmarkParse(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		csv := string(RenderBytes(SampleNodes(n)))
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(csv)))
			for b.Loop() {
				if _, err := ParseRows(csv); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/node")
		})
	}
}

// BenchmarkValidateAll includes the rules across nodes (shared user says, case twins).
func BenchmarkValidateAll(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		nodes := SampleNodes(n)
		b.Run(fmt.Sprintf("nodes=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if ps := ValidateAll(nodes); hasErrors(ps) {
					b.Fatal(ps)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/node")
		})
	}
}

// BenchmarkValidateText is ValidateAll on plain-text nodes, without the HSL whose decoding
// dominates BenchmarkValidateAll: ASCII, and scripts for which the Unicode rules leave their
// ASCII fast paths.
func BenchmarkValidateText(b *testing.B) {
	const n = 10_000
	for _, script := range []struct{ name, name1, name2, says, bot string }{
		{"ascii", "reset_password_%d", "Reset Password %d", "how do I reset it %d", "Open Settings, then Security %d.\nTap Reset."},
		{"greek", "επαναφορά_κωδικού_%d", "Επαναφορά Κωδικού %d", "πώς αλλάζω τον κωδικό %d", "Ανοίξτε τις Ρυθμίσεις %d.\nΠατήστε Επαναφορά."},
		{"hindi", "पासवर्ड_रीसेट_%d", "पासवर्ड रीसेट %d", "मैं अपना पासवर्ड %d कैसे बदलूं", "सेटिंग्स %d खोलें।\nरीसेट दबाएँ।"},
	} {
		nodes := make([]Node, n)
		for i := range nodes {
			nodes[i] = Node{
				Name:     fmt.Sprintf(script.name1, i),
				UserSays: []string{fmt.Sprintf(script.name2, i), fmt.Sprintf(script.says, i), fmt.Sprintf(script.says+"?", i)},
				BotSays:  []string{fmt.Sprintf(script.bot, i)},
			}
		}
		b.Run("script="+script.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if ps := ValidateAll(nodes); len(ps) != 0 {
					b.Fatal(ps[0])
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/node")
		})
	}
}
