package datablocks

import "strings"

// Action is what an Ensure call (or a sync) did to one resource.
type Action string

// The actions an Ensure call reports.
const (
	// Unchanged: the resource already matched; nothing was written.
	Unchanged Action = "unchanged"
	// Created: the resource did not exist and was created.
	Created Action = "created"
	// Updated: the resource existed and was changed in place (or a new revision was written).
	Updated Action = "updated"
	// Deleted: the resource was deleted (syncs and Ensure calls with a delete mode).
	Deleted Action = "deleted"
)

// Change is the one result type of every Ensure call in datablocks: what it did and, for an
// update, what it changed. The zero Change means Unchanged.
type Change struct {
	// Action is what was done. Empty means Unchanged.
	Action Action
	// Changed names what an update changed (fields, config keys, members), sorted. Empty
	// unless Action is Updated.
	Changed []string
}

// Wrote reports whether the call wrote anything.
func (c Change) Wrote() bool { return c.Action != "" && c.Action != Unchanged }

// String returns the action, with what changed for an update: "updated (partitions, retention.ms)".
func (c Change) String() string {
	a := c.Action
	if a == "" {
		a = Unchanged
	}
	if len(c.Changed) == 0 {
		return string(a)
	}
	return string(a) + " (" + strings.Join(c.Changed, ", ") + ")"
}
