package datazone

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// FieldType is the Smithy target of a form field: a shape of the Smithy prelude that DataZone
// accepts as the type of a custom form type member.
type FieldType string

// The field types a FormType may use. They are Smithy prelude shapes (smithy.api#String, …),
// written as Smithy spells them; DSF's lower-case list ("string", "enum", …) is not valid Smithy
// and its "Enum" is no prelude shape, so neither is accepted here.
const (
	String     FieldType = "String"
	Boolean    FieldType = "Boolean"
	Byte       FieldType = "Byte"
	Short      FieldType = "Short"
	Integer    FieldType = "Integer"
	Long       FieldType = "Long"
	Float      FieldType = "Float"
	Double     FieldType = "Double"
	BigInteger FieldType = "BigInteger"
	BigDecimal FieldType = "BigDecimal"
	Timestamp  FieldType = "Timestamp"
)

var fieldTypes = map[FieldType]bool{
	String: true, Boolean: true, Byte: true, Short: true, Integer: true, Long: true,
	Float: true, Double: true, BigInteger: true, BigDecimal: true, Timestamp: true,
}

// Limits of form and asset types, from the DataZone API reference (CreateFormType,
// CreateAssetType, CreateAsset).
const (
	// maxModelLength is the longest Smithy model CreateFormType accepts.
	maxModelLength = 100_000
	// maxFormTypeNameLength is the longest form type name.
	maxFormTypeNameLength = 128
	// maxAssetTypeNameLength is the longest asset type name.
	maxAssetTypeNameLength = 256
	// maxForms is how many forms an asset type (and an asset) may carry.
	maxForms = 10
	// maxDescriptionLength is the longest form or asset type description.
	maxDescriptionLength = 2048
	// maxFieldDocLength bounds one field's documentation, so a model stays well under
	// maxModelLength; DataZone states no limit of its own.
	maxFieldDocLength = 1024
	// maxFields bounds the members of one form type, for the same reason.
	maxFields = 200
)

// builtinPrefix is the prefix of the form types DataZone defines itself.
const builtinPrefix = "amazon.datazone."

var (
	// CreateFormType's name pattern, ^(amazon.datazone.)?(?![0-9_])\w+$, without the lookahead
	// Go's regexp lacks: the first character after the prefix is a letter.
	formTypeNameRE = regexp.MustCompile(`^(amazon\.datazone\.)?[A-Za-z]\w*$`)
	// A Smithy member identifier; a leading underscore is allowed when a letter follows.
	memberNameRE = regexp.MustCompile(`^(_+[A-Za-z0-9]|[A-Za-z])[A-Za-z0-9_]*$`)
)

// FormField is one member of a form type.
type FormField struct {
	// Name is the member name, a Smithy identifier (letters, digits and underscores, not
	// starting with a digit); required.
	Name string
	// Type is the member's type; required.
	Type FieldType
	// Required makes DataZone reject asset forms that omit the member.
	Required bool
	// Doc, if set, becomes the member's @documentation trait (at most 1024
	// bytes).
	Doc string
}

// FormType is a custom form type: a named structure of typed fields that DataZone stores as a
// Smithy model.
type FormType struct {
	// Name is the form type's name and the Smithy structure's name: 1–128 letters, digits and
	// underscores, starting with a letter; required. Names with the amazon.datazone. prefix
	// are DataZone's own and cannot be created.
	Name string
	// Description is stored with the form type (at most 2048 characters).
	Description string
	// Fields are the members, in order; at least one, names unique.
	Fields []FormField
}

// validate checks the form type against DataZone's model limits and Smithy's rules, naming the
// field and the rule that fails.
func (f FormType) validate() error {
	if err := validFormTypeName(f.Name); err != nil {
		return fmt.Errorf("datazone: FormType.Name: %w", err)
	}
	if strings.HasPrefix(f.Name, builtinPrefix) {
		return fmt.Errorf("datazone: FormType.Name %q: the %s prefix is reserved for DataZone's own form types", f.Name, builtinPrefix)
	}
	if len(f.Description) > maxDescriptionLength {
		return fmt.Errorf("datazone: FormType.Description: %d characters, more than %d", len(f.Description), maxDescriptionLength)
	}
	if len(f.Fields) == 0 {
		return fmt.Errorf("datazone: FormType %s: at least one field is required", f.Name)
	}
	if len(f.Fields) > maxFields {
		return fmt.Errorf("datazone: FormType %s: %d fields, more than %d", f.Name, len(f.Fields), maxFields)
	}
	seen := make(map[string]bool, len(f.Fields))
	for i, fld := range f.Fields {
		where := fmt.Sprintf("datazone: FormType %s: Fields[%d]", f.Name, i)
		if !memberNameRE.MatchString(fld.Name) {
			return fmt.Errorf("%s.Name %q is not a Smithy member name (letters, digits and underscores, not starting with a digit)", where, fld.Name)
		}
		// Smithy member names are case-insensitively unique within a structure.
		key := strings.ToLower(fld.Name)
		if seen[key] {
			return fmt.Errorf("%s.Name %q repeats a field name (Smithy compares them case-insensitively)", where, fld.Name)
		}
		seen[key] = true
		if !fieldTypes[fld.Type] {
			return fmt.Errorf("%s.Type %q is not a type DataZone accepts (String, Boolean, Byte, Short, Integer, Long, Float, Double, BigInteger, BigDecimal, Timestamp)", where, fld.Type)
		}
		if len(fld.Doc) > maxFieldDocLength {
			return fmt.Errorf("%s.Doc: %d bytes, more than %d", where, len(fld.Doc), maxFieldDocLength)
		}
		if strings.ContainsRune(fld.Doc, 0) {
			return fmt.Errorf("%s.Doc contains a NUL character", where)
		}
	}
	if n := len(f.render()); n > maxModelLength {
		return fmt.Errorf("datazone: FormType %s: the Smithy model has %d characters, more than %d", f.Name, n, maxModelLength)
	}
	return nil
}

