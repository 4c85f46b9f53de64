package lakeformation_test

import (
	"context"
	"github.com/aws/aws-sdk-go-v2/aws"
	"log/slog"
	"strings"
	"testing"

	"github.com/datablocks-go/datablocks/glue/gluetest"
	"github.com/datablocks-go/datablocks/lakeformation"
	"github.com/datablocks-go/datablocks/lakeformation/lakeformationtest"
)

func debugLogger(w *strings.Builder) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func TestMeshPerCallOptionsDoNotPersist(t *testing.T) {
	ctx := context.Background()
	g := gluetest.New(func(o *gluetest.Options) { o.AccountID = centralAccount })
	lf := lakeformationtest.New(func(o *lakeformationtest.Options) { o.AccountID = centralAccount })
	m := lakeformation.NewMesh(lf, g)
	d := lakeformation.Domain{AccountID: producerAccount, Name: "sales"}
	var log strings.Builder
	if err := m.RegisterDomain(ctx, d, func(o *lakeformation.Options) {
		o.Logger = debugLogger(&log)
	}); err != nil {
		t.Fatal(err)
	}
	if tags := resourceTags(lf, "tbac-data-domain-"+producerAccount, "", ""); len(tags) != 1 || aws.ToString(tags[0].TagKey) != "LoB" {
		t.Errorf("tbac database tags %v, want the key LoB", tags)
	}
	if !strings.Contains(log.String(), `msg="registered data domain"`) {
		t.Errorf("per-call Logger got %q", log.String())
	}
	// The mesh itself still has no logger.
	logged := log.Len()
	if err := m.RegisterDomain(ctx, d); err != nil {
		t.Fatal(err)
	}
	if log.Len() != logged {
		t.Errorf("a later call without options logged: %q", log.String()[logged:])
	}
}

func TestSettingsPerCallOptionsDoNotPersist(t *testing.T) {
	ctx := context.Background()
	s := lakeformation.NewSettings(lakeformationtest.New())
	admins := []lakeformation.DataLakePrincipal{lakeformation.DataLakePrincipal("arn:aws:iam::123456789012:role/lf-admin")}
	var log strings.Builder
	if changed, err := s.AddAdmins(ctx, admins, func(o *lakeformation.Options) { o.Logger = debugLogger(&log) }); err != nil || !changed {
		t.Fatalf("AddAdmins = %t, %v; want a change", changed, err)
	}
	logged := log.String()
	if strings.Count(logged, `msg="data lake settings updated"`) != 1 {
		t.Errorf("per-call Logger got %q, want one update record", logged)
	}
	if changed, err := s.RemoveAdmins(ctx, admins); err != nil || !changed {
		t.Fatalf("RemoveAdmins = %t, %v; want a change", changed, err)
	}
	if log.String() != logged {
		t.Errorf("the per-call Logger outlived its call: %q", log.String())
	}
}
