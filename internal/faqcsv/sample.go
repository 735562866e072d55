package faqcsv

import "fmt"

// SampleNodes is n nodes shaped like a real bot's, in name order: node_000000, node_000001, ...,
// each with 3 user says and 2 bot says, the second an HSL text answer with a quick reply. Every
// benchmark (these, the provider's plan RPCs, make bench's plans, renders and applies) uses it,
// so their figures describe the same content.
func SampleNodes(n int) []Node {
	nodes := make([]Node, n)
	for i := range nodes {
		nodes[i] = Node{
			Name:     fmt.Sprintf("node_%06d", i),
			UserSays: []string{fmt.Sprintf("How do I do thing %d?", i), fmt.Sprintf("thing %d help", i), fmt.Sprintf("help with %d", i)},
			BotSays:  []string{fmt.Sprintf("Here is how to do thing %d.", i), TextHSL(fmt.Sprintf("More on %d?", i), []string{"Yes"})},
		}
	}
	return nodes
}
