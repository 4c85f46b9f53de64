package redshift

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshiftserverless"
	"github.com/aws/aws-sdk-go-v2/service/redshiftserverless/types"
	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/internal/poll"
)

// ServerlessAPIClient is the part of the Redshift Serverless client (redshiftserverless.Client)
// that Serverless calls.
type ServerlessAPIClient interface {
	CreateNamespace(ctx context.Context, params *redshiftserverless.CreateNamespaceInput, optFns ...func(*redshiftserverless.Options)) (*redshiftserverless.CreateNamespaceOutput, error)
	GetNamespace(ctx context.Context, params *redshiftserverless.GetNamespaceInput, optFns ...func(*redshiftserverless.Options)) (*redshiftserverless.GetNamespaceOutput, error)
	UpdateNamespace(ctx context.Context, params *redshiftserverless.UpdateNamespaceInput, optFns ...func(*redshiftserverless.Options)) (*redshiftserverless.UpdateNamespaceOutput, error)
	DeleteNamespace(ctx context.Context, params *redshiftserverless.DeleteNamespaceInput, optFns ...func(*redshiftserverless.Options)) (*redshiftserverless.DeleteNamespaceOutput, error)
	CreateWorkgroup(ctx context.Context, params *redshiftserverless.CreateWorkgroupInput, optFns ...func(*redshiftserverless.Options)) (*redshiftserverless.CreateWorkgroupOutput, error)
	GetWorkgroup(ctx context.Context, params *redshiftserverless.GetWorkgroupInput, optFns ...func(*redshiftserverless.Options)) (*redshiftserverless.GetWorkgroupOutput, error)
	UpdateWorkgroup(ctx context.Context, params *redshiftserverless.UpdateWorkgroupInput, optFns ...func(*redshiftserverless.Options)) (*redshiftserverless.UpdateWorkgroupOutput, error)
	DeleteWorkgroup(ctx context.Context, params *redshiftserverless.DeleteWorkgroupInput, optFns ...func(*redshiftserverless.Options)) (*redshiftserverless.DeleteWorkgroupOutput, error)
	CreateUsageLimit(ctx context.Context, params *redshiftserverless.CreateUsageLimitInput, optFns ...func(*redshiftserverless.Options)) (*redshiftserverless.CreateUsageLimitOutput, error)
	UpdateUsageLimit(ctx context.Context, params *redshiftserverless.UpdateUsageLimitInput, optFns ...func(*redshiftserverless.Options)) (*redshiftserverless.UpdateUsageLimitOutput, error)
	DeleteUsageLimit(ctx context.Context, params *redshiftserverless.DeleteUsageLimitInput, optFns ...func(*redshiftserverless.Options)) (*redshiftserverless.DeleteUsageLimitOutput, error)
	redshiftserverless.ListUsageLimitsAPIClient
}

var _ ServerlessAPIClient = (*redshiftserverless.Client)(nil)

// Defaults of Options for a Serverless.
const (
	// defaultServerlessMinDelay is the first delay between checks of a namespace or workgroup.
	defaultServerlessMinDelay = 5 * time.Second
	// defaultServerlessMaxDelay caps the delay between checks.
	defaultServerlessMaxDelay = 30 * time.Second
	// defaultServerlessTimeout bounds one wait (a workgroup takes minutes to create).
	defaultServerlessTimeout = 30 * time.Minute
	// defaultConflictAttempts bounds the calls of an update or delete that the service
	// refuses with ConflictException while the resource is busy (MODIFYING).
	defaultConflictAttempts = 20
)

// Serverless creates, updates and deletes Redshift Serverless namespaces and workgroups,
// waiting until they are AVAILABLE (or gone), and keeps their usage limits. It is safe for
// concurrent use.
type Serverless struct {
	client ServerlessAPIClient
	opts   Options
}

