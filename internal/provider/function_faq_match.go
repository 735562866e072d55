package provider

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/faqops/terraform-provider-haptik/internal/faqcsv"
	"github.com/faqops/terraform-provider-haptik/internal/faqdomain"
	"github.com/faqops/terraform-provider-haptik/internal/faqmatch"
	"github.com/faqops/terraform-provider-haptik/internal/tfmsgpack"
)

// faq_match is served at the protocol level, beside the framework's functions: Terraform calls it
// once per question, each call carrying the whole nodes value, and the framework's decoding of
// 10,000 nodes into its value types cost 0.18 s a call. Here a call hashes the bytes Terraform
// sent, finds the index built for them and matches (BenchmarkFAQMatch); the nodes are decoded
// only the first time those bytes are seen.

const faqMatchName = "faq_match"

var (
	matchResultType  = tftypes.Object{AttributeTypes: map[string]tftypes.Type{"node": tftypes.String, "score": tftypes.Number, "runner_up": tftypes.String, "runner_up_score": tftypes.Number}}
	faqMatchFunction = &tfprotov6.Function{
		Summary: "Which FAQ node a customer's question most likely reaches, by the provider's offline matcher",
		Description: "Ranks the nodes for a question by the words it shares with each node's user says " +
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
		DescriptionKind: tfprotov6.StringKindMarkdown,
		Parameters: []*tfprotov6.FunctionParameter{
			{Name: "nodes", Type: faqdomain.NodesType, DescriptionKind: tfprotov6.StringKindMarkdown,
				Description: "FAQ nodes keyed by node name, in the shape of `haptik_faq_domain.nodes`."},
			{Name: "question", Type: tftypes.String, DescriptionKind: tfprotov6.StringKindMarkdown,
				Description: "A customer's question, as typed."},
		},
		Return: &tfprotov6.FunctionReturn{Type: matchResultType},
	}
)

// withFAQMatch adds faq_match to the functions the framework's server declares and answers its
// calls; every other RPC goes to the framework. Terraform refuses null and unknown arguments
// itself (neither parameter allows them), so a call always carries known values.
func withFAQMatch(fw frameworkServer) frameworkServer { return &faqMatchServer{frameworkServer: fw} }

type faqMatchServer struct{ frameworkServer }

func (s *faqMatchServer) GetMetadata(ctx context.Context, req *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	resp, err := s.frameworkServer.GetMetadata(ctx, req)
	if resp != nil {
		resp.Functions = append(resp.Functions, tfprotov6.FunctionMetadata{Name: faqMatchName})
	}
	return resp, err
}

func (s *faqMatchServer) GetProviderSchema(ctx context.Context, req *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	resp, err := s.frameworkServer.GetProviderSchema(ctx, req)
	if resp != nil {
		resp.Functions = withMatchFunction(resp.Functions)
	}
	return resp, err
}

func (s *faqMatchServer) GetFunctions(ctx context.Context, req *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	resp, err := s.frameworkServer.GetFunctions(ctx, req)
	if resp != nil {
		resp.Functions = withMatchFunction(resp.Functions)
	}
	return resp, err
}

func withMatchFunction(fs map[string]*tfprotov6.Function) map[string]*tfprotov6.Function {
	if fs == nil {
		fs = map[string]*tfprotov6.Function{}
	}
	fs[faqMatchName] = faqMatchFunction
	return fs
}

