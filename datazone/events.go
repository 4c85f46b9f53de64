package datazone

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// maxEventSize is the largest event the parsers read: EventBridge's limit on an event, 256 KB.
const maxEventSize = 256 * 1024

// maxJSONDepth bounds the nesting of an event; real events nest five levels.
const maxJSONDepth = 64

// checkJSONShape applies the parsers' size and step limits before decoding: at most
// maxEventSize bytes and maxJSONDepth levels of nesting, in one linear pass.
func checkJSONShape(raw []byte) error {
	if len(raw) > maxEventSize {
		return fmt.Errorf("the event is %d bytes, more than %d", len(raw), maxEventSize)
	}
	depth, inString, escaped := 0, false, false
	for _, c := range raw {
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString:
		case c == '{' || c == '[':
			depth++
			if depth > maxJSONDepth {
				return fmt.Errorf("the event nests more than %d levels", maxJSONDepth)
			}
		case c == '}' || c == ']':
			depth--
		}
	}
	return nil
}

// grantKind says whether an event asks to grant or to revoke.
type grantKind string

// The detail-types of DataZone's subscription grant events.
const (
	grantRequested  grantKind = "Subscription Grant Requested"
	revokeRequested grantKind = "Subscription Grant Revoke Requested"
)

// grantEvent is a DataZone subscription grant event: which grant, of which listing, to which
// subscription target.
type grantEvent struct {
	// Kind is grantRequested or revokeRequested.
	Kind grantKind
	// Domain is the domain ID (detail.metadata.domain).
	Domain string
	// GrantID is the subscription grant's ID (detail.metadata.id).
	GrantID string
	// AssetID is the granted asset's ID (detail.data.asset.id), if the event has it.
	AssetID string
	// ListingID and ListingRevision name the listing (detail.data.asset.listingId and
	// listingVersion); an empty revision means the latest.
	ListingID, ListingRevision string
	// AssetType is the asset's type name (detail.data.asset.typeName), if given.
	AssetType string
	// EnvironmentID and TargetID name the subscription target
	// (detail.data.subscriptionTarget.environmentId and id).
	EnvironmentID, TargetID string
}

// parseGrantEvent reads a "Subscription Grant Requested" or "Subscription Grant Revoke
// Requested" event, as EventBridge delivers it (the envelope with detail-type and detail).
// It is lenient: unknown fields are ignored and numbers are accepted where strings are
// expected (listingVersion). It checks the fields it needs against DataZone's ID patterns and
// is bounded: at most 256 KB (EventBridge's limit on an event), 64 levels of nesting, linear time.
func parseGrantEvent(raw []byte) (grantEvent, error) {
	if err := checkJSONShape(raw); err != nil {
		return grantEvent{}, fmt.Errorf("datazone: grant event: %w", err)
	}
	var ev struct {
		DetailType string `json:"detail-type"`
		Source     string `json:"source"`
		Detail     struct {
			Metadata struct {
				ID     flexString `json:"id"`
				Domain flexString `json:"domain"`
			} `json:"metadata"`
			Data struct {
				Asset struct {
					ID             flexString `json:"id"`
					ListingID      flexString `json:"listingId"`
					ListingVersion flexString `json:"listingVersion"`
					TypeName       flexString `json:"typeName"`
				} `json:"asset"`
				Target struct {
					ID            flexString `json:"id"`
					EnvironmentID flexString `json:"environmentId"`
				} `json:"subscriptionTarget"`
			} `json:"data"`
		} `json:"detail"`
	}
	if err := json.Unmarshal(raw, &ev); err != nil {
		return grantEvent{}, fmt.Errorf("datazone: grant event is not a JSON event: %v", err)
	}
	kind := grantKind(ev.DetailType)
	if kind != grantRequested && kind != revokeRequested {
		return grantEvent{}, fmt.Errorf("datazone: grant event: detail-type %q is neither %q nor %q", ev.DetailType, grantRequested, revokeRequested)
	}
	if ev.Source != "" && ev.Source != "aws.datazone" {
		return grantEvent{}, fmt.Errorf("datazone: grant event: source %q is not aws.datazone", ev.Source)
	}
	d := ev.Detail
	g := grantEvent{
		Kind: kind, Domain: string(d.Metadata.Domain), GrantID: string(d.Metadata.ID), AssetID: string(d.Data.Asset.ID),
		ListingID: string(d.Data.Asset.ListingID), ListingRevision: string(d.Data.Asset.ListingVersion), AssetType: string(d.Data.Asset.TypeName),
		EnvironmentID: string(d.Data.Target.EnvironmentID), TargetID: string(d.Data.Target.ID),
	}
	if err := g.validate(); err != nil {
		return grantEvent{}, err
	}
	return g, nil
}

