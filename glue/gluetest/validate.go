package gluetest

import (
	"fmt"
	"regexp"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
)

// Constraints of the Glue API reference ("Common data types" and each structure's members),
// answered as Glue answers a request that breaks them: an InvalidInputException whose message
// names the value, the member and the constraint.

// singleLinePattern is the pattern of NameString, KeyString, CommentString and
// ColumnTypeString: any character but the control characters other than tab.
const singleLinePattern = `[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]*`

// multiLinePattern is the pattern of DescriptionString and URI: newlines allowed.
const multiLinePattern = `[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*`

// registryNamePattern is SchemaRegistryNameString's pattern (RegistryName, SchemaName).
var registryNamePattern = regexp.MustCompile(`^[a-zA-Z0-9-_$#.]+$`)

func violation(value, member, constraint string) error {
	if len(value) > 64 {
		value = value[:64] + "..."
	}
	return invalidInput("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: %s", value, member, constraint)
}

// matchesLines reports whether s is valid UTF-8 of characters the single-line (or, with
// newlines, the multi-line) pattern accepts.
func matchesLines(s string, newlines bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case r == '\t', r >= 0x20 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000:
		case newlines && (r == '\r' || r == '\n'):
		default:
			return false
		}
	}
	return true
}

// checkString applies a length range (in characters) and the single- or multi-line pattern.
func checkString(member, v string, minLen, maxLen int, newlines bool) error {
	n := utf8.RuneCountInString(v)
	if n < minLen {
		return violation(v, member, fmt.Sprintf("Member must have length greater than or equal to %d", minLen))
	}
	if n > maxLen {
		return violation(v, member, fmt.Sprintf("Member must have length less than or equal to %d", maxLen))
	}
	if !matchesLines(v, newlines) {
		pattern := singleLinePattern
		if newlines {
			pattern = multiLinePattern
		}
		return violation(v, member, "Member must satisfy regular expression pattern: "+pattern)
	}
	return nil
}

// checkNameString is NameString: 1 to 255 characters, single line.
func checkNameString(member, v string) error { return checkString(member, v, 1, 255, false) }

func checkOptional(member string, v *string, minLen, maxLen int, newlines bool) error {
	if v == nil {
		return nil
	}
	return checkString(member, *v, minLen, maxLen, newlines)
}

// checkParameters is ParametersMap: KeyString keys (1 to 255, single line) and values of at
// most 512,000 bytes (ParametersMapValue).
func checkParameters(member string, p map[string]string) error {
	for k, v := range p {
		if err := checkString(member+".key", k, 1, 255, false); err != nil {
			return err
		}
		if len(v) > 512000 {
			return violation(v, member+"."+k, "Member must have length less than or equal to 512000")
		}
	}
	return nil
}

// checkDatabaseInput applies DatabaseInput's constraints: Name (NameString), Description
// (DescriptionString, 0 to 2048), LocationUri (URI, 1 to 1024), Parameters.
func checkDatabaseInput(in *types.DatabaseInput) error {
	if err := checkNameString("databaseInput.name", aws.ToString(in.Name)); err != nil {
		return err
	}
	if err := checkOptional("databaseInput.description", in.Description, 0, 2048, true); err != nil {
		return err
	}
	if err := checkOptional("databaseInput.locationUri", in.LocationUri, 1, 1024, true); err != nil {
		return err
	}
	return checkParameters("databaseInput.parameters", in.Parameters)
}

// checkColumns applies Column's constraints: Name (NameString), Type (ColumnTypeString, 0 to
// 131,072), Comment (CommentString, 0 to 255), Parameters.
func checkColumns(member string, cols []types.Column) error {
	for i, c := range cols {
		m := fmt.Sprintf("%s.%d.member", member, i+1)
		if err := checkNameString(m+".name", aws.ToString(c.Name)); err != nil {
			return err
		}
		if err := checkOptional(m+".type", c.Type, 0, 131072, false); err != nil {
			return err
		}
		if err := checkOptional(m+".comment", c.Comment, 0, 255, false); err != nil {
			return err
		}
		if err := checkParameters(m+".parameters", c.Parameters); err != nil {
			return err
		}
	}
	return nil
}

// checkRegistryName is SchemaRegistryNameString: 1 to 255 of [a-zA-Z0-9-_$#.].
func checkRegistryName(member, v string) error {
	if n := utf8.RuneCountInString(v); n < 1 || n > 255 {
		return violation(v, member, "Member must have length between 1 and 255")
	}
	if !registryNamePattern.MatchString(v) {
		return violation(v, member, "Member must satisfy regular expression pattern: [a-zA-Z0-9-_$#.]+")
	}
	return nil
}

// checkWorkerType checks StartJobRun's WorkerType against the WorkerType enum.
func checkWorkerType(w types.WorkerType) error {
	if w == "" {
		return nil
	}
	for _, v := range w.Values() {
		if w == v {
			return nil
		}
	}
	return violation(string(w), "workerType", fmt.Sprintf("Member must satisfy enum value set: %v", w.Values()))
}