func (s *faqMatchServer) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	if req.Name != faqMatchName {
		return s.frameworkServer.CallFunction(ctx, req)
	}
	refuse := func(arg int64, text string) (*tfprotov6.CallFunctionResponse, error) {
		return &tfprotov6.CallFunctionResponse{Error: &tfprotov6.FunctionError{Text: text, FunctionArgument: &arg}}, nil
	}
	if len(req.Arguments) != 2 || req.Arguments[0] == nil || req.Arguments[1] == nil {
		return &tfprotov6.CallFunctionResponse{Error: &tfprotov6.FunctionError{Text: "faq_match takes two arguments: nodes and question"}}, nil
	}
	nodes, question := req.Arguments[0].MsgPack, req.Arguments[1].MsgPack // Terraform sends MessagePack
	q, err := tfmsgpack.NewReader(question).Bytes()
	if err != nil {
		return refuse(1, "the question must be a known string")
	}
	ix, err := matchIndexes.forEncoded(nodes)
	if err != nil {
		return refuse(0, "every node needs user_says and bot_says lists without null values ("+err.Error()+")")
	}
	r := ix.Match(string(q))
	name := func(s string) tftypes.Value {
		if s == "" {
			return tftypes.NewValue(tftypes.String, nil)
		}
		return tftypes.NewValue(tftypes.String, s)
	}
	// Four decimals: enough to compare, and the same on every machine.
	score := func(f float64) tftypes.Value { return tftypes.NewValue(tftypes.Number, math.Round(f*1e4)/1e4) }
	result, err := tfprotov6.NewDynamicValue(matchResultType, tftypes.NewValue(matchResultType, map[string]tftypes.Value{
		"node": name(r.Node), "score": score(r.Score), "runner_up": name(r.RunnerUp), "runner_up_score": score(r.RunnerUpScore),
	}))
	if err != nil {
		return &tfprotov6.CallFunctionResponse{Error: &tfprotov6.FunctionError{Text: "faq_match could not encode its result: " + err.Error()}}, nil
	}
	return &tfprotov6.CallFunctionResponse{Result: &result}, nil
}

// indexCache keeps the matcher's indexes of the last few node sets a provider process was asked
// about. Two keys lead to an index: a hash of the encoded nodes value exactly as Terraform sent it
// (so a repeated call decodes nothing), and a hash of the node names and user says (bot says do
// not change the ranking, so a bot-says edit reuses the index it built).
type indexCache struct {
	mu      sync.Mutex
	encoded map[[32]byte]*faqmatch.Index
	indexes map[[32]byte]*faqmatch.Index
	order   [][2][32]byte // {encoded, content} keys, oldest first
	builds  int           // indexes built, for the benchmark and tests
}

// indexCacheSize is how many node sets stay indexed: a configuration rarely tests more domains.
const indexCacheSize = 4

var matchIndexes = newIndexCache()

func newIndexCache() *indexCache {
	return &indexCache{encoded: map[[32]byte]*faqmatch.Index{}, indexes: map[[32]byte]*faqmatch.Index{}}
}

// forEncoded is the index of a nodes value in Terraform's MessagePack encoding.
func (c *indexCache) forEncoded(b []byte) (*faqmatch.Index, error) {
	encodedKey := sha256.Sum256(b)
	c.mu.Lock()
	ix, ok := c.encoded[encodedKey]
	c.mu.Unlock()
	if ok {
		return ix, nil
	}
	nodes, err := faqdomain.ReadNodes(b)
	if err != nil {
		return nil, err
	}
	faqcsv.SortNodes(nodes)
	contentKey := contentHash(nodes)
	c.mu.Lock()
	defer c.mu.Unlock()
	// Built under the lock: concurrent calls for one new node set build it once.
	ix, ok = c.indexes[contentKey]
	if !ok {
		ms := make([]faqmatch.Node, len(nodes))
		for i, n := range nodes {
			// The decoded strings point into this request's bytes; the index outlives it.
			us := make([]string, len(n.UserSays))
			for j, s := range n.UserSays {
				us[j] = strings.Clone(s)
			}
			ms[i] = faqmatch.Node{Name: strings.Clone(n.Name), UserSays: us}
		}
		ix = faqmatch.New(ms)
		c.builds++
	}
	if len(c.order) == indexCacheSize {
		oldest := c.order[0]
		c.order = c.order[1:]
		delete(c.encoded, oldest[0])
		if !slices.ContainsFunc(c.order, func(k [2][32]byte) bool { return k[1] == oldest[1] }) {
			delete(c.indexes, oldest[1])
		}
	}
	c.encoded[encodedKey] = ix
	c.indexes[contentKey] = ix
	c.order = append(c.order, [2][32]byte{encodedKey, contentKey})
	return ix, nil
}

// contentHash hashes what the ranking depends on: the node names and their user says.
func contentHash(nodes []faqcsv.Node) [32]byte {
	h := sha256.New()
	var n [8]byte
	write := func(s string) {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	for _, node := range nodes {
		write(node.Name)
		binary.BigEndian.PutUint64(n[:], uint64(len(node.UserSays)))
		h.Write(n[:])
		for _, s := range node.UserSays {
			write(s)
		}
	}
	var key [32]byte
	h.Sum(key[:0])
	return key
}
