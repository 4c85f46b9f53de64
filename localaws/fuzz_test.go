package localaws

import (
	"bytes"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/datazone"
	dztypes "github.com/aws/aws-sdk-go-v2/service/datazone/types"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	gluedocument "github.com/aws/aws-sdk-go-v2/service/glue/document"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

// FuzzDecodeJSON feeds arbitrary bodies to the JSON decoder for inputs with nested structs,
// lists, maps, timestamps, unions and documents: it must never panic, and what it accepts
// must encode again.
func FuzzDecodeJSON(f *testing.F) {
	for _, seed := range []string{
		`{"domainIdentifier":"dzd_1","searchText":"orders","filters":{"or":[{"filter":{"attribute":"a","value":"v"}},{"and":[{"filter":{"attribute":"b","value":"w"}}]}]},"maxResults":5}`,
		`{"DatabaseName":"sales","TableInput":{"Name":"orders","StorageDescriptor":{"Columns":[{"Name":"id","Type":"bigint"}]},"Parameters":{"k":"v"},"LastAccessTime":1700000000.5}}`,
		`{"OpenTableFormatInput":{"IcebergInput":{"MetadataOperation":"CREATE","CreateIcebergTableInput":{"Schema":{"Fields":[{"Id":1,"Name":"a","Type":{"x":[1,2.5,"s",null,true]},"Required":true}]}}}}}`,
		`{"filters":{"and":[{"and":[{"and":[]}]}]}}`,
		`{"a":"\u00e9\ud800","LastAccessTime":"2024-01-02T03:04:05.123Z","Blob":"AAEC"}`,
		`[]`, `null`, `1e999`, strings.Repeat(`{"a":`, 70),
	} {
		f.Add([]byte(seed))
	}
	c := newCodec(Service{Protocol: RESTJSON1, Naming: LowerCamel,
		Unions: []any{dztypes.FilterClauseMemberAnd{}, dztypes.FilterClauseMemberOr{}, dztypes.FilterClauseMemberFilter{}}})
	glueCodec := newCodec(Service{Protocol: AWSJSON11, NewDocument: func(v any) any { return gluedocument.NewLazyDocument(v) }})
	f.Fuzz(func(t *testing.T, body []byte) {
		x, err := parseJSON(body)
		if err != nil {
			return
		}
		for _, tc := range []struct {
			c  *codec
			in any
		}{{c, new(datazone.SearchListingsInput)}, {glueCodec, new(glue.CreateTableInput)}} {
			v := reflect.ValueOf(tc.in).Elem()
			if tc.c.decodeJSON(v, x, false, "in") != nil {
				continue
			}
			var b bytes.Buffer
			if err := tc.c.encodeJSONStruct(&b, v, nil); err != nil {
				t.Errorf("%T decoded from %q does not encode: %v", tc.in, body, err)
			}
		}
	})
}

// FuzzDecodeForm feeds arbitrary forms to the query decoder for ec2 and sns inputs: it
// must never panic, and what it accepts must encode again as XML.
func FuzzDecodeForm(f *testing.F) {
	for _, seed := range []string{
		"Action=GetInstanceTypesFromInstanceRequirements&Version=2016-11-15&ArchitectureType.1=x86_64&VirtualizationType.1=hvm" +
			"&InstanceRequirements.VCpuCount.Min=2&InstanceRequirements.MemoryMiB.Min=4096&InstanceRequirements.InstanceGeneration.1=current",
		"Action=DescribeInstanceTypes&Filter.1.Name=a&Filter.1.Value.1=x&Filter.1.Value.2=y&InstanceType.1=m5.large&MaxResults=5",
		"Action=Publish&TopicArn=arn&Message=m&MessageAttributes.entry.1.Name=k&MessageAttributes.entry.1.Value.DataType=String" +
			"&MessageAttributes.entry.1.Value.StringValue=v&MessageAttributes.entry.2.Name=b&MessageAttributes.entry.2.Value.BinaryValue=AAEC",
		"Filter.99999999999999999999.Name=a&Filter.0.Name=b&Filter.-1.Name=c&Filter.1=d",
		strings.Repeat("A.", 70) + "B=1",
		"MaxResults=1e3&DryRun=maybe&InstanceRequirements.MemoryMiB.Min=-1",
	} {
		f.Add(seed)
	}
	ec2Codec := newCodec(Service{Protocol: EC2Query})
	snsCodec := newCodec(Service{Protocol: AWSQuery})
	f.Fuzz(func(t *testing.T, body string) {
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		for _, tc := range []struct {
			c  *codec
			in any
		}{{ec2Codec, new(ec2.GetInstanceTypesFromInstanceRequirementsInput)}, {ec2Codec, new(ec2.DescribeInstanceTypesInput)},
			{snsCodec, new(sns.PublishInput)}} {
			v := reflect.ValueOf(tc.in).Elem()
			if tc.c.decodeForm(v, form) != nil {
				continue
			}
			var b bytes.Buffer
			if err := tc.c.encodeXMLFields(&b, v, nil); err != nil {
				t.Errorf("%T decoded from %q does not encode: %v", tc.in, body, err)
			}
		}
	})
}
