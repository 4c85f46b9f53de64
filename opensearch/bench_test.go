package opensearch_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/datablocks-go/datablocks/opensearch"
	"github.com/datablocks-go/datablocks/opensearch/opensearchtest"
)

// Search as an admin (no restriction) and as an analyst (DLS, FLS and two masks) over 200
// documents, side by side: the cost of enforcement in the fake, per search.
func BenchmarkSearch(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	sec := opensearch.NewSecurity(e.admin, e.secOpt)
	if _, err := sec.EnsureRole(ctx, analystRole()); err != nil {
		b.Fatal(err)
	}
	if _, err := sec.MapRole(ctx, "analyst", opensearch.RoleMapping{BackendRoles: []string{analystARN}}); err != nil {
		b.Fatal(err)
	}
	for i := range 200 {
		region := []string{"eu", "us"}[i%2]
		body := fmt.Sprintf(`{"name":"n%d","region":%q,"ssn":"000-00-%04d","email":"u%d@example.com","ip_source":"10.0.%d.%d","age":%d}`, i, region, i, i, i/256, i%256, 20+i%50)
		do(b, e.admin, http.MethodPut, fmt.Sprintf("/customers/_doc/%d", i), body, nil)
	}
	cfg, _ := e.f.ConfigFor(analystARN)
	analyst, _ := e.d.Transport(cfg)
	for _, bc := range []struct {
		name string
		t    opensearch.Transport
	}{{"admin", e.admin}, {"analyst", analyst}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				var res searchResult
				if st := do(b, bc.t, http.MethodPost, "/customers/_search", `{"size":100,"query":{"match_all":{}}}`, &res); st != 200 {
					b.Fatalf("status %d", st)
				}
			}
		})
	}
}

// MapRole then UnmapRole of one backend role on a mapping with 50 entries: 2 GETs and 2
// PATCHes per iteration.
func BenchmarkMapUnmap(b *testing.B) {
	e := newEnv(b)
	ctx := context.Background()
	sec := opensearch.NewSecurity(e.admin, e.secOpt)
	_, _ = sec.EnsureRole(ctx, analystRole())
	var others []string
	for i := range 50 {
		others = append(others, fmt.Sprintf("arn:aws:iam::123456789012:role/team-%d", i))
	}
	_, _ = sec.MapRole(ctx, "analyst", opensearch.RoleMapping{BackendRoles: others})
	m := opensearch.RoleMapping{BackendRoles: []string{analystARN}}
	e.f.ResetCalls()
	for b.Loop() {
		if _, err := sec.MapRole(ctx, "analyst", m); err != nil {
			b.Fatal(err)
		}
		if _, err := sec.UnmapRole(ctx, "analyst", m); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(e.f.Count(opensearchtest.OpPatchSecurity))/float64(b.N), "patches/op")
}
