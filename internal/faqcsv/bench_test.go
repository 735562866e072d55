package faqcsv

import (
	"fmt"
	"io"
	"testing"
)

// benchNodes builds n nodes shaped like a real bot's: 3 user says, 2 bot says, one of them HSL.
func benchNodes(n int) []Node {
	nodes := make([]Node, n)
	for i := range nodes {
		nodes[i] = Node{
			Name:     fmt.Sprintf("node_%06d", i),
			UserSays: []string{fmt.Sprintf("How do I do thing %d?", i), fmt.Sprintf("thing %d help", i), fmt.Sprintf("I need help with %d, \"now\"", i)},
			BotSays: []string{fmt.Sprintf("Here is how to do thing %d:\nstep one, step two.", i),
				`{"type":"TEXT","text":"More?","data":{"quick_replies":[{"actionable_text":"Yes","is_default":0,"type":"TEXT_ONLY","payload":{"message":"Yes","gogo_message":""}}]}}`},
		}
	}
	return nodes
}

func BenchmarkRender(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		nodes := benchNodes(n)
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
		nodes := benchNodes(n)
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
		csv := string(RenderBytes(benchNodes(n)))
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
		nodes := benchNodes(n)
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
