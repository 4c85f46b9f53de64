package opensearchtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// maxPatchOps bounds the operations of one JSON Patch.
const maxPatchOps = 1000

// patchOp is one RFC 6902 operation; Value is raw so that a missing value and null differ.
type patchOp struct {
	Op    string          `json:"op"`
	Path  string          `json:"path"`
	From  string          `json:"from"`
	Value json.RawMessage `json:"value"`
}

// applyPatch applies ops to doc per RFC 6902, all or nothing; doc is modified, so pass a
// copy. "add" on an existing object member replaces it (so add /backend_roles replaces the
// array); "/-" appends to an array; "test" compares JSON values.
func applyPatch(doc any, ops []patchOp) (any, error) {
	if len(ops) > maxPatchOps {
		return nil, fmt.Errorf("a patch may hold at most %d operations", maxPatchOps)
	}
	for i, op := range ops {
		var value any
		needValue := op.Op == "add" || op.Op == "replace" || op.Op == "test"
		if needValue {
			if op.Value == nil {
				return nil, fmt.Errorf("[%s Operation] missing 'value' field (operation %d)", strings.ToUpper(op.Op), i)
			}
			if err := json.Unmarshal(op.Value, &value); err != nil {
				return nil, fmt.Errorf("operation %d: invalid value: %v", i, err)
			}
		}
		path, err := parsePointer(op.Path)
		if err != nil {
			return nil, fmt.Errorf("operation %d: %v", i, err)
		}
		switch op.Op {
		case "add":
			doc, err = addAt(doc, path, value)
		case "remove":
			doc, _, err = removeAt(doc, path)
		case "replace":
			if _, err = getAt(doc, path); err == nil {
				doc, _, err = removeAt(doc, path)
				if err == nil {
					doc, err = addAt(doc, path, value)
				}
			}
		case "move", "copy":
			from, ferr := parsePointer(op.From)
			if ferr != nil {
				return nil, fmt.Errorf("operation %d: %v", i, ferr)
			}
			var v any
			if op.Op == "move" {
				doc, v, err = removeAt(doc, from)
			} else if v, err = getAt(doc, from); err == nil {
				v = deepCopy(v)
			}
			if err == nil {
				doc, err = addAt(doc, path, v)
			}
		case "test":
			var cur any
			if cur, err = getAt(doc, path); err == nil && !jsonEqual(cur, value) {
				err = errors.New("[TEST Operation] value mismatch")
			}
		default:
			return nil, fmt.Errorf("operation %d: unknown op %q", i, op.Op)
		}
		if err != nil {
			return nil, err
		}
	}
	return doc, nil
}

func parsePointer(p string) ([]string, error) {
	if p == "" {
		return nil, nil
	}
	if !strings.HasPrefix(p, "/") {
		return nil, fmt.Errorf("invalid JSON pointer %q", p)
	}
	parts := strings.Split(p[1:], "/")
	for i, s := range parts {
		parts[i] = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
	}
	return parts, nil
}

func arrayIndex(tok string, n int, forAdd bool) (int, error) {
	if forAdd && tok == "-" {
		return n, nil
	}
	i, err := strconv.Atoi(tok)
	if err != nil || i < 0 || (tok != "0" && strings.HasPrefix(tok, "0")) {
		return 0, fmt.Errorf("invalid array index %q", tok)
	}
	if i > n || (!forAdd && i == n) {
		return 0, fmt.Errorf("[%s] array index out of bounds", tok)
	}
	return i, nil
}

func getAt(doc any, path []string) (any, error) {
	cur := doc
	for _, tok := range path {
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[tok]
			if !ok {
				return nil, fmt.Errorf("no such path in target JSON document: /%s", strings.Join(path, "/"))
			}
			cur = v
		case []any:
			i, err := arrayIndex(tok, len(c), false)
			if err != nil {
				return nil, err
			}
			cur = c[i]
		default:
			return nil, fmt.Errorf("no such path in target JSON document: /%s", strings.Join(path, "/"))
		}
	}
	return cur, nil
}

// addAt adds value at path and returns the (possibly new) root.
func addAt(doc any, path []string, value any) (any, error) {
	if len(path) == 0 {
		return value, nil
	}
	parent, err := getAt(doc, path[:len(path)-1])
	if err != nil {
		return nil, fmt.Errorf("[ADD Operation] parent of node to add does not exist: /%s", strings.Join(path, "/"))
	}
	last := path[len(path)-1]
	switch p := parent.(type) {
	case map[string]any:
		p[last] = value
		return doc, nil
	case []any:
		i, err := arrayIndex(last, len(p), true)
		if err != nil {
			return nil, err
		}
		next := append(p[:i:i], append([]any{value}, p[i:]...)...)
		return setAt(doc, path[:len(path)-1], next)
	}
	return nil, fmt.Errorf("[ADD Operation] parent of path /%s is not a container", strings.Join(path, "/"))
}

func removeAt(doc any, path []string) (any, any, error) {
	if len(path) == 0 {
		return nil, doc, nil
	}
	parent, err := getAt(doc, path[:len(path)-1])
	if err != nil {
		return nil, nil, err
	}
	last := path[len(path)-1]
	switch p := parent.(type) {
	case map[string]any:
		v, ok := p[last]
		if !ok {
			return nil, nil, fmt.Errorf("[REMOVE Operation] noSuchPath in source, path provided : /%s", strings.Join(path, "/"))
		}
		delete(p, last)
		return doc, v, nil
	case []any:
		i, err := arrayIndex(last, len(p), false)
		if err != nil {
			return nil, nil, err
		}
		v := p[i]
		next := append(p[:i:i], p[i+1:]...)
		root, err := setAt(doc, path[:len(path)-1], next)
		return root, v, err
	}
	return nil, nil, fmt.Errorf("[REMOVE Operation] noSuchPath in source, path provided : /%s", strings.Join(path, "/"))
}

// setAt replaces the value at an existing path (used for arrays, whose slices change).
func setAt(doc any, path []string, value any) (any, error) {
	if len(path) == 0 {
		return value, nil
	}
	parent, err := getAt(doc, path[:len(path)-1])
	if err != nil {
		return nil, err
	}
	last := path[len(path)-1]
	switch p := parent.(type) {
	case map[string]any:
		p[last] = value
		return doc, nil
	case []any:
		i, err := arrayIndex(last, len(p), false)
		if err != nil {
			return nil, err
		}
		p[i] = value
		return doc, nil
	}
	return nil, errors.New("invalid path")
}

func jsonEqual(a, b any) bool {
	return reflect.DeepEqual(normalizeJSON(a), normalizeJSON(b))
}

func normalizeJSON(v any) any {
	b, _ := json.Marshal(v)
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = deepCopy(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = deepCopy(x)
		}
		return out
	}
	return v
}
