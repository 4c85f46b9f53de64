package glue

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
)

// Defaults of a Registry, stated on the Options fields.
const (
	// defaultRegistryName is the registry Glue uses when none is named.
	defaultRegistryName = "default-registry"
	// schemaMinDelay is the first delay between polls of a new schema version.
	schemaMinDelay = time.Second
	// schemaMaxDelay caps the delay between polls of a new schema version.
	schemaMaxDelay = 10 * time.Second
)

// Registry reads and writes Glue Schema Registry schemas. It is safe for concurrent use.
type Registry struct {
	client RegistryAPIClient
	opts   Options
}

// NewRegistry returns a Registry over client. Of the options, it uses RegistryName, Wait, Logger
// and ClientOptions.
func NewRegistry(client RegistryAPIClient, optFns ...func(*Options)) *Registry {
	return &Registry{client: client, opts: configure(Options{}, optFns)}
}

func (r *Registry) options(optFns []func(*Options)) Options {
	o := configure(r.opts, optFns)
	if o.RegistryName == "" {
		o.RegistryName = defaultRegistryName
	}
	return o
}

// Schema is a schema of the registry at one of its versions: the latest one (ListSchemas,
// GetSchema with version 0), the one asked for (GetSchema) or the one registered (Register).
// Register takes one too, of which it reads Name, DataFormat, Compatibility, Definition and
// Description, so that a schema read from one registry can be registered in another.
type Schema struct {
	// Name identifies the schema in the registry of Options.RegistryName; ARN is its ARN.
	// Name is required by Register.
	Name, ARN string
	// Description is the schema's description, if any. Register sets it when it creates the
	// schema.
	Description string
	// DataFormat is AVRO, JSON or PROTOBUF. Required by Register; an existing schema must
	// have the same.
	DataFormat types.DataFormat
	// Compatibility is the schema's compatibility mode. For Register, empty means BACKWARD for
	// a new schema and "leave as is" for an existing one; a different mode on an existing
	// schema is applied (UpdateSchema) before the version is registered.
	Compatibility types.Compatibility
	// SchemaStatus is the schema's own status as last read (for Register, when the schema was
	// created or found): AVAILABLE, PENDING or DELETING. ListSchemas leaves out schemas being
	// deleted.
	SchemaStatus types.SchemaStatus
	// VersionID (a UUID) and Version (1-based) identify the version. Both are zero, and so are
	// the fields below, for a schema created without a definition: it has no version yet.
	VersionID string
	Version   int64
	// Status is the version's status: AVAILABLE, PENDING, FAILURE or DELETING.
	Status types.SchemaVersionStatus
	// Definition is the version's schema definition. Required by Register.
	Definition string
	// Created is when the version was registered, as Glue reports it (ISO 8601).
	Created string
}

// ListSchemas returns every schema of the registry (all pages) with its latest version and
// definition. It makes one ListSchemas call per page and two calls per schema. Schemas being
// deleted, or deleted between the listing and their description, are left out.
func (r *Registry) ListSchemas(ctx context.Context, optFns ...func(*Options)) ([]Schema, error) {
	o := r.options(optFns)
	var out []Schema
	p := awsglue.NewListSchemasPaginator(r.client, &awsglue.ListSchemasInput{RegistryId: &types.RegistryId{RegistryName: aws.String(o.RegistryName)}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, o.ClientOptions...)
		if err != nil {
			return nil, fmt.Errorf("glue: list schemas of registry %s: %w", o.RegistryName, err)
		}
		for _, item := range page.Schemas {
			if item.SchemaStatus == types.SchemaStatusDeleting {
				continue
			}
			s, err := r.describe(ctx, o, aws.ToString(item.SchemaName), 0)
			var nf *types.EntityNotFoundException
			if errors.As(err, &nf) {
				continue // deleted since it was listed
			}
			if err != nil {
				return nil, err
			}
			out = append(out, s)
		}
	}
	return out, nil
}

