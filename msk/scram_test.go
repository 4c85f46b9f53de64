package msk_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/google/go-cmp/cmp"
	"github.com/segmentio/kafka-go"

	"github.com/datablocks-go/datablocks/internal/awsfake"
	"github.com/datablocks-go/datablocks/msk"
	"github.com/datablocks-go/datablocks/msk/msktest"
)

// secrets is a SecretAPIClient that answers from a map and records the IDs it was asked for.
type secrets struct {
	values map[string]*string // nil value: a binary secret
	asked  []string
}

func (s *secrets) GetSecretValue(_ context.Context, in *secretsmanager.GetSecretValueInput, _ ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error) {
	id := aws.ToString(in.SecretId)
	s.asked = append(s.asked, id)
	v, ok := s.values[id]
	if !ok {
		return nil, &smtypes.ResourceNotFoundException{Message: aws.String("Secrets Manager can't find the specified secret.")}
	}
	return &secretsmanager.GetSecretValueOutput{Name: aws.String(id), SecretString: v}, nil
}

const scramPassword = "c0rrect-h0rse-battery"

func TestSCRAMAgainstLocalMSK(t *testing.T) {
	c := msktest.MustCluster(t, func(o *msktest.ClusterOptions) {
		o.SeedTopics = []string{"orders"}
		o.SCRAMUsers = map[string]string{"orders-app": scramPassword}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	sm := &secrets{values: map[string]*string{
		"AmazonMSK_orders": aws.String(`{"username":"orders-app","password":"` + scramPassword + `"}`),
		"AmazonMSK_wrong":  aws.String(`{"username":"orders-app","password":"guess"}`),
	}}
	mech, err := msk.NewSCRAMMechanism(ctx, sm, "AmazonMSK_orders")
	if err != nil {
		t.Fatal(err)
	}
	if mech.Name() != "SCRAM-SHA-512" {
		t.Fatalf("Name() = %q", mech.Name())
	}
	w := msk.NewWriter(c.Addrs(), "orders", mech, c.ConnOptions)
	defer w.Close()
	if err := w.WriteMessages(ctx, kafka.Message{Key: []byte("k"), Value: []byte("v")}); err != nil {
		t.Fatal(err)
	}
	r := kafka.NewReader(msk.NewReaderConfig(c.Addrs(), "orders", "g", mech, c.ConnOptions))
	defer r.Close()
	m, err := r.ReadMessage(ctx)
	if err != nil || string(m.Value) != "v" {
		t.Fatalf("ReadMessage = %q, %v", m.Value, err)
	}
	if st := c.Stats(); st.Authentications == 0 || st.IAMAuthentications != 0 {
		t.Fatalf("stats %+v: want SCRAM authentications only", st)
	}

	wrong, err := msk.NewSCRAMMechanism(ctx, sm, "AmazonMSK_wrong")
	if err != nil {
		t.Fatal(err)
	}
	_, err = msk.NewDialer(wrong, c.ConnOptions).DialContext(ctx, "tcp", c.Addrs()[0])
	var ae *msk.AuthError
	if !errors.As(err, &ae) || ae.Mechanism != "SCRAM-SHA-512" || !errors.Is(err, kafka.SASLAuthenticationFailed) {
		t.Fatalf("wrong password: %v; want a SCRAM-SHA-512 AuthError wrapping SASLAuthenticationFailed", err)
	}
	if strings.Contains(err.Error(), "guess") {
		t.Fatalf("error %q contains the password", err)
	}
}

func TestNewSCRAMMechanismErrors(t *testing.T) {
	ctx := context.Background()
	sm := &secrets{values: map[string]*string{
		"AmazonMSK_truncated": aws.String(`{"username":"u","password":"` + scramPassword),
		"AmazonMSK_array":     aws.String(`["` + scramPassword + `"]`),
		"AmazonMSK_number":    aws.String(`{"username":"u","password":98765}`),
		"AmazonMSK_nouser":    aws.String(`{"password":"` + scramPassword + `"}`),
		"AmazonMSK_nopass":    aws.String(`{"username":"u"}`),
		"AmazonMSK_binary":    nil,
	}}
	cases := []struct {
		id, want string
		asks     bool
	}{
		{"", "empty", false},
		{"orders-credentials", `does not start with "AmazonMSK_"`, false},
		{"arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-AbCdEf", `"orders-AbCdEf" does not start with "AmazonMSK_"`, false},
		{"arn:aws:ssm:eu-west-1:123456789012:parameter/AmazonMSK_x", "not a Secrets Manager secret ARN", false},
		{"AmazonMSK_missing", `reading SCRAM secret "AmazonMSK_missing"`, true},
		{"AmazonMSK_truncated", "is not a JSON object", true},
		{"AmazonMSK_array", "is not a JSON object", true},
		{"AmazonMSK_number", "is not a JSON object", true},
		{"AmazonMSK_nouser", `no "username"`, true},
		{"AmazonMSK_nopass", `no "password"`, true},
		{"AmazonMSK_binary", "no SecretString", true},
	}
	for _, tc := range cases {
		sm.asked = nil
		_, err := msk.NewSCRAMMechanism(ctx, sm, tc.id)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want it to mention %q", tc.id, err, tc.want)
			continue
		}
		if strings.Contains(err.Error(), scramPassword) || strings.Contains(err.Error(), "98765") {
			t.Errorf("%q: error %q contains the password", tc.id, err)
		}
		if asked := len(sm.asked) > 0; asked != tc.asks {
			t.Errorf("%q: Secrets Manager called = %v, want %v", tc.id, asked, tc.asks)
		}
	}
	_, err := msk.NewSCRAMMechanism(ctx, sm, "AmazonMSK_missing")
	var nf *smtypes.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Errorf("missing secret: %v does not wrap *types.ResourceNotFoundException", err)
	}
	if _, err := msk.NewSCRAMMechanism(ctx, nil, "AmazonMSK_x"); err == nil {
		t.Error("nil client accepted")
	}
}

