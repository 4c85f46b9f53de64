// Command apisurface counts the exported API of the module's packages: exported types,
// functions, methods, constants, variables, interface methods and struct fields, in non-test
// files outside internal/ (at any depth) and examples/. CI prints the count so that growth of the public
// surface is visible in every run.
//
//	go run ./internal/cmd/apisurface [root]
package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	root := "."
	if len(os.Args) > 1 {
		root = os.Args[1]
	}
	counts, err := count(root)
	if err != nil {
		fmt.Fprintln(os.Stderr, "apisurface:", err)
		os.Exit(1)
	}
	dirs := make([]string, 0, len(counts))
	total := 0
	for d, n := range counts {
		dirs = append(dirs, d)
		total += n
	}
	sort.Strings(dirs)
	for _, d := range dirs {
		fmt.Printf("%6d  %s\n", counts[d], d)
	}
	fmt.Printf("%6d  total exported identifiers\n", total)
}

// count returns the exported identifiers per package directory below root.
func count(root string) (map[string]int, error) {
	counts := map[string]int{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			base := d.Name()
			// internal/ at any depth (msk/internal/...) is not importable by users, so it is not
			// public surface; examples/ are programs.
			if rel != "." && (strings.HasPrefix(base, ".") || base == "testdata" || base == "internal" || rel == "examples" || strings.HasPrefix(rel, "examples/")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		counts[filepath.Dir(rel)] += exported(f)
		return nil
	})
	return counts, err
}

// exported counts the exported identifiers a file declares.
func exported(f *ast.File) int {
	n := 0
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() {
				continue
			}
			if d.Recv != nil && !receiverExported(d.Recv) {
				continue
			}
			n++
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.ValueSpec:
					for _, name := range s.Names {
						if name.IsExported() {
							n++
						}
					}
				case *ast.TypeSpec:
					if !s.Name.IsExported() {
						continue
					}
					n += 1 + members(s.Type)
				}
			}
		}
	}
	return n
}

// members counts the exported fields of a struct type and the methods of an interface type.
func members(t ast.Expr) int {
	n := 0
	switch t := t.(type) {
	case *ast.StructType:
		for _, f := range t.Fields.List {
			for _, name := range f.Names {
				if name.IsExported() {
					n++
				}
			}
			if len(f.Names) == 0 && embeddedExported(f.Type) {
				n++
			}
		}
	case *ast.InterfaceType:
		for _, m := range t.Methods.List {
			for _, name := range m.Names {
				if name.IsExported() {
					n++
				}
			}
		}
	}
	return n
}

func embeddedExported(t ast.Expr) bool {
	switch t := t.(type) {
	case *ast.StarExpr:
		return embeddedExported(t.X)
	case *ast.Ident:
		return t.IsExported()
	case *ast.SelectorExpr:
		return t.Sel.IsExported()
	}
	return false
}

func receiverExported(fl *ast.FieldList) bool {
	if len(fl.List) == 0 {
		return false
	}
	t := fl.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
			continue
		case *ast.IndexExpr:
			t = x.X
			continue
		case *ast.IndexListExpr:
			t = x.X
			continue
		case *ast.Ident:
			return x.IsExported()
		}
		return false
	}
}