// NewServerless returns a Serverless calling client. It reads Wait, Retry, Region and
// ServerlessClientOptions.
func NewServerless(client ServerlessAPIClient, optFns ...func(*Options)) *Serverless {
	return &Serverless{client: client, opts: configure(Options{}, optFns)}
}

func (s *Serverless) options(optFns []func(*Options)) Options {
	o := configure(s.opts, optFns)
	if o.Wait.MinDelay <= 0 {
		o.Wait.MinDelay = defaultServerlessMinDelay
	}
	if o.Wait.MaxDelay <= 0 {
		o.Wait.MaxDelay = defaultServerlessMaxDelay
	}
	if o.Wait.Timeout <= 0 {
		o.Wait.Timeout = defaultServerlessTimeout
	}
	if o.Retry.MaxAttempts <= 0 {
		o.Retry.MaxAttempts = defaultConflictAttempts
	}
	if o.Retry.MinDelay <= 0 {
		o.Retry.MinDelay = o.Wait.MinDelay
	}
	if o.Retry.MaxDelay <= 0 {
		o.Retry.MaxDelay = o.Wait.MaxDelay
	}
	if o.Retry.Clock == nil {
		o.Retry.Clock = o.Wait.Clock
	}
	return o
}

// Namespace is the desired state of a Redshift Serverless namespace.
type Namespace struct {
	// Name is the namespace name: 3-64 of a-z, 0-9 and -. Required.
	Name string
	// DBName is the first database's name, set at creation only. Empty means "dev".
	DBName string
	// AdminUsername and AdminPassword set the admin user (together); or ManageAdminPassword
	// has Secrets Manager generate and keep the password. Both empty and false means the
	// service's default admin without a password you know. The password is compared only
	// at creation: the service never returns it.
	AdminUsername string
	AdminPassword string
	// ManageAdminPassword keeps the admin password in Secrets Manager.
	ManageAdminPassword bool
	// IAMRoles are the IAM role ARNs the namespace may assume (COPY, UNLOAD, ...).
	IAMRoles []string
	// DefaultIAMRole is the role of "IAM_ROLE default"; it must be one of IAMRoles.
	DefaultIAMRole string
	// KMSKeyID encrypts the namespace. Empty means the AWS-owned key (set at creation; a
	// change is an update).
	KMSKeyID string
	// LogExports are the logs exported to CloudWatch: userlog, connectionlog,
	// useractivitylog. Empty means none.
	LogExports []types.LogExport
}

// String describes the namespace without its admin password.
func (n Namespace) String() string {
	pw := ""
	if n.AdminPassword != "" {
		pw = "[redacted]"
	}
	return fmt.Sprintf("redshift.Namespace{Name:%q DBName:%q AdminUsername:%q AdminPassword:%s ManageAdminPassword:%t IAMRoles:%q DefaultIAMRole:%q KMSKeyID:%q LogExports:%q}",
		n.Name, n.DBName, n.AdminUsername, pw, n.ManageAdminPassword, n.IAMRoles, n.DefaultIAMRole, n.KMSKeyID, n.LogExports)
}

// GoString is String, so %#v does not print the password either.
func (n Namespace) GoString() string { return n.String() }

// LogValue logs the namespace without its admin password.
func (n Namespace) LogValue() slog.Value { return slog.StringValue(n.String()) }

var serverlessNameRe = regexp.MustCompile(`^[a-z0-9-]{3,64}$`)

