package opensearchtest

import (
	"encoding/json"
	"testing"
)

// The patch applier: no panic, all or nothing, and a patch that applies leaves valid JSON.
func FuzzApplyPatch(f *testing.F) {
	f.Add(`{"backend_roles":["a"],"users":[]}`, `[{"op":"test","path":"/backend_roles","value":["a"]},{"op":"add","path":"/backend_roles/-","value":"b"}]`)
	f.Add(`{"a":{"b":[1,2,3]}}`, `[{"op":"move","from":"/a/b/0","path":"/a/b/-"},{"op":"copy","from":"/a","path":"/c"}]`)
	f.Add(`{"a":1}`, `[{"op":"remove","path":"/a"},{"op":"replace","path":"/a","value":2}]`)
	f.Add(`[]`, `[{"op":"add","path":"/0","value":null},{"op":"add","path":"","value":{}}]`)
	f.Add(`{"~/":1}`, `[{"op":"test","path":"/~0~1","value":1}]`)
	f.Fuzz(func(t *testing.T, docJSON, patchJSON string) {
		var doc any
		var ops []patchOp
		if json.Unmarshal([]byte(docJSON), &doc) != nil || json.Unmarshal([]byte(patchJSON), &ops) != nil {
			return
		}
		before, _ := json.Marshal(doc)
		cp := deepCopy(doc)
		out, err := applyPatch(cp, ops)
		after, _ := json.Marshal(doc)
		if string(before) != string(after) {
			t.Fatal("the original document changed")
		}
		if err == nil {
			if _, err := json.Marshal(out); err != nil {
				t.Fatalf("result is not JSON: %v", err)
			}
		}
	})
}

// The query evaluator: no panic and bounded depth on any JSON query.
func FuzzMatchQuery(f *testing.F) {
	f.Add(`{"bool":{"must":[{"term":{"region":"eu"}}],"should":[{"match":{"name":"ana bob"}}],"must_not":{"terms":{"age":[1,2]}}}}`)
	f.Add(`{"match_all":{}}`)
	f.Add(`{"term":{"region.keyword":{"value":"eu"}}}`)
	f.Add(`{"bool":{"minimum_should_match":"2","should":[{"match_all":{}}]}}`)
	f.Add(`{"range":{"age":{"gte":1}}}`)
	ix := newIndex("i")
	src := map[string]any{"name": "Ana Bob", "region": "eu", "age": 41.0, "tags": []any{"x", "y"}, "nested": map[string]any{"a": "b"}}
	ix.learnTypes("", src)
	f.Fuzz(func(t *testing.T, q string) {
		var m map[string]any
		if json.Unmarshal([]byte(q), &m) != nil {
			return
		}
		_, _ = matchQuery(m, src, ix, 0)
	})
}
