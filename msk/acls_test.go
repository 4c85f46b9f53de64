package msk_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/segmentio/kafka-go"

	"github.com/datablocks-go/datablocks/msk"
)

func binding(rt kafka.ResourceType, name string, pattern kafka.PatternType, principal string, op kafka.ACLOperationType) msk.ACLBinding {
	return msk.ACLBinding{ResourceType: rt, ResourceName: name, PatternType: pattern, Principal: principal, Host: "*", Operation: op, Permission: kafka.ACLPermissionTypeAllow}
}

// The expected bindings follow kafka-acls --producer (WRITE, DESCRIBE, CREATE on topics;
// WRITE, DESCRIBE on transactional IDs; IDEMPOTENT_WRITE on the cluster) and --consumer
// (READ, DESCRIBE on topics; READ on groups).
func TestProducerACLs(t *testing.T) {
	got, err := msk.ProducerACLs("User:orders-app", msk.ProducerAccess{Topics: []string{"orders"}, TransactionalIDs: []string{"orders-tx"}, Idempotent: true})
	if err != nil {
		t.Fatal(err)
	}
	lit := kafka.PatternTypeLiteral
	want := []msk.ACLBinding{
		binding(kafka.ResourceTypeTopic, "orders", lit, "User:orders-app", kafka.ACLOperationTypeWrite),
		binding(kafka.ResourceTypeTopic, "orders", lit, "User:orders-app", kafka.ACLOperationTypeDescribe),
		binding(kafka.ResourceTypeTopic, "orders", lit, "User:orders-app", kafka.ACLOperationTypeCreate),
		binding(kafka.ResourceTypeTransactionalID, "orders-tx", lit, "User:orders-app", kafka.ACLOperationTypeWrite),
		binding(kafka.ResourceTypeTransactionalID, "orders-tx", lit, "User:orders-app", kafka.ACLOperationTypeDescribe),
		binding(kafka.ResourceTypeCluster, "kafka-cluster", lit, "User:orders-app", kafka.ACLOperationTypeIdempotentWrite),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ProducerACLs (-want +got):\n%s", diff)
	}
}

func TestConsumerACLs(t *testing.T) {
	got, err := msk.ConsumerACLs("User:billing", msk.ConsumerAccess{Topics: []string{"orders-*"}, Groups: []string{"billing-*", "*"}})
	if err != nil {
		t.Fatal(err)
	}
	pre := kafka.PatternTypePrefixed
	want := []msk.ACLBinding{
		binding(kafka.ResourceTypeTopic, "orders-", pre, "User:billing", kafka.ACLOperationTypeRead),
		binding(kafka.ResourceTypeTopic, "orders-", pre, "User:billing", kafka.ACLOperationTypeDescribe),
		binding(kafka.ResourceTypeGroup, "billing-", pre, "User:billing", kafka.ACLOperationTypeRead),
		binding(kafka.ResourceTypeGroup, "*", kafka.PatternTypeLiteral, "User:billing", kafka.ACLOperationTypeRead),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ConsumerACLs (-want +got):\n%s", diff)
	}
	if s := got[2].String(); s != "(principal=User:billing, host=*, operation=READ, permissionType=ALLOW) on PREFIXED:Group:billing-" {
		t.Errorf("String() = %q", s)
	}
}

func TestACLHelperErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		fn      func() error
		wantErr string
	}{
		{"no principal", func() error { _, err := msk.ProducerACLs("", msk.ProducerAccess{Topics: []string{"t"}}); return err }, "principal"},
		{"principal without type", func() error {
			_, err := msk.ProducerACLs("alice", msk.ProducerAccess{Topics: []string{"t"}})
			return err
		}, "User:<name>"},
		{"no topics", func() error { _, err := msk.ProducerACLs("User:a", msk.ProducerAccess{}); return err }, "Topics"},
		{"bad topic", func() error {
			_, err := msk.ProducerACLs("User:a", msk.ProducerAccess{Topics: []string{"a b"}})
			return err
		}, "Topics[0]"},
		{"consumer without groups", func() error {
			_, err := msk.ConsumerACLs("User:a", msk.ConsumerAccess{Topics: []string{"t"}})
			return err
		}, "Groups"},
		{"wildcard inside a topic", func() error {
			_, err := msk.ProducerACLs("User:a", msk.ProducerAccess{Topics: []string{"or*ders"}})
			return err
		}, "Topics[0]"},
		{"wildcard inside a group", func() error {
			_, err := msk.ConsumerACLs("User:a", msk.ConsumerAccess{Topics: []string{"t"}, Groups: []string{"g", "a*b*"}})
			return err
		}, "Groups[1]"},
		{"empty transactional ID", func() error {
			_, err := msk.ProducerACLs("User:a", msk.ProducerAccess{Topics: []string{"t"}, TransactionalIDs: []string{""}})
			return err
		}, "TransactionalIDs[0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.fn(); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("err = %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestACLAdminAgainstKfake(t *testing.T) {
	ctx := context.Background()
	admin := msk.NewACLAdmin(newKafka(t))
	producer, err := msk.ProducerACLs("User:orders-app", msk.ProducerAccess{Topics: []string{"orders"}, Idempotent: true})
	if err != nil {
		t.Fatal(err)
	}
	consumer, err := msk.ConsumerACLs("User:billing", msk.ConsumerAccess{Topics: []string{"orders"}, Groups: []string{"billing"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := admin.CreateACLs(ctx, append(producer, consumer...)); err != nil {
		t.Fatal(err)
	}
	// Creating again is a no-op: Kafka keeps ACLs as a set.
	if err := admin.CreateACLs(ctx, consumer); err != nil {
		t.Fatal(err)
	}
	lit := kafka.PatternTypeLiteral
	got, err := admin.DescribeACLs(ctx, msk.ACLBinding{Principal: "User:billing"})
	if err != nil {
		t.Fatal(err)
	}
	wantBilling := []msk.ACLBinding{
		binding(kafka.ResourceTypeTopic, "orders", lit, "User:billing", kafka.ACLOperationTypeRead),
		binding(kafka.ResourceTypeTopic, "orders", lit, "User:billing", kafka.ACLOperationTypeDescribe),
		binding(kafka.ResourceTypeGroup, "billing", lit, "User:billing", kafka.ACLOperationTypeRead),
	}
	if diff := cmp.Diff(wantBilling, got); diff != "" {
		t.Errorf("DescribeACLs (-want +got):\n%s", diff)
	}
	all, err := admin.DescribeACLs(ctx, msk.ACLBinding{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 7 {
		t.Errorf("%d bindings in total, want 7: %v", len(all), all)
	}
	deleted, err := admin.DeleteACLs(ctx, []msk.ACLBinding{{Principal: "User:orders-app", ResourceType: kafka.ResourceTypeTopic}})
	if err != nil {
		t.Fatal(err)
	}
	wantDeleted := []msk.ACLBinding{
		binding(kafka.ResourceTypeTopic, "orders", lit, "User:orders-app", kafka.ACLOperationTypeWrite),
		binding(kafka.ResourceTypeTopic, "orders", lit, "User:orders-app", kafka.ACLOperationTypeCreate),
		binding(kafka.ResourceTypeTopic, "orders", lit, "User:orders-app", kafka.ACLOperationTypeDescribe),
	}
	if diff := cmp.Diff(wantDeleted, deleted); diff != "" {
		t.Errorf("DeleteACLs (-want +got):\n%s", diff)
	}
	left, err := admin.DescribeACLs(ctx, msk.ACLBinding{Principal: "User:orders-app"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]msk.ACLBinding{binding(kafka.ResourceTypeCluster, "kafka-cluster", lit, "User:orders-app", kafka.ACLOperationTypeIdempotentWrite)}, left); diff != "" {
		t.Errorf("left (-want +got):\n%s", diff)
	}
	if again, err := admin.DeleteACLs(ctx, []msk.ACLBinding{{Principal: "User:orders-app", ResourceType: kafka.ResourceTypeTopic}}); err != nil || len(again) != 0 {
		t.Errorf("second delete = %v, %v", again, err)
	}
}

func TestCreateACLsValidation(t *testing.T) {
	admin := msk.NewACLAdmin(&failingACLs{})
	ctx := context.Background()
	for _, tc := range []struct {
		b       msk.ACLBinding
		wantErr string
	}{
		{msk.ACLBinding{ResourceType: kafka.ResourceTypeTopic, ResourceName: "t", Principal: "alice", Operation: kafka.ACLOperationTypeRead}, "principal"},
		{msk.ACLBinding{ResourceType: kafka.ResourceTypeAny, ResourceName: "t", Principal: "User:a", Operation: kafka.ACLOperationTypeRead}, "ResourceType"},
		{msk.ACLBinding{ResourceType: kafka.ResourceTypeCluster, ResourceName: "c", Principal: "User:a", Operation: kafka.ACLOperationTypeAlter}, "kafka-cluster"},
		{msk.ACLBinding{ResourceType: kafka.ResourceTypeTopic, ResourceName: "t", Principal: "User:a", Operation: kafka.ACLOperationTypeAny}, "operation"},
		{msk.ACLBinding{ResourceType: kafka.ResourceTypeTopic, ResourceName: "t", Principal: "User:a", Operation: kafka.ACLOperationTypeRead, PatternType: kafka.PatternTypeMatch}, "PatternType"},
		{msk.ACLBinding{ResourceType: kafka.ResourceTypeGroup, Principal: "User:a", Operation: kafka.ACLOperationTypeRead}, "ResourceName"},
	} {
		err := admin.CreateACLs(ctx, []msk.ACLBinding{tc.b})
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "bindings[0]") {
			t.Errorf("CreateACLs(%+v) = %v, want an error containing %q", tc.b, err, tc.wantErr)
		}
	}
	if err := admin.CreateACLs(ctx, nil); err == nil {
		t.Error("CreateACLs accepted no bindings")
	}
	if _, err := admin.DeleteACLs(ctx, nil); err == nil {
		t.Error("DeleteACLs accepted no filters")
	}
}

// failingACLs rejects the second binding of every CreateACLs call.
type failingACLs struct{ msk.ACLsAPIClient }

func (f *failingACLs) CreateACLs(_ context.Context, req *kafka.CreateACLsRequest) (*kafka.CreateACLsResponse, error) {
	errs := make([]error, len(req.ACLs))
	if len(errs) > 1 {
		errs[1] = kafka.SecurityDisabled
	}
	return &kafka.CreateACLsResponse{Errors: errs}, nil
}

func TestCreateACLsBatchError(t *testing.T) {
	bindings, err := msk.ConsumerACLs("User:a", msk.ConsumerAccess{Topics: []string{"t"}, Groups: []string{"g"}})
	if err != nil {
		t.Fatal(err)
	}
	err = msk.NewACLAdmin(&failingACLs{}).CreateACLs(context.Background(), bindings)
	var batch *msk.ACLBatchError
	if !errors.As(err, &batch) {
		t.Fatalf("err = %v, want *msk.ACLBatchError", err)
	}
	if len(batch.Errors) != 3 || batch.Errors[0] != nil || batch.Errors[2] != nil || !errors.Is(batch.Errors[1], kafka.SecurityDisabled) {
		t.Errorf("Errors = %v, want only [1] set", batch.Errors)
	}
	if !errors.Is(err, kafka.SecurityDisabled) || !strings.Contains(err.Error(), "1 of 3") {
		t.Errorf("err = %v", err)
	}
}

// TestACLAdminPerCallOptions checks that options given to one call apply to that call only:
// a per-call Logger records the call, and the admin's own (silent) options stay unchanged.
func TestACLAdminPerCallOptions(t *testing.T) {
	ctx := context.Background()
	admin := msk.NewACLAdmin(newKafka(t))
	var buf bytes.Buffer
	logTo := func(o *msk.Options) {
		o.Logger = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	consumer, err := msk.ConsumerACLs("User:billing", msk.ConsumerAccess{Topics: []string{"orders"}, Groups: []string{"billing"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := admin.CreateACLs(ctx, consumer, logTo); err != nil {
		t.Fatal(err)
	}
	got, err := admin.DescribeACLs(ctx, msk.ACLBinding{Principal: "User:billing"}, logTo)
	if err != nil || len(got) != len(consumer) {
		t.Fatalf("DescribeACLs = %v, %v; want %d bindings", got, err, len(consumer))
	}
	if _, err := admin.DeleteACLs(ctx, []msk.ACLBinding{{Principal: "User:billing"}}, logTo); err != nil {
		t.Fatal(err)
	}
	// ConsumerACLs gives READ and DESCRIBE on the topic and READ on the group: 3 bindings.
	for _, want := range []string{`msg="created ACLs" count=3`, `msg="described ACLs" count=3`, `msg="deleted ACLs" count=3`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("log %q lacks %q", buf.String(), want)
		}
	}
	buf.Reset()
	if _, err := admin.DescribeACLs(ctx, msk.ACLBinding{}); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Errorf("a call without options logged %q: per-call options leaked into the admin", buf.String())
	}
}
