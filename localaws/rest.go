package localaws

import (
	"fmt"
	"net/url"
	"strings"
)

// route is a restJson1 operation's method and path template.
type route struct {
	op          *Operation
	segs        []string   // template segments after the leading "/"
	queryLits   url.Values // literal query of the template ("?tagging", "?type=x")
	literalSegs int
}

func newRoute(op *Operation) (route, error) {
	if op.method == "" || op.path == "" {
		return route{}, fmt.Errorf("operation %s of a restJson1 service needs Route, not Op", op.name)
	}
	pattern, query, _ := strings.Cut(op.path, "?")
	if !strings.HasPrefix(pattern, "/") {
		return route{}, fmt.Errorf("operation %s: path %q must start with /", op.name, op.path)
	}
	rt := route{op: op, segs: strings.Split(pattern, "/")[1:]}
	for i, seg := range rt.segs {
		name, isLabel := strings.CutPrefix(seg, "{")
		if !isLabel {
			rt.literalSegs++
			continue
		}
		if !strings.HasSuffix(name, "}") || len(name) < 2 {
			return route{}, fmt.Errorf("operation %s: malformed label %q in %q", op.name, seg, op.path)
		}
		if strings.HasSuffix(name, "+}") && i != len(rt.segs)-1 {
			return route{}, fmt.Errorf("operation %s: greedy label %s must be last in %q", op.name, seg, op.path)
		}
	}
	if query != "" {
		q, err := url.ParseQuery(query)
		if err != nil {
			return route{}, fmt.Errorf("operation %s: query of %q: %w", op.name, op.path, err)
		}
		rt.queryLits = q
	}
	return rt, nil
}

// match reports whether the escaped path (split after its leading "/") matches the route,
// returning the decoded labels.
func (rt *route) match(path []string, query url.Values) (map[string]string, bool) {
	for k, vs := range rt.queryLits {
		if !query.Has(k) || (vs[0] != "" && query.Get(k) != vs[0]) {
			return nil, false
		}
	}
	labels := map[string]string{}
	for i, seg := range rt.segs {
		if i >= len(path) {
			return nil, false
		}
		name, isLabel := strings.CutPrefix(seg, "{")
		if !isLabel {
			if u, err := url.PathUnescape(path[i]); err != nil || u != seg {
				return nil, false
			}
			continue
		}
		name = strings.TrimSuffix(name, "}")
		value := path[i]
		if greedy, ok := strings.CutSuffix(name, "+"); ok {
			name, value, path = greedy, strings.Join(path[i:], "/"), path[:i+1]
		}
		v, err := url.PathUnescape(value)
		if value == "" || err != nil {
			return nil, false
		}
		labels[name] = v
	}
	return labels, len(path) == len(rt.segs)
}

// match finds the operation at method and escaped path: among matching routes the one
// with the most literal segments, then literal query keys, wins.
func (svc *service) match(method, escapedPath string, query url.Values) (*Operation, map[string]string) {
	path := strings.Split(escapedPath, "/")[1:]
	var best *route
	var bestLabels map[string]string
	for i := range svc.routes {
		rt := &svc.routes[i]
		if rt.op.method != method {
			continue
		}
		labels, ok := rt.match(path, query)
		if !ok {
			continue
		}
		if best == nil || rt.literalSegs > best.literalSegs ||
			(rt.literalSegs == best.literalSegs && len(rt.queryLits) > len(best.queryLits)) {
			best, bestLabels = rt, labels
		}
	}
	if best == nil {
		return nil, nil
	}
	return best.op, bestLabels
}
