package datazone

import (
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/datazone/types"

	"github.com/datablocks-go/datablocks/glue"
	"github.com/datablocks-go/datablocks/msk"
)

// Names of the MSK topic asset type, its forms and form types, as DSF's DataZoneMskAssetType
// names them, so that assets written by either are read by the other.
const (
	// mskTopicAssetTypeName is the asset type's name; the others name its form types and
	// the forms' names on assets.
	mskTopicAssetTypeName          = "MskTopicAssetType"
	mskSourceReferenceFormTypeName = "MskSourceReferenceFormType"
	kafkaSchemaFormTypeName        = "KafkaSchemaFormType"
	relationalTableFormTypeName    = "amazon.datazone.RelationalTableFormType"

	mskSourceReferenceFormName = "MskSourceReferenceForm"
	kafkaSchemaFormName        = "KafkaSchemaForm"
	relationalTableFormName    = "RelationalTableForm"
)

// mskSourceReferenceFormType locates a topic's cluster.
var mskSourceReferenceFormType = FormType{
	Name:        mskSourceReferenceFormTypeName,
	Description: "The MSK cluster a topic lives in.",
	Fields: []FormField{
		{Name: "cluster_arn", Type: String, Required: true, Doc: "The cluster's ARN."},
		{Name: "cluster_type", Type: String, Required: true, Doc: "PROVISIONED or SERVERLESS."},
		{Name: "bootstrap_brokers", Type: String, Required: true, Doc: "The IAM bootstrap brokers, comma-separated."},
	},
}

// kafkaSchemaFormType describes a topic's schema in the Glue Schema Registry.
var kafkaSchemaFormType = FormType{
	Name:        kafkaSchemaFormTypeName,
	Description: "A Kafka topic and its Glue Schema Registry schema.",
	Fields: []FormField{
		{Name: "kafka_topic", Type: String, Required: true, Doc: "The topic name."},
		{Name: "schema_version", Type: Integer, Doc: "The schema version number."},
		{Name: "schema_arn", Type: String, Doc: "The schema's ARN."},
		{Name: "registry_arn", Type: String, Doc: "The registry's ARN."},
		{Name: "compatibility_mode", Type: String, Doc: "The schema's compatibility mode."},
		{Name: "data_format", Type: String, Doc: "AVRO, JSON or PROTOBUF."},
	},
}

// MskTopicAssetType is the asset type of MSK topics: where the topic is, its schema, and its
// columns in DataZone's built-in relational table form.
var MskTopicAssetType = AssetType{
	Name:        mskTopicAssetTypeName,
	Description: "A Kafka topic on Amazon MSK, with its schema from the Glue Schema Registry.",
	FormTypes:   []FormType{mskSourceReferenceFormType, kafkaSchemaFormType},
	Forms: []FormRef{
		{Name: mskSourceReferenceFormName, TypeName: mskSourceReferenceFormTypeName, Required: true},
		{Name: kafkaSchemaFormName, TypeName: kafkaSchemaFormTypeName, Required: true},
		{Name: relationalTableFormName, TypeName: relationalTableFormTypeName, Required: true},
	},
}

// topicAsset is one topic as an asset of MskTopicAssetType: the topic is named after its
// schema, one topic per schema.
type topicAsset struct {
	// Cluster is the cluster's parsed ARN; ClusterType is PROVISIONED or SERVERLESS; Brokers
	// the IAM bootstrap broker string.
	Cluster     msk.ClusterARN
	ClusterType string
	Brokers     string
	// RegistryARN is the schema's registry ARN.
	RegistryARN string
	// Schema is the schema with its latest version.
	Schema glue.Schema
}

// Topic returns the topic's name, the schema's name.
func (t topicAsset) Topic() string { return t.Schema.Name }

// ExternalID returns the asset's external identifier, the topic's ARN in the cluster's
// partition: arn:<partition>:kafka:<region>:<account>:topic/<cluster>/<uuid>/<topic>.
func (t topicAsset) ExternalID() string { return t.Cluster.Topic(t.Topic()) }

// column is one column of the relational table form.
type column struct {
	// ColumnName is the column's name, as glue maps the schema's field.
	ColumnName string `json:"columnName"`
	// DataType is the column's Athena (Hive DDL) type, such as "bigint" or "struct<zip:string>".
	DataType string `json:"dataType"`
}

// Forms returns the asset's forms with their content, a JSON string each (DataZone's
// formsInput), in canonical form: the same topic always gives the same bytes.
func (t topicAsset) Forms() ([]types.FormInput, error) {
	if err := msk.ValidateTopicName(t.Topic()); err != nil {
		return nil, fmt.Errorf("datazone: schema %s is no valid topic name: %w", t.Schema.Name, err)
	}
	var cols []column
	if t.Schema.Definition != "" {
		sc, err := glue.ParseSchema(t.Schema.DataFormat, t.Schema.Definition)
		if err != nil {
			return nil, fmt.Errorf("datazone: columns of schema %s: %w", t.Schema.Name, err)
		}
		cols = athenaColumns(sc)
	}
	if cols == nil {
		cols = []column{}
	}
	source := struct {
		ClusterARN       string `json:"cluster_arn"`
		ClusterType      string `json:"cluster_type"`
		BootstrapBrokers string `json:"bootstrap_brokers"`
	}{t.Cluster.String(), t.ClusterType, t.Brokers}
	schema := struct {
		Topic         string `json:"kafka_topic"`
		Version       int64  `json:"schema_version,omitempty"`
		SchemaARN     string `json:"schema_arn,omitempty"`
		RegistryARN   string `json:"registry_arn,omitempty"`
		Compatibility string `json:"compatibility_mode,omitempty"`
		DataFormat    string `json:"data_format,omitempty"`
	}{t.Topic(), t.Schema.Version, t.Schema.ARN, t.RegistryARN, string(t.Schema.Compatibility), string(t.Schema.DataFormat)}
	table := struct {
		TableName string   `json:"tableName"`
		Columns   []column `json:"columns"`
	}{t.Topic(), cols}
	out := make([]types.FormInput, 0, 3)
	for _, f := range []struct {
		name, typ string
		v         any
	}{
		{mskSourceReferenceFormName, mskSourceReferenceFormTypeName, source},
		{kafkaSchemaFormName, kafkaSchemaFormTypeName, schema},
		{relationalTableFormName, relationalTableFormTypeName, table},
	} {
		b, err := json.Marshal(f.v)
		if err != nil {
			return nil, fmt.Errorf("datazone: form %s: %w", f.name, err)
		}
		out = append(out, types.FormInput{FormName: aws.String(f.name), TypeIdentifier: aws.String(f.typ), Content: aws.String(string(b))})
	}
	return out, nil
}

// athenaColumns turns glue's table columns (Hive DDL types, as Athena reads them) into the
// relational table form's columns.
func athenaColumns(cols []glue.Column) []column {
	out := make([]column, 0, len(cols))
	for _, c := range cols {
		out = append(out, column{ColumnName: c.Name, DataType: c.Type})
	}
	return out
}
