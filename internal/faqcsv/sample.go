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

// sampleVerbs, sampleNouns and sampleFrames make the questions of QuestionNodes.
var (
	sampleVerbs = []string{"cancel", "change", "update", "reset", "track", "return", "renew", "activate",
		"close", "open", "transfer", "pay", "refund", "book", "upgrade", "download", "verify", "add",
		"remove", "check", "find", "replace", "report", "block", "unlock", "apply for", "sign up for",
		"log in to", "delete", "share"}
	sampleNouns = []string{"account", "order", "password", "card", "subscription", "plan", "address",
		"delivery", "invoice", "payment", "refund", "ticket", "booking", "profile", "email", "phone number",
		"wallet", "coupon", "voucher", "warranty", "mattress", "pillow", "policy", "claim", "loan", "bill",
		"statement", "pin", "app", "device", "router", "sim", "balance", "reward points", "membership",
		"appointment", "prescription", "insurance", "contract", "package", "shipment", "cart", "gift card",
		"kyc", "bank account", "emi", "debit card", "credit limit", "nominee", "pan card"}
	sampleFrames = []string{"how do i %s my %s %s", "can i %s the %s %s online", "i want to %s my %s %s",
		"steps to %s %s %s", "unable to %s my %s %s", "is it possible to %s a %s %s today",
		"where can i %s my %s %s", "help me %s the %s %s please", "what is the fee to %s my %s %s",
		"why can't i %s my %s %s"}
	sampleSyllables = []string{"ka", "zo", "ri", "mex", "ta", "lu", "vo", "ne", "sa", "dri", "po", "len",
		"qu", "ix", "be", "tor"}
)

// QuestionNodes is n nodes whose user says read like customers' questions: each node is a
// product (a made-up name) and a topic (a common FAQ noun), asked about in 3 differently worded
// questions, so nodes share words with many others, as a real bot's do, and no two nodes share a
// user says. Deterministic; for the benchmarks of matching and of the competing-questions check.
func QuestionNodes(n int) []Node {
	nodes := make([]Node, n)
	for i := range nodes {
		noun := sampleNouns[i%len(sampleNouns)]
		// The product name is unique per block of len(sampleNouns) nodes: two syllables per digit
		// of i/len(sampleNouns) in base len(sampleSyllables).
		product := ""
		for p := i / len(sampleNouns); ; p /= len(sampleSyllables) {
			product += sampleSyllables[p%len(sampleSyllables)]
			if p < len(sampleSyllables) {
				break
			}
		}
		says := make([]string, 3)
		for j := range says {
			h := uint(i)*2654435761 + uint(j)*40503
			verb := sampleVerbs[(h>>7)%uint(len(sampleVerbs))]
			says[j] = fmt.Sprintf(sampleFrames[(uint(i)+uint(j)*3)%uint(len(sampleFrames))], verb, product, noun)
		}
		nodes[i] = Node{
			Name:     fmt.Sprintf("node_%06d", i),
			UserSays: says,
			BotSays:  []string{fmt.Sprintf("Here is how to do that with your %s %s.", product, noun), TextHSL("Anything else?", []string{"Yes"})},
		}
	}
	return nodes
}