func validFormTypeName(name string) error {
	switch {
	case name == "":
		return errors.New("is required")
	case len(name) > maxFormTypeNameLength:
		return fmt.Errorf("%q has %d characters, more than %d", name, len(name), maxFormTypeNameLength)
	case !formTypeNameRE.MatchString(name):
		return fmt.Errorf("%q must be letters, digits and underscores starting with a letter", name)
	}
	return nil
}

// Smithy returns the form type as the Smithy model CreateFormType takes:
//
//	structure Name {
//	    @documentation("...")
//	    @required
//	    member: String
//	}
//
// It validates first.
func (f FormType) smithy() (string, error) {
	if err := f.validate(); err != nil {
		return "", err
	}
	return f.render(), nil
}

func (f FormType) render() string {
	var b strings.Builder
	b.WriteString("structure ")
	b.WriteString(f.Name)
	b.WriteString(" {\n")
	for _, fld := range f.Fields {
		if fld.Doc != "" {
			b.WriteString("    @documentation(")
			b.WriteString(smithyString(fld.Doc))
			b.WriteString(")\n")
		}
		if fld.Required {
			b.WriteString("    @required\n")
		}
		b.WriteString("    ")
		b.WriteString(fld.Name)
		b.WriteString(": ")
		b.WriteString(string(fld.Type))
		b.WriteString("\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// smithyString quotes s as a Smithy string literal: backslash escapes for the quote, the
// backslash and control characters, so that no input can end the literal early.
func smithyString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 || r == 0x7f || r == 0x2028 || r == 0x2029 {
				fmt.Fprintf(&b, `\u%04x`, r)
				continue
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// FormRef is one form of an asset type: the form's name on assets and the form type it has.
type FormRef struct {
	// Name is the form's name on the asset type and its assets (the formsInput key), such as
	// "KafkaSchemaForm"; required, 1–128 characters.
	Name string
	// TypeName is the form type: a custom one (its FormType is in AssetType.FormTypes) or a
	// DataZone built-in such as "amazon.datazone.RelationalTableFormType"; required.
	TypeName string
	// Required makes DataZone reject assets without this form.
	Required bool
}

// AssetType is a custom asset type and the custom form types it owns.
type AssetType struct {
	// Name is the asset type's name: 1–256 characters without dots; required.
	Name string
	// Description is stored with the asset type (at most 2048 characters).
	Description string
	// FormTypes are the custom form types the asset type owns: EnsureAssetType ensures them
	// first and DeleteAssetType deletes them after the asset type.
	FormTypes []FormType
	// Forms are the asset type's forms, 1–10, names unique. Each TypeName is a FormTypes entry
	// or a built-in.
	Forms []FormRef
}

// validate checks the asset type and its form types, naming the field and the rule that fails.
func (t AssetType) validate() error {
	switch {
	case t.Name == "":
		return errors.New("datazone: AssetType.Name is required")
	case len(t.Name) > maxAssetTypeNameLength:
		return fmt.Errorf("datazone: AssetType.Name %q has %d characters, more than %d", t.Name, len(t.Name), maxAssetTypeNameLength)
	case strings.Contains(t.Name, "."):
		return fmt.Errorf("datazone: AssetType.Name %q contains a dot, which asset type names may not", t.Name)
	case len(t.Description) > maxDescriptionLength:
		return fmt.Errorf("datazone: AssetType.Description: %d characters, more than %d", len(t.Description), maxDescriptionLength)
	case len(t.Forms) == 0 || len(t.Forms) > maxForms:
		return fmt.Errorf("datazone: AssetType %s: %d forms; an asset type has 1 to %d", t.Name, len(t.Forms), maxForms)
	}
	owned := map[string]bool{}
	for i, ft := range t.FormTypes {
		if err := ft.validate(); err != nil {
			return err
		}
		if owned[ft.Name] {
			return fmt.Errorf("datazone: AssetType %s: FormTypes[%d] %s is listed twice", t.Name, i, ft.Name)
		}
		owned[ft.Name] = true
	}
	names := map[string]bool{}
	for i, f := range t.Forms {
		where := fmt.Sprintf("datazone: AssetType %s: Forms[%d]", t.Name, i)
		if f.Name == "" || len(f.Name) > maxFormTypeNameLength {
			return fmt.Errorf("%s.Name %q must have 1 to %d characters", where, f.Name, maxFormTypeNameLength)
		}
		if names[f.Name] {
			return fmt.Errorf("%s.Name %q repeats a form name", where, f.Name)
		}
		names[f.Name] = true
		if err := validFormTypeName(f.TypeName); err != nil {
			return fmt.Errorf("%s.TypeName: %w", where, err)
		}
		if !owned[f.TypeName] && !strings.HasPrefix(f.TypeName, builtinPrefix) {
			return fmt.Errorf("%s.TypeName %s is neither one of AssetType.FormTypes nor a built-in %s form type", where, f.TypeName, builtinPrefix)
		}
	}
	return nil
}
