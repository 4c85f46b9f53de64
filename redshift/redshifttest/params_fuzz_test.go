package redshifttest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/redshiftdata"

	"github.com/datablocks-go/datablocks/redshift"
)

// errSent is what sendRecorder answers: the helper's checks passed and it called the API.
var errSent = errors.New("sent")

// sendRecorder is a Data API client whose ExecuteStatement reports that it was reached.
type sendRecorder struct{ redshift.DataAPIClient }

func (sendRecorder) ExecuteStatement(context.Context, *redshiftdata.ExecuteStatementInput, ...func(*redshiftdata.Options)) (*redshiftdata.ExecuteStatementOutput, error) {
	return nil, errSent
}

// FuzzParameterNames checks the helper's reading of :name parameters (the checks
// DataAPI.Start makes before any call) against the fake's translator, written separately:
// for any SQL the fake translates, binding exactly the names it found lets the helper send
// the statement, and leaving one out does not.
func FuzzParameterNames(f *testing.F) {
	for _, s := range []string{
		"select :a, ':b', \":c\" -- :d\n /* :e /* :f */ */ $$ :g $$ $t$ :h $t$ :i::int",
		"E'\\':x' || :y", "select $1, :z", "a:::b", "select 'it''s' || :q", `"a""b" :c`,
	} {
		f.Add(s)
	}
	d := redshift.NewDataAPI(sendRecorder{}, redshift.Target{Workgroup: "analytics", Database: "dev"})
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, sql string) {
		if strings.TrimSpace(sql) == "" {
			return
		}
		_, names, err := translateParams(sql)
		if err != nil {
			return
		}
		st := redshift.Statement{SQL: sql}
		for _, n := range names {
			st.Params = append(st.Params, redshift.Param{Name: n, Value: "1"})
		}
		if _, err := d.Start(ctx, st); !errors.Is(err, errSent) {
			t.Fatalf("the fake finds %q in %q, but with them bound the helper says: %v", names, sql, err)
		}
		if len(names) > 0 {
			st.Params = st.Params[1:]
			if _, err := d.Start(ctx, st); errors.Is(err, errSent) {
				t.Fatalf("the fake finds %q in %q, but the helper sends it without :%s", names, sql, names[0])
			}
		}
	})
}