// validate checks the event's IDs against DataZone's patterns.
func (g grantEvent) validate() error {
	if g.Kind != grantRequested && g.Kind != revokeRequested {
		return fmt.Errorf("datazone: grantEvent.Kind %q is neither %q nor %q", g.Kind, grantRequested, revokeRequested)
	}
	if err := validDomainID(g.Domain); err != nil {
		return fmt.Errorf("datazone: grant event detail.metadata.domain: %w", err)
	}
	for _, f := range []struct{ name, v string }{
		{"detail.metadata.id", g.GrantID}, {"detail.data.asset.listingId", g.ListingID},
		{"detail.data.subscriptionTarget.environmentId", g.EnvironmentID}, {"detail.data.subscriptionTarget.id", g.TargetID},
	} {
		if err := validID(f.v); err != nil {
			return fmt.Errorf("datazone: grant event %s: %w", f.name, err)
		}
	}
	if g.AssetID != "" {
		if err := validID(g.AssetID); err != nil {
			return fmt.Errorf("datazone: grant event detail.data.asset.id: %w", err)
		}
	}
	if g.ListingRevision != "" && (len(g.ListingRevision) > 64 || strings.ContainsAny(g.ListingRevision, "/?#& ")) {
		return fmt.Errorf("datazone: grant event detail.data.asset.listingVersion %q is not a revision", g.ListingRevision)
	}
	return nil
}

// flexString decodes a JSON string or number as a string, and null as empty.
type flexString string

func (s *flexString) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = flexString(v)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return errors.New("want a string or a number")
	}
	*s = flexString(n.String())
	return nil
}

// schemaEvent is a Glue Schema Registry change, from the CloudTrail event EventBridge
// forwards ("AWS API Call via CloudTrail", source aws.glue).
type schemaEvent struct {
	// EventName is the API call: CreateSchema, UpdateSchema, RegisterSchemaVersion,
	// DeleteSchema, DeleteSchemaVersions, PutSchemaVersionMetadata, …
	EventName string
	// RegistryName and SchemaName identify the schema.
	RegistryName, SchemaName string
}

// schemaEvents are the Glue calls that change what an asset of a schema says.
var schemaEvents = map[string]bool{
	"CreateSchema": true, "UpdateSchema": true, "RegisterSchemaVersion": true, "DeleteSchema": true,
	"DeleteSchemaVersions": true, "PutSchemaVersionMetadata": true, "RemoveSchemaVersionMetadata": true,
}

