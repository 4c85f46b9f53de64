package datablocks_test

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// readmeImports are the packages README snippets may use, by the name they use.
var readmeImports = map[string]string{
	"context":           "context",
	"fmt":               "fmt",
	"sql":               "database/sql",
	"time":              "time",
	"aws":               "github.com/aws/aws-sdk-go-v2/aws",
	"awsglue":           "github.com/aws/aws-sdk-go-v2/service/glue",
	"gluetypes":         "github.com/aws/aws-sdk-go-v2/service/glue/types",
	"awskafka":          "github.com/aws/aws-sdk-go-v2/service/kafka",
	"awslakeformation":  "github.com/aws/aws-sdk-go-v2/service/lakeformation",
	"lftypes":           "github.com/aws/aws-sdk-go-v2/service/lakeformation/types",
	"awsdatazone":       "github.com/aws/aws-sdk-go-v2/service/datazone",
	"awsopensearch":     "github.com/aws/aws-sdk-go-v2/service/opensearch",
	"ec2":               "github.com/aws/aws-sdk-go-v2/service/ec2",
	"ec2types":          "github.com/aws/aws-sdk-go-v2/service/ec2/types",
	"emrserverless":     "github.com/aws/aws-sdk-go-v2/service/emrserverless",
	"iam":               "github.com/aws/aws-sdk-go-v2/service/iam",
	"redshiftdata":      "github.com/aws/aws-sdk-go-v2/service/redshiftdata",
	"kafka":             "github.com/segmentio/kafka-go",
	"datablocks":        "github.com/datablocks-go/datablocks",
	"localaws":          "github.com/datablocks-go/datablocks/localaws",
	"msk":               "github.com/datablocks-go/datablocks/msk",
	"msktest":           "github.com/datablocks-go/datablocks/msk/msktest",
	"emr":               "github.com/datablocks-go/datablocks/emr",
	"emrtest":           "github.com/datablocks-go/datablocks/emr/emrtest",
	"instances":         "github.com/datablocks-go/datablocks/emr/instances",
	"glue":              "github.com/datablocks-go/datablocks/glue",
	"gluetest":          "github.com/datablocks-go/datablocks/glue/gluetest",
	"lakeformation":     "github.com/datablocks-go/datablocks/lakeformation",
	"lakeformationtest": "github.com/datablocks-go/datablocks/lakeformation/lakeformationtest",
	"datazone":          "github.com/datablocks-go/datablocks/datazone",
	"datazonetest":      "github.com/datablocks-go/datablocks/datazone/datazonetest",
	"redshift":          "github.com/datablocks-go/datablocks/redshift",
	"redshifttest":      "github.com/datablocks-go/datablocks/redshift/redshifttest",
	"opensearch":        "github.com/datablocks-go/datablocks/opensearch",
	"opensearchtest":    "github.com/datablocks-go/datablocks/opensearch/opensearchtest",
}

// readmePrelude declares what the snippets take as given: the context, an aws.Config and the
// identifiers of resources a reader would have at hand.
const readmePrelude = `
var (
	ctx         context.Context
	cfg         aws.Config
	brokers     []string
	clusterARN  string
	appID       string
	roleARN     string
	definition  string
	someErr     error
	clock       *datablocks.ManualClock
)
`

var goBlock = regexp.MustCompile("(?s)```go\n(.*?)```")

// TestREADMESnippetsCompile type-checks every Go snippet of README.md against the module's
// current API, so the README cannot drift from the code. Each snippet is a function body
// returning error; unused variables and imports are allowed (they are soft errors).
func TestREADMESnippetsCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks against export data built by go list; skipped with -short")
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := goBlock.FindAllSubmatch(readme, -1)
	if len(blocks) < 5 {
		t.Fatalf("README.md has %d Go snippets; the tour shows at least one per package", len(blocks))
	}
	var src strings.Builder
	src.WriteString("package readme\n\nimport (\n")
	used := map[string]bool{"context": true, "aws": true, "datablocks": true}
	for _, b := range blocks {
		for name := range readmeImports {
			if bytes.Contains(b[1], []byte(name+".")) {
				used[name] = true
			}
		}
	}
	var names []string
	for name := range used {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(&src, "\t%s %q\n", name, readmeImports[name])
	}
	src.WriteString(")\n" + readmePrelude)
	for i, b := range blocks {
		fmt.Fprintf(&src, "\nfunc snippet%d() error {\n%s\nreturn nil\n}\n", i+1, b[1])
	}

	paths := map[string]bool{}
	for name := range used {
		paths[readmeImports[name]] = true
	}
	typeCheckSnippets(t, "README.go", src.String(), paths, "README snippet")
}

// typeCheckSnippets parses src (a file of snippet functions) and type-checks it against the
// export data of paths and their dependencies, reporting every hard error as what: error.
// Unused variables and imports are soft errors and allowed.
func typeCheckSnippets(t *testing.T, filename, src string, paths map[string]bool, what string) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, src, 0)
	if err != nil {
		t.Fatalf("%s does not parse as Go: %v\n%s", what, err, src)
	}
	exports := exportDataFor(t, paths)
	conf := types.Config{
		Importer: importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
			file, ok := exports[path]
			if !ok {
				return nil, fmt.Errorf("no export data for %s", path)
			}
			return os.Open(file)
		}),
		Error: func(err error) {
			if te, ok := err.(types.Error); ok && te.Soft {
				return
			}
			t.Errorf("%s: %v", what, err)
		},
	}
	_, _ = conf.Check("snippets", fset, []*ast.File{f}, nil)
}

// exportDataFor builds the packages of paths and returns the export data file of each package
// in their dependency graph.
func exportDataFor(t *testing.T, paths map[string]bool) map[string]string {
	t.Helper()
	args := []string{"list", "-export", "-deps", "-f", "{{.ImportPath}}={{.Export}}"}
	for path := range paths {
		args = append(args, path)
	}
	out, err := exec.Command("go", args...).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("go list -export: %v\n%s", err, stderr)
	}
	exports := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		path, file, ok := strings.Cut(line, "=")
		if ok && file != "" {
			exports[path] = file
		}
	}
	return exports
}