func (n Namespace) validate() error {
	switch {
	case !serverlessNameRe.MatchString(n.Name):
		return fmt.Errorf("redshift: Namespace.Name %q must be 3-64 of a-z, 0-9 and -", n.Name)
	case n.AdminPassword != "" && n.ManageAdminPassword:
		return errors.New("redshift: Namespace.AdminPassword and ManageAdminPassword are exclusive")
	case (n.AdminUsername == "") != (n.AdminPassword == "") && !n.ManageAdminPassword:
		return errors.New("redshift: Namespace.AdminUsername and AdminPassword go together (or set ManageAdminPassword)")
	case n.DefaultIAMRole != "" && !slices.Contains(n.IAMRoles, n.DefaultIAMRole):
		return fmt.Errorf("redshift: Namespace.DefaultIAMRole %s must be one of IAMRoles", n.DefaultIAMRole)
	}
	for _, r := range n.IAMRoles {
		a, err := datablocks.ParseARN(r)
		if err != nil || a.Service != "iam" || len(a.Resource) < 6 || a.Resource[:5] != "role/" {
			return fmt.Errorf("redshift: Namespace.IAMRoles member %q is not an IAM role ARN", r)
		}
	}
	for _, e := range n.LogExports {
		if !slices.Contains(types.LogExport("").Values(), e) {
			return fmt.Errorf("redshift: Namespace.LogExports member %q must be one of %q", e, types.LogExport("").Values())
		}
	}
	return nil
}

// EnsureNamespace creates the namespace or updates what differs, then waits until it is
// AVAILABLE. Updates follow UpdateNamespace's coupling rules (IAM roles with the default role,
// admin user name with password) and go one group per call, waiting for AVAILABLE between
// them, since a MODIFYING namespace refuses updates; a ConflictException is retried.
func (s *Serverless) EnsureNamespace(ctx context.Context, n Namespace, optFns ...func(*Options)) (datablocks.Change, error) {
	o := s.options(optFns)
	if err := n.validate(); err != nil {
		return datablocks.Change{}, err
	}
	cur, err := s.getNamespace(ctx, o, n.Name)
	if err != nil {
		return datablocks.Change{}, err
	}
	if cur == nil {
		in := &redshiftserverless.CreateNamespaceInput{
			NamespaceName: aws.String(n.Name), DbName: opt(n.DBName), AdminUsername: opt(n.AdminUsername),
			AdminUserPassword: opt(n.AdminPassword), IamRoles: n.IAMRoles, DefaultIamRoleArn: opt(n.DefaultIAMRole),
			KmsKeyId: opt(n.KMSKeyID), LogExports: n.LogExports,
		}
		if n.ManageAdminPassword {
			in.ManageAdminPassword = aws.Bool(true)
		}
		if err := s.retry(ctx, o, "create namespace "+n.Name, func(ctx context.Context) error {
			_, err := s.client.CreateNamespace(ctx, in, o.ServerlessClientOptions...)
			return err
		}); err != nil {
			return datablocks.Change{}, fmt.Errorf("redshift: CreateNamespace %s: %w", n.Name, err)
		}
		if _, err := s.waitNamespace(ctx, o, n.Name); err != nil {
			return datablocks.Change{}, err
		}
		return datablocks.Change{Action: datablocks.Created}, nil
	}
	if cur.Status == types.NamespaceStatusDeleting {
		return datablocks.Change{}, fmt.Errorf("redshift: namespace %s is being deleted", n.Name)
	}
	if n.DBName != "" && n.DBName != aws.ToString(cur.DbName) {
		return datablocks.Change{}, fmt.Errorf("redshift: namespace %s has database %q; DBName %q can only be set at creation", n.Name, aws.ToString(cur.DbName), n.DBName)
	}
	var updates []*redshiftserverless.UpdateNamespaceInput
	var changed []string
	name := aws.String(n.Name)
	if !sameSet(cur.IamRoles, n.IAMRoles) || aws.ToString(cur.DefaultIamRoleArn) != n.DefaultIAMRole {
		in := &redshiftserverless.UpdateNamespaceInput{NamespaceName: name, IamRoles: append([]string{}, n.IAMRoles...), DefaultIamRoleArn: opt(n.DefaultIAMRole)}
		updates, changed = append(updates, in), append(changed, "IAMRoles")
	}
	if n.KMSKeyID != "" && n.KMSKeyID != aws.ToString(cur.KmsKeyId) {
		updates, changed = append(updates, &redshiftserverless.UpdateNamespaceInput{NamespaceName: name, KmsKeyId: aws.String(n.KMSKeyID)}), append(changed, "KMSKeyID")
	}
	if !sameSet(cur.LogExports, n.LogExports) {
		updates = append(updates, &redshiftserverless.UpdateNamespaceInput{NamespaceName: name, LogExports: append([]types.LogExport{}, n.LogExports...)})
		changed = append(changed, "LogExports")
	}
	if n.AdminUsername != "" && n.AdminUsername != aws.ToString(cur.AdminUsername) {
		updates = append(updates, &redshiftserverless.UpdateNamespaceInput{NamespaceName: name, AdminUsername: aws.String(n.AdminUsername), AdminUserPassword: aws.String(n.AdminPassword)})
		changed = append(changed, "AdminUsername")
	}
	if n.ManageAdminPassword != (cur.AdminPasswordSecretArn != nil) && (n.ManageAdminPassword || n.AdminPassword != "") {
		in := &redshiftserverless.UpdateNamespaceInput{NamespaceName: name, ManageAdminPassword: aws.Bool(n.ManageAdminPassword)}
		if !n.ManageAdminPassword {
			in.AdminUsername, in.AdminUserPassword = aws.String(n.AdminUsername), aws.String(n.AdminPassword)
		}
		updates, changed = append(updates, in), append(changed, "ManageAdminPassword")
	}
	if len(updates) == 0 {
		if cur.Status != types.NamespaceStatusAvailable {
			if _, err := s.waitNamespace(ctx, o, n.Name); err != nil {
				return datablocks.Change{}, err
			}
		}
		return datablocks.Change{Action: datablocks.Unchanged}, nil
	}
	for i, in := range updates {
		if _, err := s.waitNamespace(ctx, o, n.Name); err != nil {
			return datablocks.Change{}, fmt.Errorf("%w (applied: %v)", err, changed[:i])
		}
		if err := s.retry(ctx, o, "update namespace "+n.Name, func(ctx context.Context) error {
			_, err := s.client.UpdateNamespace(ctx, in, o.ServerlessClientOptions...)
			return err
		}); err != nil {
			return datablocks.Change{}, fmt.Errorf("redshift: UpdateNamespace %s (%s; applied: %v): %w", n.Name, changed[i], changed[:i], err)
		}
	}
	if _, err := s.waitNamespace(ctx, o, n.Name); err != nil {
		return datablocks.Change{}, err
	}
	slices.Sort(changed)
	return datablocks.Change{Action: datablocks.Updated, Changed: changed}, nil
}

