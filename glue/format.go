package glue

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
)

// Format is a storage format preset: it sets a table's InputFormat, OutputFormat, SerDe and
// the classification parameter other services (Athena, Glue ETL, Lake Formation) read.
type Format string

// Format presets.
const (
	// FormatParquet is Apache Parquet (ParquetHiveSerDe), classification "parquet".
	FormatParquet Format = "parquet"
	// FormatCSV is delimited text (LazySimpleSerDe), classification "csv". See Table.CSV.
	FormatCSV Format = "csv"
	// FormatJSON is one JSON object per line (OpenX JsonSerDe), classification "json".
	FormatJSON Format = "json"
	// FormatORC is Apache ORC (OrcSerde), classification "orc".
	FormatORC Format = "orc"
	// FormatAvro is Avro container files (AvroSerDe), classification "avro".
	FormatAvro Format = "avro"
)

// Hive class names used by the presets.
const (
	textInputFormat   = "org.apache.hadoop.mapred.TextInputFormat"
	textOutputFormat  = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
	lazySimpleSerDe   = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
	parquetInput      = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
	parquetOutput     = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
	parquetSerDe      = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
	jsonSerDe         = "org.openx.data.jsonserde.JsonSerDe"
	orcInput          = "org.apache.hadoop.hive.ql.io.orc.OrcInputFormat"
	orcOutput         = "org.apache.hadoop.hive.ql.io.orc.OrcOutputFormat"
	orcSerDe          = "org.apache.hadoop.hive.ql.io.orc.OrcSerde"
	avroInput         = "org.apache.hadoop.hive.ql.io.avro.AvroContainerInputFormat"
	avroOutput        = "org.apache.hadoop.hive.ql.io.avro.AvroContainerOutputFormat"
	avroSerDe         = "org.apache.hadoop.hive.serde2.avro.AvroSerDe"
	paramClassify     = "classification"
	paramSkipHeader   = "skip.header.line.count"
	defaultDelimiter  = ","
	tableTypeExternal = "EXTERNAL_TABLE"
)

// CSVOptions configures FormatCSV tables.
type CSVOptions struct {
	// Delimiter separates fields. Empty means ",".
	Delimiter string
	// SkipHeaderLines is the number of header lines readers skip (table parameter
	// skip.header.line.count). Zero writes no parameter.
	SkipHeaderLines int
}

// apply fills sd and the table parameters for the format. It returns an error for an unknown
// format.
func (f Format) apply(sd *types.StorageDescriptor, params map[string]string, csv CSVOptions) error {
	var in, out, serde string
	serdeParams := map[string]string{}
	switch f {
	case FormatParquet:
		in, out, serde = parquetInput, parquetOutput, parquetSerDe
		serdeParams["serialization.format"] = "1"
	case FormatCSV:
		in, out, serde = textInputFormat, textOutputFormat, lazySimpleSerDe
		d := csv.Delimiter
		if d == "" {
			d = defaultDelimiter
		}
		serdeParams["field.delim"] = d
		serdeParams["serialization.format"] = d
		if csv.SkipHeaderLines > 0 {
			params[paramSkipHeader] = fmt.Sprint(csv.SkipHeaderLines)
		}
	case FormatJSON:
		in, out, serde = textInputFormat, textOutputFormat, jsonSerDe
	case FormatORC:
		in, out, serde = orcInput, orcOutput, orcSerDe
	case FormatAvro:
		in, out, serde = avroInput, avroOutput, avroSerDe
	default:
		return fmt.Errorf("unknown format %q (want parquet, csv, json, orc or avro)", string(f))
	}
	sd.InputFormat = aws.String(in)
	sd.OutputFormat = aws.String(out)
	sd.SerdeInfo = &types.SerDeInfo{SerializationLibrary: aws.String(serde), Parameters: serdeParams}
	params[paramClassify] = string(f)
	return nil
}