// parseSchemaEvent reads a Glue Schema Registry event. The schema is found wherever the call
// names it — requestParameters.schemaId (by name or by schemaArn), requestParameters.registryId
// with schemaName (CreateSchema), or responseElements.schemaArn — so RegisterSchemaVersion
// (whose response carries no registry name) and DeleteSchema by ARN are understood, which
// DSF's event rule misses. A call whose registry is not named is in default-registry, as in
// Glue. It is bounded like parseGrantEvent.
func parseSchemaEvent(raw []byte) (schemaEvent, error) {
	if err := checkJSONShape(raw); err != nil {
		return schemaEvent{}, fmt.Errorf("datazone: schema event: %w", err)
	}
	type schemaID struct {
		SchemaArn    string `json:"schemaArn"`
		SchemaName   string `json:"schemaName"`
		RegistryName string `json:"registryName"`
	}
	var ev struct {
		Source string `json:"source"`
		Detail struct {
			EventSource string `json:"eventSource"`
			EventName   string `json:"eventName"`
			ErrorCode   string `json:"errorCode"`
			Request     struct {
				SchemaID   *schemaID `json:"schemaId"`
				RegistryID *struct {
					RegistryName string `json:"registryName"`
					RegistryArn  string `json:"registryArn"`
				} `json:"registryId"`
				SchemaName string `json:"schemaName"`
			} `json:"requestParameters"`
			Response struct {
				SchemaArn    string `json:"schemaArn"`
				SchemaName   string `json:"schemaName"`
				RegistryName string `json:"registryName"`
			} `json:"responseElements"`
		} `json:"detail"`
	}
	if err := json.Unmarshal(raw, &ev); err != nil {
		return schemaEvent{}, fmt.Errorf("datazone: schema event is not a JSON event: %v", err)
	}
	d := ev.Detail
	if ev.Source != "" && ev.Source != "aws.glue" {
		return schemaEvent{}, fmt.Errorf("datazone: schema event: source %q is not aws.glue", ev.Source)
	}
	if !schemaEvents[d.EventName] {
		return schemaEvent{}, fmt.Errorf("datazone: schema event: eventName %q is not a Schema Registry change", d.EventName)
	}
	if d.ErrorCode != "" {
		return schemaEvent{}, fmt.Errorf("datazone: schema event: the %s call failed (%s); nothing changed", d.EventName, d.ErrorCode)
	}
	out := schemaEvent{EventName: d.EventName}
	switch {
	case d.Request.SchemaID != nil && d.Request.SchemaID.SchemaArn != "":
		out.RegistryName, out.SchemaName = splitSchemaARN(d.Request.SchemaID.SchemaArn)
	case d.Request.SchemaID != nil && d.Request.SchemaID.SchemaName != "":
		out.RegistryName, out.SchemaName = d.Request.SchemaID.RegistryName, d.Request.SchemaID.SchemaName
	case d.Request.SchemaName != "":
		out.SchemaName = d.Request.SchemaName
		if r := d.Request.RegistryID; r != nil {
			out.RegistryName = r.RegistryName
			if out.RegistryName == "" && r.RegistryArn != "" {
				if i := strings.LastIndex(r.RegistryArn, ":registry/"); i >= 0 {
					out.RegistryName = r.RegistryArn[i+len(":registry/"):]
				}
			}
		}
	case d.Response.SchemaArn != "":
		out.RegistryName, out.SchemaName = splitSchemaARN(d.Response.SchemaArn)
	}
	if out.SchemaName == "" {
		return schemaEvent{}, fmt.Errorf("datazone: schema event %s names no schema", d.EventName)
	}
	if out.RegistryName == "" {
		out.RegistryName = "default-registry"
	}
	if !validGlueName(out.SchemaName) || !validGlueName(out.RegistryName) {
		return schemaEvent{}, fmt.Errorf("datazone: schema event: registry %q or schema %q is not a Glue name", out.RegistryName, out.SchemaName)
	}
	return out, nil
}

// splitSchemaARN reads arn:<p>:glue:<r>:<a>:schema/<registry>/<schema>.
func splitSchemaARN(arn string) (registry, schema string) {
	i := strings.Index(arn, ":schema/")
	if !strings.HasPrefix(arn, "arn:") || i < 0 {
		return "", ""
	}
	parts := strings.Split(arn[i+len(":schema/"):], "/")
	if len(parts) != 2 {
		return "", ""
	}
	return parts[0], parts[1]
}

// validGlueName checks Glue's registry and schema name rule: 1–255 of [a-zA-Z0-9-_$#.].
func validGlueName(s string) bool {
	if len(s) < 1 || len(s) > 255 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_$#.", r)) {
			return false
		}
	}
	return true
}
