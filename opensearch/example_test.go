package opensearch_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/datablocks-go/datablocks/opensearch"
	"github.com/datablocks-go/datablocks/opensearch/opensearchtest"
)

// Two teams map their IAM roles to the same role; each mapping is a test-guarded JSON
// Patch, so neither erases the other, and unmapping removes only one's entry.
func ExampleSecurity_MapRole() {
	ctx := context.Background()
	f := opensearchtest.New()
	defer f.Close()
	d, _ := f.AddDomain(opensearchtest.DomainSpec{Name: "logs"})
	client, _ := opensearch.NewClient(f.Config(), opensearch.Endpoint{URL: d.URL()})
	sec := opensearch.NewSecurity(client.Client)

	_, _ = sec.EnsureRole(ctx, opensearch.Role{Name: "logs_reader", IndexPermissions: []opensearch.IndexPermission{{
		IndexPatterns: []string{"logs-*"}, AllowedActions: []string{"read"},
		FLS: opensearch.FieldSecurity{Exclude: []string{"client_ip"}},
	}}})
	for _, team := range []string{"team-a", "team-b"} {
		c, err := sec.MapRole(ctx, "logs_reader", opensearch.RoleMapping{BackendRoles: []string{"arn:aws:iam::123456789012:role/" + team}})
		fmt.Println(team, c, err)
	}
	c, _ := sec.UnmapRole(ctx, "logs_reader", opensearch.RoleMapping{BackendRoles: []string{"arn:aws:iam::123456789012:role/team-a"}})
	m, _ := sec.GetRoleMapping(ctx, "logs_reader")
	fmt.Println("unmap team-a:", c, m.BackendRoles)
	_, err := sec.EnsureRole(ctx, opensearch.Role{Name: "all_access", ClusterPermissions: []string{"*"}})
	fmt.Println(errors.Is(err, opensearch.ErrStatic))
	// Output:
	// team-a created <nil>
	// team-b updated (backend_roles) <nil>
	// unmap team-a: updated (backend_roles) [arn:aws:iam::123456789012:role/team-b]
	// true
}

// A paused replication must resume within 12 hours; later, Resume refuses before calling.
func ExampleReplication_Resume() {
	ctx := context.Background()
	f := opensearchtest.New()
	defer f.Close()
	leader, _ := f.AddDomain(opensearchtest.DomainSpec{Name: "leader"})
	follower, _ := f.AddDomain(opensearchtest.DomainSpec{Name: "follower"})
	lt, _ := leader.Transport(f.Config())
	ft, _ := follower.Transport(f.Config()) // waits through it run on the fake's clock
	req, _ := http.NewRequestWithContext(ctx, http.MethodPut, "/events/_doc/1", strings.NewReader(`{"msg":"hello"}`))
	req.Header.Set("Content-Type", "application/json")
	if resp, err := lt.Perform(req); err == nil {
		resp.Body.Close()
	}

	_, err := opensearch.NewConnections(f).RunConnection(ctx, opensearch.ConnectionInput{Alias: "to-leader",
		Follower: opensearch.Domain{Name: "follower"}, Leader: opensearch.Domain{Name: "leader"}})
	fmt.Println("connected:", err)
	repl := opensearch.NewReplication(ft)
	st, err := repl.Run(ctx, opensearch.StartInput{FollowerIndex: "events", LeaderAlias: "to-leader"})
	fmt.Println(st.Status, err)
	p, _ := repl.Pause(ctx, "events")
	_ = f.Clock().Sleep(ctx, 13*time.Hour) // the fake's manual clock: no wall time
	err = repl.Resume(ctx, p)
	fmt.Println(errors.Is(err, opensearch.ErrPausedTooLong))
	fmt.Println(err)
	// Output:
	// connected: <nil>
	// SYNCING <nil>
	// true
	// opensearch: replication of "events" was paused 13h0m0s ago, more than 12h0m0s: it cannot resume; stop it, delete the follower index and start again
}

// A domain created without what fine-grained access control needs is reported with every
// missing prerequisite, before any role is written.
func ExampleCheckDomainFGAC() {
	ctx := context.Background()
	f := opensearchtest.New() // on AWS, the SDK's client: awsopensearch.NewFromConfig(cfg)
	defer f.Close()
	if _, err := f.AddDomain(opensearchtest.DomainSpec{Name: "logs", Insecure: true}); err != nil {
		panic(err)
	}
	err := opensearch.CheckDomainFGAC(ctx, f, "logs")
	fmt.Println(errors.Is(err, opensearch.ErrFGACPrerequisites))
	fmt.Println(err)
	// Output:
	// true
	// opensearch: domain "logs" does not meet the fine-grained access control prerequisites: DomainEndpointOptions.EnforceHTTPS is off; NodeToNodeEncryptionOptions.Enabled is off; EncryptionAtRestOptions.Enabled is off; AdvancedSecurityOptions.Enabled is off (fine-grained access control with a master user)
}
