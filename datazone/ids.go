package datazone

import (
	"errors"
	"fmt"
	"regexp"
)

var (
	domainIDRE = regexp.MustCompile(`^dzd[-_][a-zA-Z0-9_-]{1,36}$`)
	idRE       = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,36}$`)
)

// validDomainID checks DataZone's domain identifier pattern, ^dzd[-_][a-zA-Z0-9_-]{1,36}$.
func validDomainID(s string) error {
	if s == "" {
		return errors.New("is required")
	}
	if !domainIDRE.MatchString(s) {
		return fmt.Errorf("%q does not match ^dzd[-_][a-zA-Z0-9_-]{1,36}$", s)
	}
	return nil
}

// validID checks DataZone's identifier pattern for projects, assets, listings, environments,
// grants and targets, ^[a-zA-Z0-9_-]{1,36}$.
func validID(s string) error {
	if s == "" {
		return errors.New("is required")
	}
	if !idRE.MatchString(s) {
		return fmt.Errorf("%q does not match ^[a-zA-Z0-9_-]{1,36}$", s)
	}
	return nil
}
