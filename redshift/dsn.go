package redshift

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// dataSource is a parsed data source name of the database/sql driver (see DriverName).
type dataSource struct {
	// Target is where statements run.
	Target Target
	// Region is the AWS region; empty means the SDK's configuration decides.
	Region string
	// Options holds the options the DSN sets.
	Options Options
}

// maxDSNBytes bounds the DSN text parseDSN reads.
const maxDSNBytes = 4096

// parseDSN parses a DSN of the form DriverName describes and validates its target.
func parseDSN(dsn string) (dataSource, error) {
	var out dataSource
	if len(dsn) > maxDSNBytes {
		return out, fmt.Errorf("redshift: DSN is %d bytes, over the limit of %d", len(dsn), maxDSNBytes)
	}
	rest, query, _ := strings.Cut(dsn, "?")
	open := strings.IndexByte(rest, '(')
	if open < 0 {
		return out, fmt.Errorf("redshift: DSN %q: want [user@]workgroup(name)/database or [user@]cluster(id)/database", redactDSN(dsn))
	}
	head, body := rest[:open], rest[open+1:]
	closeAt := strings.Index(body, ")/")
	if closeAt < 0 {
		return out, fmt.Errorf("redshift: DSN %q: want (name)/database after %q", redactDSN(dsn), head)
	}
	name, db := body[:closeAt], body[closeAt+2:]
	user, kind, hasUser := strings.Cut(head, "@")
	if !hasUser {
		kind, user = user, ""
	} else if user == "" {
		return out, fmt.Errorf("redshift: DSN %q: empty database user before @", redactDSN(dsn))
	}
	var err error
	if out.Target.DbUser, err = url.PathUnescape(user); err != nil {
		return out, fmt.Errorf("redshift: DSN: database user: %w", err)
	}
	if out.Target.Database, err = url.PathUnescape(db); err != nil {
		return out, fmt.Errorf("redshift: DSN: database: %w", err)
	}
	switch kind {
	case "workgroup":
		out.Target.Workgroup = name
	case "cluster":
		out.Target.Cluster = name
	default:
		return out, fmt.Errorf("redshift: DSN: %q must be workgroup or cluster", kind)
	}
	values, err := url.ParseQuery(query)
	if err != nil {
		return out, fmt.Errorf("redshift: DSN options: %w", err)
	}
	for key, vs := range values {
		if len(vs) != 1 {
			return out, fmt.Errorf("redshift: DSN option %s is given %d times", key, len(vs))
		}
		v := vs[0]
		switch key {
		case "secret_arn":
			out.Target.SecretARN = v
		case "session_per_conn":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return out, fmt.Errorf("redshift: DSN option session_per_conn=%q must be true or false", v)
			}
			out.Options.SessionPerConn = b
		case "region":
			out.Region = v
		case "timeout", "keep_alive", "min_poll", "max_poll", "polling":
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return out, fmt.Errorf("redshift: DSN option %s=%q must be a positive duration such as 30s", key, v)
			}
			switch key {
			case "timeout":
				out.Options.Wait.Timeout = d
			case "keep_alive":
				if d < time.Second || d > maxSessionKeepAlive {
					return out, fmt.Errorf("redshift: DSN option keep_alive=%s must be between 1s and 24h", d)
				}
				out.Options.SessionKeepAlive = d
			case "min_poll", "polling":
				out.Options.Wait.MinDelay = d
			case "max_poll":
				out.Options.Wait.MaxDelay = d
			}
		default:
			return out, fmt.Errorf("redshift: DSN option %q is unknown (known: secret_arn, region, timeout, keep_alive, min_poll, max_poll, session_per_conn)", key)
		}
	}
	if err := out.Target.validate(); err != nil {
		return out, err
	}
	return out, nil
}

// redactDSN keeps a DSN out of errors beyond its first characters; a DSN holds no password
// but may hold an account's ARNs.
func redactDSN(dsn string) string {
	if len(dsn) > 64 {
		return dsn[:64] + "…"
	}
	return dsn
}
