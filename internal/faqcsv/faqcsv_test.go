package faqcsv

import (
	"encoding/csv"
	"reflect"
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	got := string(RenderBytes([]Node{
		{Name: "b", UserSays: []string{"x", "y"}, BotSays: []string{"one", "two"}},
		{Name: "a", UserSays: []string{`say "hi", ok`}, BotSays: []string{"line1\nline2", " padded "}},
	}))
	want := "node_name,question,answer\r\n" +
		"a,\"say \"\"hi\"\", ok\",\"line1\nline2<m> padded \"\r\n" +
		"b,x|y,one<m>two\r\n"
	if got != want {
		t.Fatalf("Render:\n got %q\nwant %q", got, want)
	}
}

func TestRenderEmptyIsHeaderOnly(t *testing.T) {
	if got := string(RenderBytes(nil)); got != Header+"\r\n" {
		t.Fatalf("got %q", got)
	}
}

func TestRenderIsDeterministic(t *testing.T) {
	a := []Node{{Name: "z", UserSays: []string{"1"}, BotSays: []string{"1"}}, {Name: "m", UserSays: []string{"2"}, BotSays: []string{"2"}}}
	b := []Node{a[1], a[0]}
	if SHA256(RenderBytes(a)) != SHA256(RenderBytes(b)) {
		t.Fatal("the same nodes in another order render differently")
	}
	if a[0].Name != "z" {
		t.Fatal("Render reordered its caller's slice")
	}
}

// The rendered CSV reads back, through an independent RFC 4180 reader, as the same nodes.
func TestRenderReadsBackWithEncodingCSV(t *testing.T) {
	nodes := []Node{
		{Name: "Bad Feedbacks", UserSays: []string{"bad", "worse"}, BotSays: []string{"Sorry.", `{"type":"TEXT","data":{"quick_replies":[]},"isNew":false}`}},
		{Name: "q", UserSays: []string{`"quoted"`, "a,b"}, BotSays: []string{"multi\nline\n", "\ttab", "emoji 🎉 日本語"}},
	}
	r := csv.NewReader(strings.NewReader(string(RenderBytes(nodes))))
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != Header {
		t.Fatalf("header %q", recs[0])
	}
	for i, rec := range recs[1:] {
		got := Node{Name: rec[0], UserSays: strings.Split(rec[1], "|"), BotSays: strings.Split(rec[2], "<m>")}
		if !reflect.DeepEqual(got, nodes[i]) {
			t.Errorf("row %d: got %#v, want %#v", i, got, nodes[i])
		}
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		node  Node
		want  []string // field[index] summary
		index []int
	}{
		{Node{Name: "ok", UserSays: []string{"a"}, BotSays: []string{"b"}}, nil, nil},
		{Node{Name: "", UserSays: []string{"a"}, BotSays: []string{"b"}}, []string{"Blank Node Name"}, []int{-1}},
		{Node{Name: "n", UserSays: nil, BotSays: []string{"b"}}, []string{"Empty User Says List"}, []int{-1}},
		{Node{Name: "n", UserSays: []string{"a"}, BotSays: nil}, []string{"Empty Bot Says List"}, []int{-1}},
		{Node{Name: "n", UserSays: []string{"a", " \t"}, BotSays: []string{"b"}}, []string{"Blank User Says"}, []int{1}},
		{Node{Name: "n", UserSays: []string{"a|b"}, BotSays: []string{"b"}}, []string{"Separator Inside User Says"}, []int{0}},
		{Node{Name: "n", UserSays: []string{"a"}, BotSays: []string{"x", "b<M>c"}}, []string{"Separator Inside Bot Says"}, []int{1}},
		{Node{Name: "n", UserSays: []string{"<m> is fine here"}, BotSays: []string{"| is fine here"}}, nil, nil},
		{Node{Name: "n", UserSays: []string{"a|b", ""}, BotSays: []string{""}},
			[]string{"Separator Inside User Says", "Blank User Says", "Blank Bot Says"}, []int{0, 1, 0}},
	}
	for _, tc := range cases {
		ps := Validate(tc.node)
		var got []string
		var idx []int
		for _, p := range ps {
			got = append(got, p.Summary)
			idx = append(idx, p.Index)
			if p.Detail == "" || !strings.HasSuffix(p.Detail, ".") {
				t.Errorf("%+v: detail should be a full sentence", p)
			}
		}
		if !reflect.DeepEqual(got, tc.want) || !reflect.DeepEqual(idx, tc.index) {
			t.Errorf("Validate(%#v) = %v at %v, want %v at %v", tc.node, got, idx, tc.want, tc.index)
		}
	}
}