// GetSchema returns a schema at one of its versions, by number; version 0 means the latest.
// It makes two calls: GetSchema and GetSchemaVersion.
func (r *Registry) GetSchema(ctx context.Context, name string, version int64, optFns ...func(*Options)) (Schema, error) {
	if err := checkName("schema name", name); err != nil {
		return Schema{}, fmt.Errorf("glue: %w", err)
	}
	if version < 0 {
		return Schema{}, fmt.Errorf("glue: schema version number %d is negative", version)
	}
	return r.describe(ctx, r.options(optFns), name, version)
}

// describe reads a schema and its version number (0: the latest).
func (r *Registry) describe(ctx context.Context, o Options, name string, version int64) (Schema, error) {
	id := &types.SchemaId{RegistryName: aws.String(o.RegistryName), SchemaName: aws.String(name)}
	s, err := r.client.GetSchema(ctx, &awsglue.GetSchemaInput{SchemaId: id}, o.ClientOptions...)
	if err != nil {
		return Schema{}, fmt.Errorf("glue: get schema %s/%s: %w", o.RegistryName, name, err)
	}
	out := Schema{
		Name: aws.ToString(s.SchemaName), ARN: aws.ToString(s.SchemaArn),
		Description: aws.ToString(s.Description), DataFormat: s.DataFormat, Compatibility: s.Compatibility,
		SchemaStatus: s.SchemaStatus,
	}
	if version == 0 && aws.ToInt64(s.LatestSchemaVersion) == 0 {
		return out, nil // a schema created without a definition has no version yet
	}
	n := &types.SchemaVersionNumber{LatestVersion: version == 0}
	if version > 0 {
		n.VersionNumber = aws.Int64(version)
	}
	if err := r.version(ctx, o, &awsglue.GetSchemaVersionInput{SchemaId: id, SchemaVersionNumber: n}, &out); err != nil {
		return Schema{}, err
	}
	return out, nil
}

// version reads a schema version into the version fields of s (and its ARN and format).
func (r *Registry) version(ctx context.Context, o Options, in *awsglue.GetSchemaVersionInput, s *Schema) error {
	v, err := r.client.GetSchemaVersion(ctx, in, o.ClientOptions...)
	if err != nil {
		what := aws.ToString(in.SchemaVersionId)
		if in.SchemaId != nil {
			what = o.RegistryName + "/" + aws.ToString(in.SchemaId.SchemaName)
		}
		return fmt.Errorf("glue: get schema version of %s: %w", what, err)
	}
	s.ARN, s.DataFormat = aws.ToString(v.SchemaArn), v.DataFormat
	s.VersionID, s.Version, s.Status = aws.ToString(v.SchemaVersionId), aws.ToInt64(v.VersionNumber), v.Status
	s.Definition, s.Created = aws.ToString(v.SchemaDefinition), aws.ToString(v.CreatedTime)
	return nil
}

// CheckValidity asks Glue whether a definition is valid for its format
// (CheckSchemaVersionValidity). It returns nil or a *SchemaError whose Msg is Glue's
// explanation. [ParseSchema] checks a definition locally.
func (r *Registry) CheckValidity(ctx context.Context, format types.DataFormat, definition string, optFns ...func(*Options)) error {
	if err := checkFormat(format); err != nil {
		return err
	}
	if definition == "" {
		return errors.New("glue: schema definition is empty")
	}
	o := r.options(optFns)
	out, err := r.client.CheckSchemaVersionValidity(ctx, &awsglue.CheckSchemaVersionValidityInput{DataFormat: format, SchemaDefinition: aws.String(definition)}, o.ClientOptions...)
	if err != nil {
		return fmt.Errorf("glue: check schema validity: %w", err)
	}
	if !out.Valid {
		return &SchemaError{format: format, Msg: aws.ToString(out.Error)}
	}
	return nil
}

