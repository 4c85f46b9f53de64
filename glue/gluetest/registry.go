package gluetest

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
)

const defaultRegistry = "default-registry"

type registryState struct {
	registries map[string]*registry
}

type registry struct {
	name, arn, description string
	created                time.Time
	schemas                map[string]*schemaState
}

type schemaState struct {
	name, arn, description string
	format                 types.DataFormat
	compatibility          types.Compatibility
	created, updated       time.Time
	versions               []*versionState
}

type versionState struct {
	id         string
	number     int64
	definition string
	created    time.Time
	decideAt   time.Time
	fail       bool // the decided outcome: FAILURE instead of AVAILABLE
	reason     string
}

func newRegistryState() *registryState {
	return &registryState{registries: map[string]*registry{}}
}

const awsTime = "2006-01-02T15:04:05.000Z"

func (f *Fake) status(v *versionState) types.SchemaVersionStatus {
	switch {
	case f.now().Before(v.decideAt):
		return types.SchemaVersionStatusPending
	case v.fail:
		return types.SchemaVersionStatusFailure
	}
	return types.SchemaVersionStatusAvailable
}

func (f *Fake) newID() string {
	f.seq++
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", 0x5c4e0000+f.seq, f.seq%0x10000, f.seq%0x1000, f.seq%0x1000, f.seq)
}

// registryFor returns the registry named by id (default-registry when nil), creating
// default-registry on first use as Glue does.
func (f *Fake) registryFor(id *types.RegistryId, create bool) (*registry, error) {
	name := defaultRegistry
	if id != nil {
		switch {
		case aws.ToString(id.RegistryName) != "":
			name = *id.RegistryName
		case aws.ToString(id.RegistryArn) != "":
			arn := *id.RegistryArn
			name = arn[strings.LastIndex(arn, "/")+1:]
		}
	}
	r := f.registry.registries[name]
	if r == nil && name == defaultRegistry && create {
		r = &registry{name: name, arn: f.arn("registry/" + name), created: f.now(), schemas: map[string]*schemaState{}}
		f.registry.registries[name] = r
	}
	if r == nil {
		return nil, notFound("Registry is not found. RegistryName: %s", name)
	}
	return r, nil
}

func (f *Fake) schemaFor(id *types.SchemaId) (*registry, *schemaState, error) {
	if id == nil {
		return nil, nil, invalidInput("SchemaId is required")
	}
	regName, name := aws.ToString(id.RegistryName), aws.ToString(id.SchemaName)
	if arn := aws.ToString(id.SchemaArn); arn != "" {
		parts := strings.Split(arn[strings.Index(arn, ":schema/")+len(":schema/"):], "/")
		if !strings.Contains(arn, ":schema/") || len(parts) != 2 {
			return nil, nil, invalidInput("Invalid schema ARN: %s", arn)
		}
		regName, name = parts[0], parts[1]
	}
	if name == "" {
		return nil, nil, invalidInput("SchemaId needs SchemaArn or SchemaName")
	}
	r, err := f.registryFor(&types.RegistryId{RegistryName: aws.String(regName)}, false)
	if err != nil {
		return nil, nil, err
	}
	s := r.schemas[name]
	if s == nil {
		return nil, nil, notFound("Schema is not found. RegistryName: %s, SchemaName: %s", r.name, name)
	}
	return r, s, nil
}

// CreateRegistry creates a registry.
func (f *Fake) CreateRegistry(ctx context.Context, in *awsglue.CreateRegistryInput, _ ...func(*awsglue.Options)) (*awsglue.CreateRegistryOutput, error) {
	return handle(f, OpCreateRegistry, in, func() (*awsglue.CreateRegistryOutput, error) {
		if in == nil || aws.ToString(in.RegistryName) == "" {
			return nil, invalidInput("RegistryName is required")
		}
		name := *in.RegistryName
		if err := checkRegistryName("registryName", name); err != nil {
			return nil, err
		}
		if err := checkOptional("description", in.Description, 0, 2048, true); err != nil {
			return nil, err
		}
		if f.registry.registries[name] != nil {
			return nil, alreadyExists("Registry already exists. RegistryName: %s", name)
		}
		r := &registry{name: name, arn: f.arn("registry/" + name), description: aws.ToString(in.Description), created: f.now(), schemas: map[string]*schemaState{}}
		f.registry.registries[name] = r
		return &awsglue.CreateRegistryOutput{RegistryName: aws.String(name), RegistryArn: aws.String(r.arn), Description: in.Description}, nil
	})
}

