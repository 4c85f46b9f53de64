package datazone_test

import (
	"context"
	"testing"

	"github.com/datablocks-go/datablocks/datazone"
	"github.com/datablocks-go/datablocks/datazone/datazonetest"
)

// BenchmarkTopicSync compares a first sync of 100 schemas (100 assets created) with a re-run
// over the same registry (100 assets read and compared, nothing written), in-process against
// the fakes. The difference is what diffing before revising saves on a schedule.
func BenchmarkTopicSync(b *testing.B) {
	ctx := context.Background()
	b.Run("create-100", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			e := newSyncEnv(&testing.T{}, "eu-west-1", 100)
			b.StartTimer()
			if _, err := e.sync.Sync(ctx, e.in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("unchanged-100", func(b *testing.B) {
		e := newSyncEnv(&testing.T{}, "eu-west-1", 100)
		if _, err := e.sync.Sync(ctx, e.in); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := e.sync.Sync(ctx, e.in); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkEnsureAssetType compares creating the MSK topic asset type with ensuring it again
// (reads only).
func BenchmarkEnsureAssetType(b *testing.B) {
	ctx := context.Background()
	b.Run("create", func(b *testing.B) {
		for b.Loop() {
			f := datazonetest.New()
			d := f.CreateDomain("d")
			if _, err := datazone.NewAssetTypes(f).EnsureAssetType(ctx, datazone.Scope{Domain: d, Project: f.CreateProject(d, "p")}, datazone.MskTopicAssetType); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("unchanged", func(b *testing.B) {
		f := datazonetest.New()
		d := f.CreateDomain("d")
		s := datazone.Scope{Domain: d, Project: f.CreateProject(d, "p")}
		a := datazone.NewAssetTypes(f)
		if _, err := a.EnsureAssetType(ctx, s, datazone.MskTopicAssetType); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := a.EnsureAssetType(ctx, s, datazone.MskTopicAssetType); err != nil {
				b.Fatal(err)
			}
		}
	})
}
