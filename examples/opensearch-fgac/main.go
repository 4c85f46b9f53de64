// Command opensearch-fgac secures an OpenSearch index holding PII with fine-grained access
// control: a role for analysts that sees only its region's documents (DLS), never the ssn
// field (FLS) and a hashed email (field masking), mapped to an IAM role without touching
// anyone else's mapping; then it shows what an analyst's search returns next to an admin's.
//
// By default it runs locally against opensearchtest (a signed, enforcing fake domain):
//
//	go run ./examples/opensearch-fgac
//
// With -aws it runs against a domain with fine-grained access control, as the caller of the
// default credential chain (the domain's master user or a security_manager), and searches as
// the analyst by assuming -analyst-role:
//
//	go run ./examples/opensearch-fgac -aws -domain customers \
//	    -endpoint https://search-customers-abc.eu-west-1.es.amazonaws.com \
//	    -analyst-role arn:aws:iam::123456789012:role/analyst
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	awsos "github.com/aws/aws-sdk-go-v2/service/opensearch"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/opensearch-project/opensearch-go/v4/opensearchapi"

	"github.com/datablocks-go/datablocks/opensearch"
	"github.com/datablocks-go/datablocks/opensearch/opensearchtest"
)

const (
	index = "customers"
	role  = "customers_eu_analyst"
)

func main() {
	useAWS := flag.Bool("aws", false, "run against an Amazon OpenSearch Service domain instead of the local fake")
	endpoint := flag.String("endpoint", "", "domain endpoint URL (with -aws)")
	domain := flag.String("domain", "", "domain name, to check its FGAC prerequisites (with -aws)")
	analyst := flag.String("analyst-role", "", "IAM role ARN of the analysts (with -aws)")
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var err error
	if *useAWS {
		err = runAWS(ctx, os.Stdout, *endpoint, *domain, *analyst)
	} else {
		err = runLocal(ctx, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "opensearch-fgac:", err)
		os.Exit(1)
	}
}

// setup is everything the example needs: admin and analyst clients of one domain.
type setup struct {
	domain     string
	admin      *opensearchapi.Client
	analyst    *opensearchapi.Client
	analystARN string
	control    opensearch.DomainAPIClient
}

func runLocal(ctx context.Context, w io.Writer) error {
	f := opensearchtest.New()
	defer f.Close()
	d, err := f.AddDomain(opensearchtest.DomainSpec{Name: "customers"})
	if err != nil {
		return err
	}
	const analystARN = "arn:aws:iam::123456789012:role/analyst"
	analystCfg, err := f.ConfigFor(analystARN)
	if err != nil {
		return err
	}
	ep := opensearch.Endpoint{URL: d.URL()}
	admin, err := opensearch.NewClient(f.Config(), ep)
	if err != nil {
		return err
	}
	an, err := opensearch.NewClient(analystCfg, ep)
	if err != nil {
		return err
	}
	return run(ctx, w, setup{domain: "customers", admin: admin, analyst: an, analystARN: analystARN, control: f})
}

func runAWS(ctx context.Context, w io.Writer, endpoint, domain, analystARN string) error {
	if endpoint == "" || domain == "" || analystARN == "" {
		return errors.New("-aws needs -endpoint, -domain and -analyst-role")
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return err
	}
	ep := opensearch.Endpoint{URL: endpoint}
	admin, err := opensearch.NewClient(cfg, ep)
	if err != nil {
		return err
	}
	analystCfg := cfg.Copy()
	analystCfg.Credentials = aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(sts.NewFromConfig(cfg), analystARN))
	an, err := opensearch.NewClient(analystCfg, ep)
	if err != nil {
		return err
	}
	return run(ctx, w, setup{domain: domain, admin: admin, analyst: an, analystARN: analystARN, control: awsos.NewFromConfig(cfg)})
}

var people = []map[string]any{
	{"name": "Ana Lima", "region": "eu", "ssn": "123-45-6789", "email": "ana@example.com", "orders": 12},
	{"name": "Bob Stone", "region": "us", "ssn": "987-65-4321", "email": "bob@example.com", "orders": 3},
	{"name": "Eva Roth", "region": "eu", "ssn": "555-12-3456", "email": "eva@example.com", "orders": 7},
}

func run(ctx context.Context, w io.Writer, s setup) error {
	if err := opensearch.CheckDomainFGAC(ctx, s.control, s.domain); err != nil {
		return err
	}
	fmt.Fprintf(w, "Domain %s meets the FGAC prerequisites.\n", s.domain)
	for i, p := range people {
		body, _ := json.Marshal(p)
		if _, err := s.admin.Index(ctx, opensearchapi.IndexReq{Index: index, DocumentID: fmt.Sprint(i + 1), Body: strings.NewReader(string(body)),
			Params: opensearchapi.IndexParams{Refresh: "true"}}); err != nil {
			return fmt.Errorf("indexing: %w", err)
		}
	}
	sec := opensearch.NewSecurity(s.admin.Client)
	r := opensearch.Role{
		Name:               role,
		Description:        "EU analysts: EU customers only, no ssn, hashed email",
		ClusterPermissions: []string{"cluster_composite_ops_ro"},
		IndexPermissions: []opensearch.IndexPermission{{
			IndexPatterns:  []string{index},
			AllowedActions: []string{"read"},
			DLS:            `{"term":{"region":"eu"}}`,
			FLS:            opensearch.FieldSecurity{Exclude: []string{"ssn"}},
			MaskedFields:   []opensearch.MaskedField{{Field: "email"}},
		}},
	}
	for _, warning := range r.Warnings(map[string]opensearch.FieldType{"email": "text", "orders": "long"}) {
		fmt.Fprintln(w, "warning:", warning)
	}
	change, err := sec.EnsureRole(ctx, r)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Role %s: %s\n", role, change)
	// Map the analysts' IAM role to the custom role and to opensearch_dashboards_user, by
	// test-guarded JSON Patch: other teams' entries stay.
	for _, target := range []string{role, "opensearch_dashboards_user"} {
		change, err := sec.MapRole(ctx, target, opensearch.RoleMapping{BackendRoles: []string{s.analystARN}})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "Mapping %s -> %s: %s\n", s.analystARN, target, change)
	}
	for _, who := range []struct {
		name   string
		client *opensearchapi.Client
	}{{"admin", s.admin}, {"analyst", s.analyst}} {
		res, err := who.client.Search(ctx, &opensearchapi.SearchReq{Indices: []string{index}, Body: strings.NewReader(`{"query":{"match_all":{}}}`)})
		if err != nil {
			return fmt.Errorf("%s search: %w", who.name, err)
		}
		fmt.Fprintf(w, "\n%s sees %d documents:\n", who.name, res.Hits.Total.Value)
		hits := res.Hits.Hits
		slices.SortFunc(hits, func(a, b opensearchapi.SearchHit) int { return strings.Compare(a.ID, b.ID) })
		for _, h := range hits {
			var src map[string]any
			if err := json.Unmarshal(h.Source, &src); err != nil {
				return err
			}
			keys := make([]string, 0, len(src))
			for k := range src {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			var parts []string
			for _, k := range keys {
				parts = append(parts, fmt.Sprintf("%s=%v", k, src[k]))
			}
			fmt.Fprintf(w, "  %s: %s\n", h.ID, strings.Join(parts, " "))
		}
	}
	return nil
}