func checkFormat(f types.DataFormat) error {
	switch f {
	case types.DataFormatAvro, types.DataFormatJson, types.DataFormatProtobuf:
		return nil
	}
	return fmt.Errorf("glue: DataFormat %q is not AVRO, JSON or PROTOBUF", string(f))
}

func checkCompatibility(c types.Compatibility) error {
	for _, v := range types.Compatibility("").Values() {
		if c == v {
			return nil
		}
	}
	return fmt.Errorf("glue: Compatibility %q is not one of %v", string(c), types.Compatibility("").Values())
}

// SchemaVersionFailedError reports a version that ended in FAILURE, usually because it breaks
// the schema's compatibility mode.
type SchemaVersionFailedError struct {
	// Schema is the schema at the failed version, its compatibility mode included.
	Schema Schema
	// Reason explains the failure as well as it can be known: for Avro the incompatibilities
	// against the previous version found by CheckAvroCompatibility, otherwise Glue's validity
	// check or the compatibility mode.
	Reason string
	// Err is the underlying *CompatibilityError or *SchemaError, if one was found.
	Err error
}

// Error implements error.
func (e *SchemaVersionFailedError) Error() string {
	return fmt.Sprintf("glue: schema %s version %d (%s) is FAILURE: %s", e.Schema.ARN, e.Schema.Version, e.Schema.VersionID, e.Reason)
}

// Unwrap returns Err.
func (e *SchemaVersionFailedError) Unwrap() error { return e.Err }