// CreateSchema creates a schema and, when a definition is given, its first version, which is
// PENDING for Options.SchemaVersionDelay and then AVAILABLE. An invalid definition is a
// *types.InvalidInputException. The registry is default-registry when RegistryId is nil.
func (f *Fake) CreateSchema(ctx context.Context, in *awsglue.CreateSchemaInput, _ ...func(*awsglue.Options)) (*awsglue.CreateSchemaOutput, error) {
	return handle(f, OpCreateSchema, in, func() (*awsglue.CreateSchemaOutput, error) {
		if in == nil || aws.ToString(in.SchemaName) == "" {
			return nil, invalidInput("SchemaName is required")
		}
		if err := checkRegistryName("schemaName", *in.SchemaName); err != nil {
			return nil, err
		}
		if err := checkOptional("description", in.Description, 0, 2048, true); err != nil {
			return nil, err
		}
		if err := validFormat(in.DataFormat); err != nil {
			return nil, err
		}
		mode := in.Compatibility
		if mode == "" {
			mode = types.CompatibilityBackward
		}
		if err := validCompatibility(mode); err != nil {
			return nil, err
		}
		r, err := f.registryFor(in.RegistryId, true)
		if err != nil {
			return nil, err
		}
		name := *in.SchemaName
		if r.schemas[name] != nil {
			return nil, alreadyExists("Schema already exists. RegistryName: %s, SchemaName: %s", r.name, name)
		}
		def := aws.ToString(in.SchemaDefinition)
		if in.SchemaDefinition != nil {
			if err := validateDefinition(in.DataFormat, def); err != nil {
				return nil, invalidInput("Schema definition of %s data format is invalid: %v", in.DataFormat, err)
			}
		}
		now := f.now()
		s := &schemaState{name: name, arn: f.arn("schema/" + r.name + "/" + name), description: aws.ToString(in.Description),
			format: in.DataFormat, compatibility: mode, created: now, updated: now}
		r.schemas[name] = s
		out := &awsglue.CreateSchemaOutput{
			RegistryName: aws.String(r.name), RegistryArn: aws.String(r.arn), SchemaName: aws.String(name), SchemaArn: aws.String(s.arn),
			Description: in.Description, DataFormat: in.DataFormat, Compatibility: mode, SchemaStatus: types.SchemaStatusAvailable,
			SchemaCheckpoint: aws.Int64(1), LatestSchemaVersion: aws.Int64(0), NextSchemaVersion: aws.Int64(1), Tags: cloneMap(in.Tags),
		}
		if in.SchemaDefinition != nil {
			v := f.addVersion(s, def)
			out.SchemaVersionId = aws.String(v.id)
			out.SchemaVersionStatus = f.status(v)
			out.LatestSchemaVersion = aws.Int64(1)
			out.NextSchemaVersion = aws.Int64(2)
		}
		return out, nil
	})
}

func validFormat(f types.DataFormat) error {
	for _, v := range f.Values() {
		if f == v {
			return nil
		}
	}
	return invalidInput("DataFormat %q is not one of %v", string(f), f.Values())
}

func validCompatibility(c types.Compatibility) error {
	for _, v := range c.Values() {
		if c == v {
			return nil
		}
	}
	return invalidInput("Compatibility %q is not one of %v", string(c), c.Values())
}

