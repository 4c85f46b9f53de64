package datablocks_test

import (
	"fmt"
	"go/doc/comment"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// docImports are the names package-doc snippets use for packages, where a package's doc uses a
// name differently from the README (each package's doc reads naturally in its own context:
// "types" is the SDK types package of the service the package is named for).
var docImports = map[string]map[string]string{
	"emr/instances":         {"types": "github.com/aws/aws-sdk-go-v2/service/ec2/types", "emrtypes": "github.com/aws/aws-sdk-go-v2/service/emr/types"},
	"fakecontrol":           {"types": "github.com/aws/aws-sdk-go-v2/service/emr/types", "emrserverless": "github.com/aws/aws-sdk-go-v2/service/emrserverless"},
	"glue":                  {"types": "github.com/aws/aws-sdk-go-v2/service/glue/types"},
	"msk":                   {"kafka": "github.com/aws/aws-sdk-go-v2/service/kafka", "kafkago": "github.com/segmentio/kafka-go"},
	"datazone":              {},
	"datazone/datazonetest": {"datazone": "github.com/aws/aws-sdk-go-v2/service/datazone"},
	"localaws":              {"glue": "github.com/aws/aws-sdk-go-v2/service/glue"},
	"lakeformation":         {"types": "github.com/aws/aws-sdk-go-v2/service/lakeformation/types"},
}

// docPrelude declares, per package, what its doc snippets take as given beyond the README's
// prelude: the resources and clients a reader of that package has at hand.
var docPrelude = map[string]string{
	"emr":                             "var app, role string",
	"emr/emrtest":                     "var fake *emrtest.EMR; var job emr.JobRun; var runner *emr.StepRunner; var cluster string; var ids []string",
	"emr/instances/instancestest":     "var req instances.Requirements",
	"fakecontrol":                     "var fake interface{ FailNext(string, error); ThrottleNext(string, int); KeepControl(string, fakecontrol.ControlFunc); Count(string) int }; var seen []*emrserverless.StartJobRunInput",
	"glue":                            "var avsc string",
	"glue/gluetest":                   "",
	"lakeformation":                   "var lfClient lakeformation.PermissionsAPIClient",
	"lakeformation/lakeformationtest": "var grants []lakeformation.Grant",
	"msk/msktest":                     "var t *testing.T",
	"datazone": `var (
	dzClient *awsdatazone.Client
	glueClient *awsglue.Client
	kafkaClient *awskafka.Client
	ssmClient *ssm.Client
	iamClient *iam.Client
	domain, project string
	eventBridgeEvent []byte
)`,
	"opensearch": "var analystRoleARN string",
}

// docExtraImports are imported by every package's snippet file when a snippet uses them.
var docExtraImports = map[string]string{
	"testing": "testing",
	"ssm":     "github.com/aws/aws-sdk-go-v2/service/ssm",
}

// tableLine is a line of a two-column table in a package doc (the root package's package list):
// the only code blocks in package docs that are not Go.
var tableLine = regexp.MustCompile(`^(\S+\s{2,}\S.*|\s{8,}\S.*)$`)

// TestPackageDocSnippetsCompile type-checks every code block of every package's doc comment
// against the module's current API, as TestREADMESnippetsCompile does for the README. "{ ... }"
// and "{...}" stand for elided code and compile as empty blocks; each snippet is a function
// body returning error, with the package's prelude (docPrelude) and the README's in scope.
func TestPackageDocSnippetsCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks against export data built by go list; skipped with -short")
	}
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{.Dir}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	wd, _ := os.Getwd()
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, dir, _ := strings.Cut(line, " ")
		rel, _ := filepath.Rel(wd, dir)
		rel = filepath.ToSlash(rel)
		if strings.Contains("/"+rel+"/", "/internal/") || strings.HasPrefix(rel, "examples") {
			continue
		}
		blocks := packageDocBlocks(t, dir)
		if len(blocks) == 0 {
			continue
		}
		t.Run(rel, func(t *testing.T) {
			checkDocSnippets(t, rel, path, blocks)
		})
		checked += len(blocks)
	}
	if checked < 15 {
		t.Fatalf("checked %d package-doc snippets; every package doc shows its main path", checked)
	}
}

// packageDocBlocks returns the Go code blocks of the package doc comment in dir.
func packageDocBlocks(t *testing.T, dir string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	var blocks []string
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ParseComments|parser.PackageClauseOnly)
		if err != nil {
			t.Fatal(err)
		}
		if f.Doc == nil {
			continue
		}
		var p comment.Parser
		for _, b := range p.Parse(f.Doc.Text()).Content {
			code, ok := b.(*comment.Code)
			if !ok || isTable(code.Text) {
				continue
			}
			blocks = append(blocks, code.Text)
		}
	}
	return blocks
}

func isTable(text string) bool {
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if !tableLine.MatchString(line) || strings.Contains(line, ":=") {
			return false
		}
	}
	return true
}

var elision = regexp.MustCompile(`\{ ?\.\.\. ?\}`)

func checkDocSnippets(t *testing.T, rel, path string, blocks []string) {
	names := map[string]string{}
	for name, p := range readmeImports {
		names[name] = p
	}
	for name, p := range docExtraImports {
		names[name] = p
	}
	for name, p := range docImports[rel] {
		names[name] = p
	}
	pkgName := filepath.Base(path)
	if rel == "." {
		pkgName = "datablocks"
	}
	names[pkgName] = path
	prelude := docPrelude[rel]

	used := map[string]bool{"context": true, "aws": true, "datablocks": true}
	all := strings.Join(blocks, "\n") + prelude
	for name := range names {
		if regexp.MustCompile(`\b` + name + `\.`).MatchString(all) {
			used[name] = true
		}
	}
	var sorted []string
	for name := range used {
		sorted = append(sorted, name)
	}
	sort.Strings(sorted)
	var src strings.Builder
	src.WriteString("package docsnippets\n\nimport (\n")
	for _, name := range sorted {
		fmt.Fprintf(&src, "\t%s %q\n", name, names[name])
	}
	src.WriteString(")\n" + readmePrelude + "\n" + prelude + "\n")
	for i, b := range blocks {
		fmt.Fprintf(&src, "\nfunc snippet%d() error {\n%s\nreturn nil\n}\n", i+1, elision.ReplaceAllString(b, "{}"))
	}
	paths := map[string]bool{}
	for _, name := range sorted {
		paths[names[name]] = true
	}
	typeCheckSnippets(t, rel+"/doc.go", src.String(), paths, "doc snippet")
}