// Register creates the schema with its first version, or registers a new version of an
// existing schema, and waits until the version is AVAILABLE. A version that ends in FAILURE
// returns a *SchemaVersionFailedError with the reason. Registering a definition identical to an
// existing version returns that version, as Glue does. Of in, it reads Name, DataFormat,
// Compatibility, Definition and Description. The result is the schema at the registered
// version.
func (r *Registry) Register(ctx context.Context, in Schema, optFns ...func(*Options)) (Schema, error) {
	if err := checkName("Schema.Name", in.Name); err != nil {
		return Schema{}, fmt.Errorf("glue: %w", err)
	}
	if err := checkFormat(in.DataFormat); err != nil {
		return Schema{}, err
	}
	if in.Compatibility != "" {
		if err := checkCompatibility(in.Compatibility); err != nil {
			return Schema{}, err
		}
	}
	if in.Definition == "" {
		return Schema{}, errors.New("glue: Schema.Definition is empty")
	}
	o := r.options(optFns)
	id := &types.SchemaId{RegistryName: aws.String(o.RegistryName), SchemaName: aws.String(in.Name)}
	mode := in.Compatibility
	if mode == "" {
		mode = types.CompatibilityBackward
	}
	created, err := r.client.CreateSchema(ctx, &awsglue.CreateSchemaInput{
		RegistryId: &types.RegistryId{RegistryName: aws.String(o.RegistryName)}, SchemaName: aws.String(in.Name),
		DataFormat: in.DataFormat, Compatibility: mode, SchemaDefinition: aws.String(in.Definition), Description: optional(in.Description),
	}, o.ClientOptions...)
	var versionID string
	description, status := in.Description, types.SchemaStatusAvailable
	var ae *types.AlreadyExistsException
	switch {
	case err == nil:
		versionID, status = aws.ToString(created.SchemaVersionId), created.SchemaStatus
		debug(o.Logger, "created schema", "registry", o.RegistryName, "schema", in.Name, "version", versionID)
	case errors.As(err, &ae):
		cur, err := r.client.GetSchema(ctx, &awsglue.GetSchemaInput{SchemaId: id}, o.ClientOptions...)
		if err != nil {
			return Schema{}, fmt.Errorf("glue: get schema %s/%s: %w", o.RegistryName, in.Name, err)
		}
		if cur.DataFormat != in.DataFormat {
			return Schema{}, fmt.Errorf("glue: schema %s/%s is %s, not %s", o.RegistryName, in.Name, cur.DataFormat, in.DataFormat)
		}
		mode, description, status = cur.Compatibility, aws.ToString(cur.Description), cur.SchemaStatus
		if in.Compatibility != "" && in.Compatibility != cur.Compatibility {
			if _, err := r.client.UpdateSchema(ctx, &awsglue.UpdateSchemaInput{SchemaId: id, Compatibility: in.Compatibility}, o.ClientOptions...); err != nil {
				return Schema{}, fmt.Errorf("glue: set compatibility of %s/%s to %s: %w", o.RegistryName, in.Name, in.Compatibility, err)
			}
			mode = in.Compatibility
			debug(o.Logger, "changed schema compatibility", "registry", o.RegistryName, "schema", in.Name, "compatibility", mode)
		}
		reg, err := r.client.RegisterSchemaVersion(ctx, &awsglue.RegisterSchemaVersionInput{SchemaId: id, SchemaDefinition: aws.String(in.Definition)}, o.ClientOptions...)
		if err != nil {
			return Schema{}, fmt.Errorf("glue: register a version of %s/%s: %w", o.RegistryName, in.Name, err)
		}
		versionID = aws.ToString(reg.SchemaVersionId)
		debug(o.Logger, "registered schema version", "registry", o.RegistryName, "schema", in.Name, "version", versionID)
	default:
		return Schema{}, fmt.Errorf("glue: create schema %s/%s: %w", o.RegistryName, in.Name, err)
	}
	v := Schema{Name: in.Name, Description: description, DataFormat: in.DataFormat, Compatibility: mode,
		SchemaStatus: status}
	what := fmt.Sprintf("schema version %s of %s/%s", versionID, o.RegistryName, in.Name)
	err = waitFor(ctx, pollOptions(o.Wait, r.client, o.Logger, what, schemaMinDelay, schemaMaxDelay), func(ctx context.Context) (string, bool, error) {
		if err := r.version(ctx, o, &awsglue.GetSchemaVersionInput{SchemaVersionId: aws.String(versionID)}, &v); err != nil {
			return "", false, err
		}
		switch v.Status {
		case types.SchemaVersionStatusAvailable, types.SchemaVersionStatusFailure:
			return string(v.Status), true, nil
		case types.SchemaVersionStatusDeleting:
			return string(v.Status), false, fmt.Errorf("glue: %s is being deleted", what)
		}
		return string(v.Status), false, nil
	})
	if err != nil {
		return v, err
	}
	if v.Status == types.SchemaVersionStatusFailure {
		return v, r.failure(ctx, o, in, v)
	}
	return v, nil
}

// failure explains a FAILURE version.
func (r *Registry) failure(ctx context.Context, o Options, in, v Schema) error {
	mode := v.Compatibility
	e := &SchemaVersionFailedError{Schema: v, Reason: fmt.Sprintf("Glue rejected the version under compatibility mode %s", mode)}
	if err := r.CheckValidity(ctx, in.DataFormat, in.Definition, func(ro *Options) { *ro = o }); err != nil {
		var se *SchemaError
		if errors.As(err, &se) {
			e.Reason, e.Err = se.Msg, se
		}
		return e
	}
	if in.DataFormat != types.DataFormatAvro || v.Version <= 1 {
		return e
	}
	var prev Schema
	err := r.version(ctx, o, &awsglue.GetSchemaVersionInput{SchemaId: &types.SchemaId{RegistryName: aws.String(o.RegistryName), SchemaName: aws.String(in.Name)},
		SchemaVersionNumber: &types.SchemaVersionNumber{VersionNumber: aws.Int64(v.Version - 1)}}, &prev)
	if err != nil {
		return e
	}
	if cerr := CheckAvroCompatibility(mode, in.Definition, prev.Definition); cerr != nil {
		var ce *CompatibilityError
		if errors.As(cerr, &ce) {
			e.Reason, e.Err = strings.TrimPrefix(ce.Error(), "glue: "), ce
		}
	}
	return e
}
