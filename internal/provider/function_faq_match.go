package provider

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
	"github.com/faqops/terraform-provider-haptik/internal/faqmatch"
)

var _ function.Function = faqMatchFunction{}

type faqMatchFunction struct{}

func newFAQMatchFunction() function.Function { return faqMatchFunction{} }

var matchResultAttrTypes = map[string]attr.Type{
	"node":            types.StringType,
	"score":           types.Float64Type,
	"runner_up":       types.StringType,
	"runner_up_score": types.Float64Type,
}

func (faqMatchFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "faq_match"
}

func (faqMatchFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Which FAQ node a customer's question most likely reaches, by the provider's offline matcher",
		MarkdownDescription: "Ranks the nodes for a question by the words it shares with each node's user says " +
			"(BM25 retrieval, with the content rules' case folding, words or character bigrams for every script, light " +
			"English stemming, character n-grams for misspellings and a score per node over all its user says) and " +
			"returns an object: `node`, the best node's name; `score`, its score from 0 to 1; `runner_up` and " +
			"`runner_up_score`, the second best. A node whose score is below " + fmt.Sprintf("%.2f", faqmatch.Floor) +
			" is `null` (the question reaches no node), but its score is still returned. Use it in `terraform test` " +
			"to keep a test set of questions and the nodes they should reach, offline, with no credentials.\n\n" +
			"**This is an approximation of Haptik's language model, not a promise.** Haptik's model also understands " +
			"synonyms and paraphrases that share no words, and Haptik retrains it; a question can reach another node in " +
			"the live bot. Treat a changed answer as a reason to look, not as proof.\n\n" +
			"The same nodes and question always give the same result. The index of the nodes is built once per provider " +
			"process and reused by every call with the same user says (it is keyed by a hash of the node names and user " +
			"says), so a test set of hundreds of questions against one domain builds it once.",
		Parameters: []function.Parameter{
			function.MapParameter{
				Name:                "nodes",
				ElementType:         types.ObjectType{AttrTypes: nodeAttrTypes},
				MarkdownDescription: "FAQ nodes keyed by node name, in the shape of `haptik_faq_domain.nodes`.",
			},
			function.StringParameter{
				Name:                "question",
				MarkdownDescription: "A customer's question, as typed.",
			},
		},
		Return: function.ObjectReturn{AttributeTypes: matchResultAttrTypes},
	}
}

func (faqMatchFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	// Read into attr.Value: the framework hands the value over as it is, where a types.Map target
	// would convert the whole nodes value twice more, which costs most of a call at 10,000 nodes.
	var nodesValue attr.Value
	var question string
	resp.Error = function.ConcatFuncErrors(req.Arguments.Get(ctx, &nodesValue, &question))
	if resp.Error != nil {
		return
	}
	ns, known := nodesFromMap(nodesValue.(types.Map)) // a MapParameter's value is a types.Map
	if !known {
		resp.Error = function.NewArgumentFuncError(0, "every node needs user_says and bot_says lists without null values")
		return
	}
	r := matchIndexes.get(ns).Match(question)
	name := func(s string) types.String {
		if s == "" {
			return types.StringNull()
		}
		return types.StringValue(s)
	}
	// Four decimals: enough to compare, and the same on every machine.
	score := func(f float64) types.Float64 { return types.Float64Value(math.Round(f*1e4) / 1e4) }
	resp.Error = function.ConcatFuncErrors(resp.Result.Set(ctx, types.ObjectValueMust(matchResultAttrTypes, map[string]attr.Value{
		"node": name(r.Node), "score": score(r.Score), "runner_up": name(r.RunnerUp), "runner_up_score": score(r.RunnerUpScore),
	})))
}

// indexCache keeps the matcher's indexes of the last few node sets a provider process was asked
// about, keyed by a hash of the node names and user says (bot says do not change the ranking):
// Terraform calls faq_match once per question, each call with the whole nodes value, and building
// the index of 10,000 nodes costs far more than a match.
type indexCache struct {
	mu      sync.Mutex
	indexes map[[32]byte]*faqmatch.Index
	order   [][32]byte // oldest first
	builds  int        // indexes built, for the benchmark and tests
}

// indexCacheSize is how many node sets stay indexed: a configuration rarely tests more domains.
const indexCacheSize = 4

var matchIndexes = &indexCache{indexes: map[[32]byte]*faqmatch.Index{}}

func (c *indexCache) get(nodes []faqcsv.Node) *faqmatch.Index {
	h := sha256.New()
	var n [8]byte
	write := func(s string) {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	ms := make([]faqmatch.Node, len(nodes))
	for i, node := range nodes {
		write(node.Name)
		binary.BigEndian.PutUint64(n[:], uint64(len(node.UserSays)))
		h.Write(n[:])
		for _, s := range node.UserSays {
			write(s)
		}
		ms[i] = faqmatch.Node{Name: node.Name, UserSays: node.UserSays}
	}
	var key [32]byte
	h.Sum(key[:0])
	c.mu.Lock()
	defer c.mu.Unlock()
	if ix, ok := c.indexes[key]; ok {
		return ix
	}
	// Built under the lock: concurrent calls for one new node set build it once.
	ix := faqmatch.New(ms)
	c.builds++
	if len(c.order) == indexCacheSize {
		delete(c.indexes, c.order[0])
		c.order = c.order[1:]
	}
	c.indexes[key] = ix
	c.order = append(c.order, key)
	return ix
}
