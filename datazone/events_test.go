package datazone_test

import (
	"strings"
	"testing"

	"github.com/datablocks-go/datablocks/datazone"
)

// maxEventSize is the documented limit of the event parsers: 256 KB.
const maxEventSize = 256 * 1024

func TestParseGrantEventFromFake(t *testing.T) {
	e := newGrantEnv(t, consumerAccount, false)
	for _, revoke := range []bool{false, true} {
		ev, err := datazone.ParseGrantEvent(e.dz.GrantEvent(e.domain, e.grant, revoke))
		if err != nil {
			t.Fatal(err)
		}
		want := datazone.GrantRequested
		if revoke {
			want = datazone.RevokeRequested
		}
		if ev.Kind != want || ev.GrantID != e.grant || ev.Domain != e.domain || ev.ListingID != e.listing || ev.TargetID != e.target ||
			ev.EnvironmentID != e.env || ev.AssetType != datazone.MskTopicAssetTypeName || ev.ListingRevision != "1" {
			t.Errorf("ParseGrantEvent = %+v", ev)
		}
	}
}

func TestParseGrantEventLenient(t *testing.T) {
	// Unknown fields, a numeric listingVersion and a missing asset id are fine.
	raw := `{"detail-type":"Subscription Grant Requested","source":"aws.datazone","extra":[1,2,{"x":null}],
		"detail":{"metadata":{"id":"grt_1-a","domain":"dzd-abc","user":"u"},"data":{"asset":{"listingId":"lst1","listingVersion":3,"typeName":"MskTopicAssetType"},
		"subscriptionTarget":{"id":"tgt1","environmentId":"env1"},"more":{"a":"b"}}}}`
	ev, err := datazone.ParseGrantEvent([]byte(raw))
	if err != nil || ev.ListingRevision != "3" || ev.GrantID != "grt_1-a" || ev.AssetID != "" {
		t.Fatalf("ParseGrantEvent = %+v, %v", ev, err)
	}
	for _, tc := range []struct{ raw, want string }{
		{`{"detail-type":"Subscription Request Created","detail":{}}`, "detail-type"},
		{`{"detail-type":"Subscription Grant Requested","source":"aws.glue","detail":{}}`, "source"},
		{`{"detail-type":"Subscription Grant Requested","detail":{"metadata":{"id":"g","domain":"nodzd"}}}`, "detail.metadata.domain"},
		{`{"detail-type":"Subscription Grant Requested","detail":{"metadata":{"id":"g/../x","domain":"dzd_1"}}}`, "detail.metadata.id"},
		{`[` + strings.Repeat("[", 100) + strings.Repeat("]", 101), "nests"},
		{`{"x":"` + strings.Repeat("a", maxEventSize) + `"}`, "bytes"},
	} {
		if _, err := datazone.ParseGrantEvent([]byte(tc.raw)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseGrantEvent(%.60s) = %v; want %q", tc.raw, err, tc.want)
		}
	}
}

// D11: the CloudTrail events of RegisterSchemaVersion (no registryName in the response) and
// of DeleteSchema by ARN name their schema too.
func TestParseSchemaEvent(t *testing.T) {
	for _, tc := range []struct{ raw, want string }{
		{`{"source":"aws.glue","detail-type":"AWS API Call via CloudTrail","detail":{"eventSource":"glue.amazonaws.com","eventName":"CreateSchema",
			"requestParameters":{"registryId":{"registryName":"streaming"},"schemaName":"orders","dataFormat":"AVRO"},
			"responseElements":{"registryName":"streaming","schemaName":"orders","schemaArn":"arn:aws:glue:eu-west-1:123456789012:schema/streaming/orders"}}}`, "CreateSchema streaming/orders"},
		{`{"source":"aws.glue","detail":{"eventName":"RegisterSchemaVersion","requestParameters":{"schemaId":{"schemaName":"orders","registryName":"streaming"},"schemaDefinition":"{}"},
			"responseElements":{"schemaVersionId":"b3f1","versionNumber":2,"status":"PENDING"}}}`, "RegisterSchemaVersion streaming/orders"},
		{`{"source":"aws.glue","detail":{"eventName":"DeleteSchema","requestParameters":{"schemaId":{"schemaArn":"arn:aws-cn:glue:cn-north-1:123456789012:schema/streaming/pay$ments"}}}}`, "DeleteSchema streaming/pay$ments"},
		{`{"detail":{"eventName":"UpdateSchema","requestParameters":{"schemaId":{"schemaName":"orders"}}}}`, "UpdateSchema default-registry/orders"},
	} {
		ev, err := datazone.ParseSchemaEvent([]byte(tc.raw))
		if err != nil || ev.EventName+" "+ev.RegistryName+"/"+ev.SchemaName != tc.want {
			t.Errorf("ParseSchemaEvent = %+v, %v; want %s", ev, err, tc.want)
		}
	}
	for _, raw := range []string{
		`{"source":"aws.glue","detail":{"eventName":"GetSchema","requestParameters":{"schemaId":{"schemaName":"orders"}}}}`,
		`{"source":"aws.glue","detail":{"eventName":"CreateSchema","errorCode":"AccessDenied","requestParameters":{"schemaName":"orders"}}}`,
		`{"source":"aws.glue","detail":{"eventName":"DeleteSchema","requestParameters":{}}}`,
		`{"source":"aws.glue","detail":{"eventName":"DeleteSchema","requestParameters":{"schemaId":{"schemaName":"a/b"}}}}`,
	} {
		if ev, err := datazone.ParseSchemaEvent([]byte(raw)); err == nil {
			t.Errorf("ParseSchemaEvent(%s) = %+v, want an error", raw, ev)
		}
	}
}

func FuzzParseGrantEvent(f *testing.F) {
	f.Add([]byte(`{"detail-type":"Subscription Grant Requested","detail":{"metadata":{"id":"g1","domain":"dzd_1"},"data":{"asset":{"listingId":"l","listingVersion":"2"},"subscriptionTarget":{"id":"t","environmentId":"e"}}}}`))
	f.Add([]byte(`{"detail-type":"Subscription Grant Revoke Requested","detail":{"metadata":{"id":1,"domain":null}}}`))
	f.Add([]byte(`[[[[{"a":"\"]]]]"}]]]]`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		ev, err := datazone.ParseGrantEvent(raw)
		if err != nil {
			return
		}
		if datazone.Validate(ev) != nil {
			t.Fatalf("accepted an event that does not validate: %+v", ev)
		}
	})
}

func FuzzParseSchemaEvent(f *testing.F) {
	f.Add([]byte(`{"source":"aws.glue","detail":{"eventName":"RegisterSchemaVersion","requestParameters":{"schemaId":{"schemaName":"o","registryName":"r"}}}}`))
	f.Add([]byte(`{"detail":{"eventName":"DeleteSchema","requestParameters":{"schemaId":{"schemaArn":"arn:aws:glue:r:1:schema/a/b"}}}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		ev, err := datazone.ParseSchemaEvent(raw)
		if err != nil {
			return
		}
		if ev.SchemaName == "" || ev.RegistryName == "" || strings.ContainsAny(ev.SchemaName+ev.RegistryName, "/ :") {
			t.Fatalf("accepted %+v", ev)
		}
	})
}