func sameSet[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[T]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		if m[x]--; m[x] < 0 {
			return false
		}
	}
	return true
}

func isNotFound(err error) bool {
	var nf *types.ResourceNotFoundException
	return errors.As(err, &nf)
}

func isConflict(err error) bool {
	var ce *types.ConflictException
	return errors.As(err, &ce)
}

// retry calls fn until it succeeds or fails with an error other than a conflict or
// throttling, at most Retry.MaxAttempts times.
func (s *Serverless) retry(ctx context.Context, o Options, what string, fn func(context.Context) error) error {
	po := poll.FromRetryFor(what, o.Retry, s.client)
	po.Retryable = func(err error) bool { return isConflict(err) || poll.IsThrottle(err) }
	return poll.Wait(ctx, po, func(ctx context.Context) (string, bool, error) {
		if err := fn(ctx); err != nil {
			return "", false, err
		}
		return "done", true, nil
	})
}

func (s *Serverless) getNamespace(ctx context.Context, o Options, name string) (*types.Namespace, error) {
	var ns *types.Namespace
	err := s.retry(ctx, o, "namespace "+name, func(ctx context.Context) error {
		out, err := s.client.GetNamespace(ctx, &redshiftserverless.GetNamespaceInput{NamespaceName: aws.String(name)}, o.ServerlessClientOptions...)
		if isNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		ns = out.Namespace
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("redshift: GetNamespace %s: %w", name, err)
	}
	return ns, nil
}

// waitNamespace waits until the namespace is AVAILABLE.
func (s *Serverless) waitNamespace(ctx context.Context, o Options, name string) (*types.Namespace, error) {
	var ns *types.Namespace
	err := poll.Wait(ctx, poll.FromWaitFor("Redshift Serverless namespace "+name, o.Wait, s.client), func(ctx context.Context) (string, bool, error) {
		out, err := s.client.GetNamespace(ctx, &redshiftserverless.GetNamespaceInput{NamespaceName: aws.String(name)}, o.ServerlessClientOptions...)
		if err != nil {
			return "", false, fmt.Errorf("redshift: GetNamespace %s: %w", name, err)
		}
		ns = out.Namespace
		switch ns.Status {
		case types.NamespaceStatusAvailable:
			return string(ns.Status), true, nil
		case types.NamespaceStatusDeleting:
			return "", false, fmt.Errorf("redshift: namespace %s is being deleted", name)
		}
		return string(ns.Status), false, nil
	})
	if err != nil {
		return nil, err
	}
	return ns, nil
}

// DeleteNamespace deletes the namespace (its workgroup must be deleted first) and waits until
// it is gone. A namespace that does not exist is Unchanged; a busy one is retried.
func (s *Serverless) DeleteNamespace(ctx context.Context, name string, optFns ...func(*Options)) (datablocks.Change, error) {
	o := s.options(optFns)
	return s.deleteAndWait(ctx, o, "Namespace", name, func(ctx context.Context) error {
		_, err := s.client.DeleteNamespace(ctx, &redshiftserverless.DeleteNamespaceInput{NamespaceName: aws.String(name)}, o.ServerlessClientOptions...)
		return err
	}, func(ctx context.Context) (string, error) {
		out, err := s.client.GetNamespace(ctx, &redshiftserverless.GetNamespaceInput{NamespaceName: aws.String(name)}, o.ServerlessClientOptions...)
		if err != nil {
			return "", err
		}
		return string(out.Namespace.Status), nil
	})
}

// deleteAndWait is what DeleteNamespace and DeleteWorkgroup share: kind's name checked, its
// Delete call (del) retried while busy, then its Get call (status) until it is gone. One that
// does not exist is Unchanged.
func (s *Serverless) deleteAndWait(ctx context.Context, o Options, kind, name string,
	del func(context.Context) error, status func(context.Context) (string, error)) (datablocks.Change, error) {
	what := strings.ToLower(kind)
	if !serverlessNameRe.MatchString(name) {
		return datablocks.Change{}, fmt.Errorf("redshift: %s name %q must be 3-64 of a-z, 0-9 and -", what, name)
	}
	what += " " + name
	gone := false
	err := s.retry(ctx, o, "delete "+what, func(ctx context.Context) error {
		err := del(ctx)
		if isNotFound(err) {
			gone = true
			return nil
		}
		return err
	})
	if err != nil {
		return datablocks.Change{}, fmt.Errorf("redshift: Delete%s %s: %w", kind, name, err)
	}
	if gone {
		return datablocks.Change{Action: datablocks.Unchanged}, nil
	}
	err = poll.Wait(ctx, poll.FromWaitFor("deletion of Redshift Serverless "+what, o.Wait, s.client), func(ctx context.Context) (string, bool, error) {
		st, err := status(ctx)
		if isNotFound(err) {
			return "deleted", true, nil
		}
		if err != nil {
			return "", false, fmt.Errorf("redshift: Get%s %s: %w", kind, name, err)
		}
		return st, false, nil
	})
	if err != nil {
		return datablocks.Change{}, err
	}
	return datablocks.Change{Action: datablocks.Deleted}, nil
}

// Workgroup is the desired state of a Redshift Serverless workgroup.
type Workgroup struct {
	// Name is the workgroup name: 3-64 of a-z, 0-9 and -. Required.
	Name string
	// Namespace is the namespace's name, set at creation only. Required.
	Namespace string
	// BaseCapacity is the base RPU: 8 to 512 in steps of 8, or 512 to 1024 in steps of 32 in
	// us-east-1, us-east-2, us-west-2, eu-west-1 and eu-central-1. Zero means the service's
	// default (128) at creation and no change later.
	BaseCapacity int32
	// MaxCapacity caps the RPU; zero means no cap at creation and no change later.
	MaxCapacity int32
	// Port is the database port: 5431-5455 or 8191-8215. Zero means 5439 at creation and no
	// change later.
	Port int32
	// SubnetIDs and SecurityGroupIDs place the workgroup in a VPC; nil means the default VPC
	// at creation and no change later.
	SubnetIDs, SecurityGroupIDs []string
	// PubliclyAccessible and EnhancedVpcRouting are compared and set as given.
	PubliclyAccessible, EnhancedVpcRouting bool
	// ConfigParameters are set (keys not listed are left as they are).
	ConfigParameters map[string]string
}

// baseCapacityRegions are where base capacity above 512 RPU is offered.
var baseCapacityRegions = []string{"us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1"}

func (w Workgroup) validate(region string) error {
	switch {
	case !serverlessNameRe.MatchString(w.Name):
		return fmt.Errorf("redshift: Workgroup.Name %q must be 3-64 of a-z, 0-9 and -", w.Name)
	case !serverlessNameRe.MatchString(w.Namespace):
		return fmt.Errorf("redshift: Workgroup.Namespace %q must be 3-64 of a-z, 0-9 and -", w.Namespace)
	case w.Port != 0 && !(w.Port >= 5431 && w.Port <= 5455 || w.Port >= 8191 && w.Port <= 8215):
		return fmt.Errorf("redshift: Workgroup.Port %d must be within 5431-5455 or 8191-8215", w.Port)
	case w.MaxCapacity != 0 && w.BaseCapacity != 0 && w.MaxCapacity < w.BaseCapacity:
		return fmt.Errorf("redshift: Workgroup.MaxCapacity %d is below BaseCapacity %d", w.MaxCapacity, w.BaseCapacity)
	}
	b := w.BaseCapacity
	switch {
	case b == 0, b >= 8 && b <= 512 && b%8 == 0:
	case b > 512 && b <= 1024 && b%32 == 0:
		if region != "" && !slices.Contains(baseCapacityRegions, region) {
			return fmt.Errorf("redshift: Workgroup.BaseCapacity %d above 512 is only offered in %v, not %s", b, baseCapacityRegions, region)
		}
	default:
		return fmt.Errorf("redshift: Workgroup.BaseCapacity %d must be 8-512 in steps of 8, or 512-1024 in steps of 32", b)
	}
	return nil
}

// EnsureWorkgroup creates the workgroup or updates what differs, one setting per
// UpdateWorkgroup call with a wait for AVAILABLE between them, and waits until it is
// AVAILABLE. A ConflictException (the workgroup is busy) is retried.
func (s *Serverless) EnsureWorkgroup(ctx context.Context, w Workgroup, optFns ...func(*Options)) (datablocks.Change, error) {
	o := s.options(optFns)
	if err := w.validate(o.Region); err != nil {
		return datablocks.Change{}, err
	}
	var cur *types.Workgroup
	err := s.retry(ctx, o, "workgroup "+w.Name, func(ctx context.Context) error {
		out, err := s.client.GetWorkgroup(ctx, &redshiftserverless.GetWorkgroupInput{WorkgroupName: aws.String(w.Name)}, o.ServerlessClientOptions...)
		if isNotFound(err) {
			return nil
		}
		if err != nil {
			return err
		}
		cur = out.Workgroup
		return nil
	})
	if err != nil {
		return datablocks.Change{}, fmt.Errorf("redshift: GetWorkgroup %s: %w", w.Name, err)
	}
	params := func() []types.ConfigParameter {
		var ps []types.ConfigParameter
		for _, k := range slices.Sorted(maps.Keys(w.ConfigParameters)) {
			ps = append(ps, types.ConfigParameter{ParameterKey: aws.String(k), ParameterValue: aws.String(w.ConfigParameters[k])})
		}
		return ps
	}
	if cur == nil {
		in := &redshiftserverless.CreateWorkgroupInput{
			WorkgroupName: aws.String(w.Name), NamespaceName: aws.String(w.Namespace), SubnetIds: w.SubnetIDs, SecurityGroupIds: w.SecurityGroupIDs,
			PubliclyAccessible: aws.Bool(w.PubliclyAccessible), EnhancedVpcRouting: aws.Bool(w.EnhancedVpcRouting), ConfigParameters: params(),
		}
		if w.BaseCapacity != 0 {
			in.BaseCapacity = aws.Int32(w.BaseCapacity)
		}
		if w.MaxCapacity != 0 {
			in.MaxCapacity = aws.Int32(w.MaxCapacity)
		}
		if w.Port != 0 {
			in.Port = aws.Int32(w.Port)
		}
		if err := s.retry(ctx, o, "create workgroup "+w.Name, func(ctx context.Context) error {
			_, err := s.client.CreateWorkgroup(ctx, in, o.ServerlessClientOptions...)
			return err
		}); err != nil {
			return datablocks.Change{}, fmt.Errorf("redshift: CreateWorkgroup %s: %w", w.Name, err)
		}
		if err := s.waitWorkgroup(ctx, o, w.Name); err != nil {
			return datablocks.Change{}, err
		}
		return datablocks.Change{Action: datablocks.Created}, nil
	}
	if cur.Status == types.WorkgroupStatusDeleting {
		return datablocks.Change{}, fmt.Errorf("redshift: workgroup %s is being deleted", w.Name)
	}
	if ns := aws.ToString(cur.NamespaceName); ns != w.Namespace {
		return datablocks.Change{}, fmt.Errorf("redshift: workgroup %s belongs to namespace %s, not %s; a workgroup cannot move", w.Name, ns, w.Namespace)
	}
	name := aws.String(w.Name)
	var updates []*redshiftserverless.UpdateWorkgroupInput
	var changed []string
	add := func(field string, in *redshiftserverless.UpdateWorkgroupInput) {
		in.WorkgroupName = name
		updates, changed = append(updates, in), append(changed, field)
	}
	if w.BaseCapacity != 0 && w.BaseCapacity != aws.ToInt32(cur.BaseCapacity) {
		add("BaseCapacity", &redshiftserverless.UpdateWorkgroupInput{BaseCapacity: aws.Int32(w.BaseCapacity)})
	}
	if w.MaxCapacity != 0 && w.MaxCapacity != aws.ToInt32(cur.MaxCapacity) {
		add("MaxCapacity", &redshiftserverless.UpdateWorkgroupInput{MaxCapacity: aws.Int32(w.MaxCapacity)})
	}
	if w.Port != 0 && w.Port != aws.ToInt32(cur.Port) {
		add("Port", &redshiftserverless.UpdateWorkgroupInput{Port: aws.Int32(w.Port)})
	}
	if w.PubliclyAccessible != aws.ToBool(cur.PubliclyAccessible) {
		add("PubliclyAccessible", &redshiftserverless.UpdateWorkgroupInput{PubliclyAccessible: aws.Bool(w.PubliclyAccessible)})
	}
	if w.EnhancedVpcRouting != aws.ToBool(cur.EnhancedVpcRouting) {
		add("EnhancedVpcRouting", &redshiftserverless.UpdateWorkgroupInput{EnhancedVpcRouting: aws.Bool(w.EnhancedVpcRouting)})
	}
	if w.SubnetIDs != nil && !sameSet(w.SubnetIDs, cur.SubnetIds) {
		add("SubnetIDs", &redshiftserverless.UpdateWorkgroupInput{SubnetIds: w.SubnetIDs})
	}
	if w.SecurityGroupIDs != nil && !sameSet(w.SecurityGroupIDs, cur.SecurityGroupIds) {
		add("SecurityGroupIDs", &redshiftserverless.UpdateWorkgroupInput{SecurityGroupIds: w.SecurityGroupIDs})
	}
	curParams := map[string]string{}
	for _, p := range cur.ConfigParameters {
		curParams[aws.ToString(p.ParameterKey)] = aws.ToString(p.ParameterValue)
	}
	var diff []types.ConfigParameter
	for _, p := range params() {
		if v, ok := curParams[*p.ParameterKey]; !ok || v != *p.ParameterValue {
			diff = append(diff, p)
		}
	}
	if len(diff) > 0 {
		add("ConfigParameters", &redshiftserverless.UpdateWorkgroupInput{ConfigParameters: diff})
	}
	for i, in := range updates {
		if err := s.waitWorkgroup(ctx, o, w.Name); err != nil {
			return datablocks.Change{}, fmt.Errorf("%w (applied: %v)", err, changed[:i])
		}
		if err := s.retry(ctx, o, "update workgroup "+w.Name, func(ctx context.Context) error {
			_, err := s.client.UpdateWorkgroup(ctx, in, o.ServerlessClientOptions...)
			return err
		}); err != nil {
			return datablocks.Change{}, fmt.Errorf("redshift: UpdateWorkgroup %s (%s; applied: %v): %w", w.Name, changed[i], changed[:i], err)
		}
	}
	if err := s.waitWorkgroup(ctx, o, w.Name); err != nil {
		return datablocks.Change{}, err
	}
	if len(updates) == 0 {
		return datablocks.Change{Action: datablocks.Unchanged}, nil
	}
	slices.Sort(changed)
	return datablocks.Change{Action: datablocks.Updated, Changed: changed}, nil
}

// waitWorkgroup waits until the workgroup is AVAILABLE.
func (s *Serverless) waitWorkgroup(ctx context.Context, o Options, name string) error {
	return poll.Wait(ctx, poll.FromWaitFor("Redshift Serverless workgroup "+name, o.Wait, s.client), func(ctx context.Context) (string, bool, error) {
		out, err := s.client.GetWorkgroup(ctx, &redshiftserverless.GetWorkgroupInput{WorkgroupName: aws.String(name)}, o.ServerlessClientOptions...)
		if err != nil {
			return "", false, fmt.Errorf("redshift: GetWorkgroup %s: %w", name, err)
		}
		switch out.Workgroup.Status {
		case types.WorkgroupStatusAvailable:
			return string(out.Workgroup.Status), true, nil
		case types.WorkgroupStatusDeleting:
			return "", false, fmt.Errorf("redshift: workgroup %s is being deleted", name)
		}
		return string(out.Workgroup.Status), false, nil
	})
}

// DeleteWorkgroup deletes the workgroup and waits until it is gone. A workgroup that does not
// exist is Unchanged; a busy one is retried.
func (s *Serverless) DeleteWorkgroup(ctx context.Context, name string, optFns ...func(*Options)) (datablocks.Change, error) {
	o := s.options(optFns)
	return s.deleteAndWait(ctx, o, "Workgroup", name, func(ctx context.Context) error {
		_, err := s.client.DeleteWorkgroup(ctx, &redshiftserverless.DeleteWorkgroupInput{WorkgroupName: aws.String(name)}, o.ServerlessClientOptions...)
		return err
	}, func(ctx context.Context) (string, error) {
		out, err := s.client.GetWorkgroup(ctx, &redshiftserverless.GetWorkgroupInput{WorkgroupName: aws.String(name)}, o.ServerlessClientOptions...)
		if err != nil {
			return "", err
		}
		return string(out.Workgroup.Status), nil
	})
}
