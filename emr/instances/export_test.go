package instances

import "io"

// Test access to the readers and writers behind LoadCatalogFile, for tests in package
// instances_test.
var ReadCatalog = readCatalog

func (c *Catalog) WriteJSON(w io.Writer) error { return c.writeJSON(w) }
