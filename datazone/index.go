package datazone

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// AssetIndex stores which asset each schema of a source became, so that a sync revises and
// deletes its own assets. An index must hold the assets of one source (one domain, registry
// and cluster) only: TopicSync deletes the assets of keys whose schema is gone.
type AssetIndex interface {
	// Load returns every key and asset ID; an error means the listing is incomplete, and the
	// sync then writes nothing.
	Load(ctx context.Context) (map[string]string, error)
	// Put records the asset of a key, replacing any earlier one.
	Put(ctx context.Context, key, assetID string) error
	// Delete forgets a key; a key that is not there is no error.
	Delete(ctx context.Context, key string) error
}

// MemoryAssetIndex is an AssetIndex in memory, for tests and single-process use. It is safe
// for concurrent use.
type MemoryAssetIndex struct {
	mu sync.Mutex
	m  map[string]string
}

// NewMemoryAssetIndex returns an empty MemoryAssetIndex.
func NewMemoryAssetIndex() *MemoryAssetIndex { return &MemoryAssetIndex{m: map[string]string{}} }

// Load implements AssetIndex.
func (x *MemoryAssetIndex) Load(context.Context) (map[string]string, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	return maps.Clone(x.m), nil
}

// Put implements AssetIndex.
func (x *MemoryAssetIndex) Put(_ context.Context, key, id string) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.m[key] = id
	return nil
}

// Delete implements AssetIndex.
func (x *MemoryAssetIndex) Delete(_ context.Context, key string) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	delete(x.m, key)
	return nil
}

// SSMAssetIndex is an AssetIndex in SSM Parameter Store: one String parameter per key,
// <prefix>/<key>, holding the asset ID. Load reads every page of GetParametersByPath (10
// parameters a page), so no stored ID is missed. Keys are escaped into parameter names:
// characters other than letters, digits, '.' and '-' become _XX (hex), so Glue schema names
// with '$' or '#' fit. It is safe for concurrent use.
type SSMAssetIndex struct {
	client ParametersAPIClient
	prefix string
	opts   Options
}

// NewSSMAssetIndex returns an SSMAssetIndex under prefix, a parameter path such as
// "/datazone/dzd_abc/orders-registry" (validated on first use). It reads SSMClientOptions and
// Logger.
func NewSSMAssetIndex(client ParametersAPIClient, prefix string, optFns ...func(*Options)) *SSMAssetIndex {
	return &SSMAssetIndex{client: client, prefix: strings.TrimSuffix(prefix, "/"), opts: apply(Options{}, optFns)}
}

func (x *SSMAssetIndex) check() error {
	p := x.prefix
	if !strings.HasPrefix(p, "/") || len(p) < 2 || strings.Contains(p, "//") {
		return fmt.Errorf("datazone: SSMAssetIndex prefix %q must be a parameter path such as /datazone/<domain>/<registry>", x.prefix)
	}
	for _, r := range p {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_.-/", r)) {
			return fmt.Errorf("datazone: SSMAssetIndex prefix %q contains %q; parameter names allow a-zA-Z0-9_.-/", x.prefix, r)
		}
	}
	if strings.Count(p, "/") > 14 {
		return fmt.Errorf("datazone: SSMAssetIndex prefix %q has more than 14 levels; parameter names have at most 15", x.prefix)
	}
	return nil
}

func escapeKey(k string) string {
	var b strings.Builder
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "_%02X", c)
	}
	return b.String()
}

func unescapeKey(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '_' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) {
			return "", fmt.Errorf("bad escape in %q", s)
		}
		c, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
		if err != nil {
			return "", fmt.Errorf("bad escape in %q", s)
		}
		b.WriteByte(byte(c))
		i += 2
	}
	return b.String(), nil
}

// Load implements AssetIndex with every page of GetParametersByPath (not recursive).
func (x *SSMAssetIndex) Load(ctx context.Context) (map[string]string, error) {
	if err := x.check(); err != nil {
		return nil, err
	}
	out := map[string]string{}
	p := ssm.NewGetParametersByPathPaginator(x.client, &ssm.GetParametersByPathInput{Path: aws.String(x.prefix + "/"), WithDecryption: aws.Bool(true)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, x.opts.SSMClientOptions...)
		if err != nil {
			return nil, fmt.Errorf("datazone: read asset index %s: %w", x.prefix, err)
		}
		for _, prm := range page.Parameters {
			key, err := unescapeKey(strings.TrimPrefix(aws.ToString(prm.Name), x.prefix+"/"))
			if err != nil {
				return nil, fmt.Errorf("datazone: asset index %s: parameter %s: %v", x.prefix, aws.ToString(prm.Name), err)
			}
			out[key] = aws.ToString(prm.Value)
		}
	}
	return out, nil
}

// Put implements AssetIndex with PutParameter (String, Overwrite).
func (x *SSMAssetIndex) Put(ctx context.Context, key, id string) error {
	if err := x.check(); err != nil {
		return err
	}
	name := x.prefix + "/" + escapeKey(key)
	_, err := x.client.PutParameter(ctx, &ssm.PutParameterInput{Name: aws.String(name), Value: aws.String(id), Type: ssmtypes.ParameterTypeString, Overwrite: aws.Bool(true)}, x.opts.SSMClientOptions...)
	if err != nil {
		return fmt.Errorf("datazone: store asset %s of %s in %s: %w", id, key, name, err)
	}
	logDebug(x.opts.Logger, "asset index put", "parameter", name, "asset", id)
	return nil
}

// Delete implements AssetIndex with DeleteParameter; ParameterNotFound is no error.
func (x *SSMAssetIndex) Delete(ctx context.Context, key string) error {
	if err := x.check(); err != nil {
		return err
	}
	name := x.prefix + "/" + escapeKey(key)
	_, err := x.client.DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: aws.String(name)}, x.opts.SSMClientOptions...)
	var nf *ssmtypes.ParameterNotFound
	if err != nil && !errors.As(err, &nf) {
		return fmt.Errorf("datazone: delete %s from the asset index: %w", name, err)
	}
	logDebug(x.opts.Logger, "asset index delete", "parameter", name)
	return nil
}