// addVersion appends a version and decides now whether it will become AVAILABLE or FAILURE:
// DISABLED fails every version after the first; Avro versions are checked with hamba/avro's
// schema compatibility against the AVAILABLE versions (the latest for BACKWARD, FORWARD and
// FULL, all for the _ALL modes); JSON and Protobuf versions are not checked.
func (f *Fake) addVersion(s *schemaState, def string) *versionState {
	now := f.now()
	v := &versionState{id: f.newID(), number: int64(len(s.versions) + 1), definition: def, created: now, decideAt: now.Add(f.opts.SchemaVersionDelay)}
	var previous []string
	for _, p := range s.versions {
		if f.decided(p) == types.SchemaVersionStatusAvailable {
			previous = append(previous, p.definition)
		}
	}
	if len(previous) > 0 || s.compatibility == types.CompatibilityDisabled && len(s.versions) > 0 {
		var err error
		if s.compatibility == types.CompatibilityDisabled {
			err = fmt.Errorf("compatibility mode DISABLED allows no new version")
		} else {
			err = checkCompatibility(s.compatibility, s.format, def, previous)
		}
		if err != nil {
			v.fail, v.reason = true, err.Error()
		}
	}
	s.versions = append(s.versions, v)
	s.updated = now
	return v
}

// decided is the outcome a version has or will have.
func (f *Fake) decided(v *versionState) types.SchemaVersionStatus {
	if v.fail {
		return types.SchemaVersionStatusFailure
	}
	return types.SchemaVersionStatusAvailable
}

// RegisterSchemaVersion adds a version to a schema. A definition identical to an existing
// version returns that version. The new version is PENDING for Options.SchemaVersionDelay and
// then AVAILABLE, or FAILURE when it breaks the schema's compatibility mode (see
// checkCompatibility; DISABLED fails every new version).
func (f *Fake) RegisterSchemaVersion(ctx context.Context, in *awsglue.RegisterSchemaVersionInput, _ ...func(*awsglue.Options)) (*awsglue.RegisterSchemaVersionOutput, error) {
	return handle(f, OpRegisterSchemaVersion, in, func() (*awsglue.RegisterSchemaVersionOutput, error) {
		if in == nil || aws.ToString(in.SchemaDefinition) == "" {
			return nil, invalidInput("SchemaDefinition is required")
		}
		_, s, err := f.schemaFor(in.SchemaId)
		if err != nil {
			return nil, err
		}
		def := *in.SchemaDefinition
		if err := validateDefinition(s.format, def); err != nil {
			return nil, invalidInput("Schema definition of %s data format is invalid: %v", s.format, err)
		}
		for _, v := range s.versions {
			if v.definition == def {
				return &awsglue.RegisterSchemaVersionOutput{SchemaVersionId: aws.String(v.id), VersionNumber: aws.Int64(v.number), Status: f.status(v)}, nil
			}
		}
		v := f.addVersion(s, def)
		return &awsglue.RegisterSchemaVersionOutput{SchemaVersionId: aws.String(v.id), VersionNumber: aws.Int64(v.number), Status: f.status(v)}, nil
	})
}

// GetSchema describes a schema.
func (f *Fake) GetSchema(ctx context.Context, in *awsglue.GetSchemaInput, _ ...func(*awsglue.Options)) (*awsglue.GetSchemaOutput, error) {
	return handle(f, OpGetSchema, in, func() (*awsglue.GetSchemaOutput, error) {
		if in == nil {
			return nil, invalidInput("SchemaId is required")
		}
		r, s, err := f.schemaFor(in.SchemaId)
		if err != nil {
			return nil, err
		}
		n := int64(len(s.versions))
		return &awsglue.GetSchemaOutput{
			RegistryName: aws.String(r.name), RegistryArn: aws.String(r.arn), SchemaName: aws.String(s.name), SchemaArn: aws.String(s.arn),
			Description: optionalString(s.description), DataFormat: s.format, Compatibility: s.compatibility, SchemaStatus: types.SchemaStatusAvailable,
			LatestSchemaVersion: aws.Int64(n), NextSchemaVersion: aws.Int64(n + 1), SchemaCheckpoint: aws.Int64(1),
			CreatedTime: aws.String(s.created.UTC().Format(awsTime)), UpdatedTime: aws.String(s.updated.UTC().Format(awsTime)),
		}, nil
	})
}

