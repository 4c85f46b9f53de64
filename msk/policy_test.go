package msk_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/msk"
)

// assertPolicyJSON compares the policy's JSON with the expected document, written by hand
// from the MSK IAM access control documentation.
func assertPolicyJSON(t *testing.T, p datablocks.Policy, want string) {
	t.Helper()
	if err := p.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	var got, exp any
	if err := json.Unmarshal([]byte(p.String()), &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		t.Fatalf("expected JSON: %v", err)
	}
	if diff := cmp.Diff(exp, got); diff != "" {
		t.Errorf("policy (-want +got):\n%s\ngot:\n%s", diff, p)
	}
}

func TestProducerPolicy(t *testing.T) {
	p, err := msk.ProducerPolicy(msk.ProducerAccess{ClusterARN: exampleClusterARN, Topics: []string{"orders", "payments-*"}})
	if err != nil {
		t.Fatal(err)
	}
	assertPolicyJSON(t, p, `{
	  "Version": "2012-10-17",
	  "Statement": [
	    {
	      "Sid": "MSKConnect",
	      "Effect": "Allow",
	      "Action": "kafka-cluster:Connect",
	      "Resource": "arn:aws:kafka:eu-west-1:111122223333:cluster/orders/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2"
	    },
	    {
	      "Sid": "MSKWriteTopics",
	      "Effect": "Allow",
	      "Action": ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"],
	      "Resource": [
	        "arn:aws:kafka:eu-west-1:111122223333:topic/orders/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2/orders",
	        "arn:aws:kafka:eu-west-1:111122223333:topic/orders/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2/payments-*"
	      ]
	    }
	  ]
	}`)
}