func TestSCRAMMechanismNeverShowsThePassword(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	sm := &secrets{values: map[string]*string{"AmazonMSK_app": aws.String(`{"username":"app","password":"` + scramPassword + `"}`)}}
	mech, err := msk.NewSCRAMMechanism(context.Background(), sm, "AmazonMSK_app", func(o *msk.Options) { o.Logger = logger })
	if err != nil {
		t.Fatal(err)
	}
	logger.Info("configured", "mechanism", mech)
	out := fmt.Sprintf("%v %+v %#v %s", mech, mech, mech, mech) + logs.String()
	if strings.Contains(out, scramPassword) {
		t.Fatalf("password shown in %q", out)
	}
	if !strings.Contains(out, "user=app") || !strings.Contains(logs.String(), `"user":"app"`) {
		t.Fatalf("user name not shown in %q", out)
	}
}

// TestGetSecretValueWire runs the real Secrets Manager client against the wire-level fake and
// checks the request NewSCRAMMechanism sends (GetSecretValue, awsJson1_1).
func TestGetSecretValueWire(t *testing.T) {
	s := awsfake.New(t)
	s.HandleJSON("secretsmanager.GetSecretValue", func(r *awsfake.Request) (any, error) {
		if r.Map()["SecretId"] != "AmazonMSK_payments" {
			return nil, &awsfake.Error{Code: "ResourceNotFoundException", Message: "Secrets Manager can't find the specified secret."}
		}
		return map[string]any{
			"ARN":           "arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_payments-AbCdEf",
			"Name":          "AmazonMSK_payments",
			"SecretString":  `{"username":"payments","password":"` + scramPassword + `"}`,
			"VersionId":     "EXAMPLE1-90ab-cdef-fedc-ba987SECRET1",
			"VersionStages": []string{"AWSPENDING"},
		}, nil
	})
	client := secretsmanager.NewFromConfig(s.Config())
	mech, err := msk.NewSCRAMMechanism(context.Background(), client, "AmazonMSK_payments", func(o *msk.Options) {
		o.VersionStage = "AWSPENDING"
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(fmt.Sprint(mech), "user=payments") {
		t.Errorf("mechanism %v", mech)
	}
	calls := s.Ops("GetSecretValue")
	if len(calls) != 1 || !calls[0].Verified {
		t.Fatalf("calls %+v: want one signed GetSecretValue", calls)
	}
	want := map[string]any{"SecretId": "AmazonMSK_payments", "VersionStage": "AWSPENDING"}
	if diff := cmp.Diff(want, calls[0].Map()); diff != "" {
		t.Errorf("GetSecretValue body (-want +got):\n%s", diff)
	}

	_, err = msk.NewSCRAMMechanism(context.Background(), client, "AmazonMSK_nope")
	var nf *smtypes.ResourceNotFoundException
	if !errors.As(err, &nf) || !strings.Contains(err.Error(), "AmazonMSK_nope") {
		t.Errorf("missing secret over the wire: %v", err)
	}
}