func optionalString(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

// GetSchemaVersion returns a version by SchemaVersionId, or by SchemaId with a version number
// or LatestVersion (the highest-numbered version, whatever its status).
func (f *Fake) GetSchemaVersion(ctx context.Context, in *awsglue.GetSchemaVersionInput, _ ...func(*awsglue.Options)) (*awsglue.GetSchemaVersionOutput, error) {
	return handle(f, OpGetSchemaVersion, in, func() (*awsglue.GetSchemaVersionOutput, error) {
		if in == nil {
			return nil, invalidInput("SchemaVersionId or SchemaId is required")
		}
		s, v, err := f.findVersion(in)
		if err != nil {
			return nil, err
		}
		if err := f.observe("schema version "+v.id, f.status(v) == types.SchemaVersionStatusPending); err != nil {
			return nil, err
		}
		return &awsglue.GetSchemaVersionOutput{
			SchemaArn: aws.String(s.arn), SchemaVersionId: aws.String(v.id), VersionNumber: aws.Int64(v.number), Status: f.status(v),
			DataFormat: s.format, SchemaDefinition: aws.String(v.definition), CreatedTime: aws.String(v.created.UTC().Format(awsTime)),
		}, nil
	})
}

func (f *Fake) findVersion(in *awsglue.GetSchemaVersionInput) (*schemaState, *versionState, error) {
	if id := aws.ToString(in.SchemaVersionId); id != "" {
		if in.SchemaId != nil || in.SchemaVersionNumber != nil {
			return nil, nil, invalidInput("SchemaVersionId cannot be combined with SchemaId or SchemaVersionNumber")
		}
		for _, r := range f.registry.registries {
			for _, s := range r.schemas {
				for _, v := range s.versions {
					if v.id == id {
						return s, v, nil
					}
				}
			}
		}
		return nil, nil, notFound("Schema version is not found. SchemaVersionId: %s", id)
	}
	_, s, err := f.schemaFor(in.SchemaId)
	if err != nil {
		return nil, nil, err
	}
	n := in.SchemaVersionNumber
	if n == nil || (!n.LatestVersion && n.VersionNumber == nil) || (n.LatestVersion && n.VersionNumber != nil) {
		return nil, nil, invalidInput("SchemaVersionNumber needs exactly one of LatestVersion and VersionNumber")
	}
	if len(s.versions) == 0 {
		return nil, nil, notFound("Schema version is not found. SchemaName: %s has no versions", s.name)
	}
	if n.LatestVersion {
		return s, s.versions[len(s.versions)-1], nil
	}
	num := *n.VersionNumber
	if num < 1 || num > int64(len(s.versions)) {
		return nil, nil, notFound("Schema version is not found. SchemaName: %s, VersionNumber: %d", s.name, num)
	}
	return s, s.versions[num-1], nil
}

// ListSchemas lists the schemas of a registry (or of every registry when RegistryId is nil)
// by name, a page at a time.
func (f *Fake) ListSchemas(ctx context.Context, in *awsglue.ListSchemasInput, _ ...func(*awsglue.Options)) (*awsglue.ListSchemasOutput, error) {
	return handle(f, OpListSchemas, in, func() (*awsglue.ListSchemasOutput, error) {
		if in == nil {
			in = &awsglue.ListSchemasInput{}
		}
		var regs []*registry
		if in.RegistryId == nil {
			for _, r := range f.registry.registries {
				regs = append(regs, r)
			}
		} else {
			r, err := f.registryFor(in.RegistryId, false)
			if err != nil {
				return nil, err
			}
			regs = []*registry{r}
		}
		items := map[string]types.SchemaListItem{}
		var keys []string
		for _, r := range regs {
			for _, s := range r.schemas {
				k := r.name + "/" + s.name
				keys = append(keys, k)
				items[k] = types.SchemaListItem{
					RegistryName: aws.String(r.name), SchemaName: aws.String(s.name), SchemaArn: aws.String(s.arn),
					Description: optionalString(s.description), SchemaStatus: types.SchemaStatusAvailable,
					CreatedTime: aws.String(s.created.UTC().Format(awsTime)), UpdatedTime: aws.String(s.updated.UTC().Format(awsTime)),
				}
			}
		}
		sort.Strings(keys)
		start, end, next, err := f.page(keys, in.NextToken, in.MaxResults, listSchemasPageSize, 100)
		if err != nil {
			return nil, err
		}
		out := &awsglue.ListSchemasOutput{NextToken: next, Schemas: []types.SchemaListItem{}}
		for _, k := range keys[start:end] {
			out.Schemas = append(out.Schemas, items[k])
		}
		return out, nil
	})
}

// UpdateSchema changes a schema's compatibility mode and description. Checkpoints
// (SchemaVersionNumber) are not modeled and are rejected.
func (f *Fake) UpdateSchema(ctx context.Context, in *awsglue.UpdateSchemaInput, _ ...func(*awsglue.Options)) (*awsglue.UpdateSchemaOutput, error) {
	return handle(f, OpUpdateSchema, in, func() (*awsglue.UpdateSchemaOutput, error) {
		if in == nil {
			return nil, invalidInput("SchemaId is required")
		}
		r, s, err := f.schemaFor(in.SchemaId)
		if err != nil {
			return nil, err
		}
		if in.SchemaVersionNumber != nil {
			return nil, invalidInput("gluetest: schema checkpoints are not modeled")
		}
		if in.Compatibility == "" && in.Description == nil {
			return nil, invalidInput("Compatibility or Description is required")
		}
		if in.Compatibility != "" {
			if err := validCompatibility(in.Compatibility); err != nil {
				return nil, err
			}
			s.compatibility = in.Compatibility
		}
		if in.Description != nil {
			s.description = *in.Description
		}
		s.updated = f.now()
		return &awsglue.UpdateSchemaOutput{RegistryName: aws.String(r.name), SchemaName: aws.String(s.name), SchemaArn: aws.String(s.arn)}, nil
	})
}

// DeleteSchema deletes a schema and its versions at once (Glue passes through DELETING).
func (f *Fake) DeleteSchema(ctx context.Context, in *awsglue.DeleteSchemaInput, _ ...func(*awsglue.Options)) (*awsglue.DeleteSchemaOutput, error) {
	return handle(f, OpDeleteSchema, in, func() (*awsglue.DeleteSchemaOutput, error) {
		if in == nil {
			return nil, invalidInput("SchemaId is required")
		}
		r, s, err := f.schemaFor(in.SchemaId)
		if err != nil {
			return nil, err
		}
		delete(r.schemas, s.name)
		return &awsglue.DeleteSchemaOutput{SchemaArn: aws.String(s.arn), SchemaName: aws.String(s.name), Status: types.SchemaStatusDeleting}, nil
	})
}

// CheckSchemaVersionValidity validates a definition with the format's reference
// implementation (see validateDefinition).
func (f *Fake) CheckSchemaVersionValidity(ctx context.Context, in *awsglue.CheckSchemaVersionValidityInput, _ ...func(*awsglue.Options)) (*awsglue.CheckSchemaVersionValidityOutput, error) {
	return handle(f, OpCheckSchemaVersionValidity, in, func() (*awsglue.CheckSchemaVersionValidityOutput, error) {
		if in == nil || aws.ToString(in.SchemaDefinition) == "" {
			return nil, invalidInput("SchemaDefinition is required")
		}
		if err := validFormat(in.DataFormat); err != nil {
			return nil, err
		}
		if err := validateDefinition(in.DataFormat, *in.SchemaDefinition); err != nil {
			return &awsglue.CheckSchemaVersionValidityOutput{Valid: false, Error: aws.String(err.Error())}, nil
		}
		return &awsglue.CheckSchemaVersionValidityOutput{Valid: true}, nil
	})
}

// schemaVersionFailure returns why a version was decided FAILURE ("" when it was not), for
// tests that assert on the fake's compatibility decision. It is not an SDK method.
func (f *Fake) schemaVersionFailure(versionID string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, v, err := f.findVersion(&awsglue.GetSchemaVersionInput{SchemaVersionId: aws.String(versionID)})
	if err != nil {
		return ""
	}
	return v.reason
}