func TestProducerPolicyIdempotentTransactional(t *testing.T) {
	p, err := msk.ProducerPolicy(msk.ProducerAccess{ClusterARN: chinaClusterARN, Topics: []string{"orders"}, TransactionalIDs: []string{"orders-tx-*"}})
	if err != nil {
		t.Fatal(err)
	}
	assertPolicyJSON(t, p, `{
	  "Version": "2012-10-17",
	  "Statement": [
	    {
	      "Sid": "MSKConnect",
	      "Effect": "Allow",
	      "Action": ["kafka-cluster:Connect", "kafka-cluster:WriteDataIdempotently"],
	      "Resource": "arn:aws-cn:kafka:cn-north-1:111122223333:cluster/orders/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2"
	    },
	    {
	      "Sid": "MSKWriteTopics",
	      "Effect": "Allow",
	      "Action": ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"],
	      "Resource": "arn:aws-cn:kafka:cn-north-1:111122223333:topic/orders/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2/orders"
	    },
	    {
	      "Sid": "MSKTransactionalIds",
	      "Effect": "Allow",
	      "Action": ["kafka-cluster:DescribeTransactionalId", "kafka-cluster:AlterTransactionalId"],
	      "Resource": "arn:aws-cn:kafka:cn-north-1:111122223333:transactional-id/orders/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2/orders-tx-*"
	    }
	  ]
	}`)

	idem, err := msk.ProducerPolicy(msk.ProducerAccess{ClusterARN: exampleClusterARN, Topics: []string{"orders"}, Idempotent: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := idem.Statements[0].Action; !cmp.Equal(got, []string{"kafka-cluster:Connect", "kafka-cluster:WriteDataIdempotently"}) {
		t.Errorf("idempotent producer cluster actions = %v", got)
	}
}

func TestConsumerPolicy(t *testing.T) {
	p, err := msk.ConsumerPolicy(msk.ConsumerAccess{ClusterARN: exampleClusterARN, Topics: []string{"orders"}, Groups: []string{"billing", "billing"}, GlueSchemaRegistry: true})
	if err != nil {
		t.Fatal(err)
	}
	assertPolicyJSON(t, p, `{
	  "Version": "2012-10-17",
	  "Statement": [
	    {
	      "Sid": "MSKConnect",
	      "Effect": "Allow",
	      "Action": "kafka-cluster:Connect",
	      "Resource": "arn:aws:kafka:eu-west-1:111122223333:cluster/orders/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2"
	    },
	    {
	      "Sid": "MSKReadTopics",
	      "Effect": "Allow",
	      "Action": ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"],
	      "Resource": "arn:aws:kafka:eu-west-1:111122223333:topic/orders/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2/orders"
	    },
	    {
	      "Sid": "MSKConsumerGroups",
	      "Effect": "Allow",
	      "Action": ["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"],
	      "Resource": "arn:aws:kafka:eu-west-1:111122223333:group/orders/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2/billing"
	    },
	    {
	      "Sid": "GlueSchemaRegistryRead",
	      "Effect": "Allow",
	      "Action": "glue:GetSchemaVersion",
	      "Resource": "*"
	    }
	  ]
	}`)
}

// TestAdminPolicy compares AdminPolicy with the policy derived from two tables written from
// the MSK Developer Guide: the action MSK authorizes each Kafka API TopicAdmin calls with,
// and the actions each action requires ("Semantics of IAM authorization policy actions and
// resources").
func TestAdminPolicy(t *testing.T) {
	// Kafka API -> kafka-cluster action and its resource type.
	apis := map[string]struct{ action, resource string }{
		"SaslAuthenticate":        {"kafka-cluster:Connect", "cluster"},
		"Metadata":                {"kafka-cluster:DescribeTopic", "topic"},
		"CreateTopics":            {"kafka-cluster:CreateTopic", "topic"},
		"CreatePartitions":        {"kafka-cluster:AlterTopic", "topic"},
		"DescribeConfigs":         {"kafka-cluster:DescribeTopicDynamicConfiguration", "topic"},
		"IncrementalAlterConfigs": {"kafka-cluster:AlterTopicDynamicConfiguration", "topic"},
		"DeleteTopics":            {"kafka-cluster:DeleteTopic", "topic"},
	}
	// Required actions column.
	requires := map[string][]string{
		"kafka-cluster:Connect":                           nil,
		"kafka-cluster:DescribeCluster":                   {"kafka-cluster:Connect"},
		"kafka-cluster:AlterCluster":                      {"kafka-cluster:Connect", "kafka-cluster:DescribeCluster"},
		"kafka-cluster:CreateTopic":                       {"kafka-cluster:Connect"},
		"kafka-cluster:DescribeTopic":                     {"kafka-cluster:Connect"},
		"kafka-cluster:AlterTopic":                        {"kafka-cluster:Connect", "kafka-cluster:DescribeTopic"},
		"kafka-cluster:DeleteTopic":                       {"kafka-cluster:Connect", "kafka-cluster:DescribeTopic"},
		"kafka-cluster:DescribeTopicDynamicConfiguration": {"kafka-cluster:Connect"},
		"kafka-cluster:AlterTopicDynamicConfiguration":    {"kafka-cluster:Connect", "kafka-cluster:DescribeTopicDynamicConfiguration"},
	}
	resourceOf := map[string]string{"kafka-cluster:Connect": "cluster", "kafka-cluster:DescribeCluster": "cluster", "kafka-cluster:AlterCluster": "cluster"}
	want := map[string]map[string]bool{"cluster": {}, "topic": {}}
	var add func(action string)
	add = func(action string) {
		res := resourceOf[action]
		if res == "" {
			res = "topic"
		}
		want[res][action] = true
		for _, r := range requires[action] {
			add(r)
		}
	}
	for _, api := range apis {
		add(api.action)
	}

	p, err := msk.AdminPolicy(msk.AdminAccess{ClusterARN: exampleClusterARN, Topics: []string{"*"}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]map[string]bool{"cluster": {}, "topic": {}}
	for _, st := range p.Statements {
		for _, r := range st.Resource {
			res := "topic"
			if r == exampleClusterARN {
				res = "cluster"
			} else if r != "arn:aws:kafka:eu-west-1:111122223333:topic/orders/a1b2c3d4-5678-90ab-cdef-11111EXAMPLE-2/*" {
				t.Errorf("statement %s has resource %s", st.Sid, r)
			}
			for _, a := range st.Action {
				got[res][a] = true
			}
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("AdminPolicy actions by resource (-from the MSK docs +got):\n%s", diff)
	}
}

func TestPolicyInputErrors(t *testing.T) {
	for _, tc := range []struct {
		name    string
		build   func() error
		wantErr string
	}{
		{"producer without cluster", func() error { _, err := msk.ProducerPolicy(msk.ProducerAccess{Topics: []string{"t"}}); return err }, "ProducerAccess.ClusterARN is required"},
		{"producer bad cluster", func() error {
			_, err := msk.ProducerPolicy(msk.ProducerAccess{ClusterARN: "arn:aws:kafka:eu-west-1:111122223333:topic/a/b/t", Topics: []string{"t"}})
			return err
		}, "not a cluster ARN"},
		{"producer without topics", func() error {
			_, err := msk.ProducerPolicy(msk.ProducerAccess{ClusterARN: exampleClusterARN})
			return err
		}, "ProducerAccess.Topics: at least one topic"},
		{"producer bad topic", func() error {
			_, err := msk.ProducerPolicy(msk.ProducerAccess{ClusterARN: exampleClusterARN, Topics: []string{"ok", "bad topic"}})
			return err
		}, "ProducerAccess.Topics[1]"},
		{"producer bad transactional id", func() error {
			_, err := msk.ProducerPolicy(msk.ProducerAccess{ClusterARN: exampleClusterARN, Topics: []string{"t"}, TransactionalIDs: []string{""}})
			return err
		}, "ProducerAccess.TransactionalIDs[0]"},
		{"consumer without groups", func() error {
			_, err := msk.ConsumerPolicy(msk.ConsumerAccess{ClusterARN: exampleClusterARN, Topics: []string{"t"}})
			return err
		}, "ConsumerAccess.Groups: at least one"},
		{"admin without topics", func() error { _, err := msk.AdminPolicy(msk.AdminAccess{ClusterARN: exampleClusterARN}); return err }, "AdminAccess.Topics"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.build()
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), "msk: ") {
				t.Errorf("err = %v, want one starting with \"msk: \" containing %q", err, tc.wantErr)
			}
		})
	}
}
