package redshifttest

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshiftserverless"
	"github.com/aws/aws-sdk-go-v2/service/redshiftserverless/types"
	"github.com/datablocks-go/datablocks"
	"github.com/datablocks-go/datablocks/fakecontrol"
	"github.com/datablocks-go/datablocks/localaws"
)

// The Redshift Serverless operations the Serverless fake implements.
const (
	OpCreateNamespace = "CreateNamespace"
	OpGetNamespace    = "GetNamespace"
	OpUpdateNamespace = "UpdateNamespace"
	OpDeleteNamespace = "DeleteNamespace"
	OpCreateWorkgroup = "CreateWorkgroup"
	OpGetWorkgroup    = "GetWorkgroup"
	OpUpdateWorkgroup = "UpdateWorkgroup"
	OpDeleteWorkgroup = "DeleteWorkgroup"
)

// How long transitions take by the fake's clock.
const (
	workgroupCreateTime = 3 * time.Minute
	modifyTime          = 30 * time.Second
	deleteTime          = time.Minute
)

// Serverless is a fake Redshift Serverless control plane: namespaces (AVAILABLE ⇄ MODIFYING
// → DELETING) and workgroups (CREATING → AVAILABLE ⇄ MODIFYING → DELETING) moving by the fake's
// clock. It is safe for concurrent use.
type Serverless struct {
	*fakecontrol.Controls
	opts  Options
	clock datablocks.Clock

	mu          sync.Mutex
	namespaces  map[string]*namespace
	workgroups  map[string]*workgroup
	usageLimits map[string]*types.UsageLimit
}

type transition struct {
	until time.Time // zero: settled
	final string    // the status after until; "" means gone
}

type namespace struct {
	ns types.Namespace
	transition
}

type workgroup struct {
	wg types.Workgroup
	transition
}

// NewServerless returns a Serverless fake.
func NewServerless(optFns ...func(*Options)) *Serverless {
	var o Options
	for _, fn := range optFns {
		fn(&o)
	}
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	if o.AccountID == "" {
		o.AccountID = "123456789012"
	}
	if o.PageSize <= 0 {
		o.PageSize = defaultUsageLimitsPageSize
	}
	clock := o.Clock
	if clock == nil {
		clock = datablocks.NewManualClock(time.Now().UTC().Truncate(time.Second))
	}
	return &Serverless{
		Controls: fakecontrol.New(nil, OpCreateNamespace, OpGetNamespace, OpUpdateNamespace, OpDeleteNamespace,
			OpCreateWorkgroup, OpGetWorkgroup, OpUpdateWorkgroup, OpDeleteWorkgroup,
			OpCreateUsageLimit, OpListUsageLimits, OpUpdateUsageLimit, OpDeleteUsageLimit),
		opts: o, clock: clock, namespaces: map[string]*namespace{}, workgroups: map[string]*workgroup{},
		usageLimits: map[string]*types.UsageLimit{},
	}
}

// Clock returns the fake's clock.
func (s *Serverless) Clock() datablocks.Clock { return s.clock }

// Service describes the fake as the redshift-serverless service for localaws.
func (s *Serverless) Service() localaws.Service {
	return localaws.Service{
		SigningName: "redshift-serverless", Protocol: localaws.AWSJSON11, TargetPrefix: "RedshiftServerless",
		Naming: localaws.LowerCamel,
		// Redshift Serverless sends timestamps as date-time strings.
		DateTimes: []string{"*"},
		ErrorStatus: map[string]int{
			"InternalServerException": 500, "InsufficientCapacityException": 500,
		},
		Operations: []localaws.Operation{
			localaws.Op(OpCreateNamespace, s.CreateNamespace), localaws.Op(OpGetNamespace, s.GetNamespace),
			localaws.Op(OpUpdateNamespace, s.UpdateNamespace), localaws.Op(OpDeleteNamespace, s.DeleteNamespace),
			localaws.Op(OpCreateWorkgroup, s.CreateWorkgroup), localaws.Op(OpGetWorkgroup, s.GetWorkgroup),
			localaws.Op(OpUpdateWorkgroup, s.UpdateWorkgroup), localaws.Op(OpDeleteWorkgroup, s.DeleteWorkgroup),
			localaws.Op(OpCreateUsageLimit, s.CreateUsageLimit), localaws.Op(OpListUsageLimits, s.ListUsageLimits),
			localaws.Op(OpUpdateUsageLimit, s.UpdateUsageLimit), localaws.Op(OpDeleteUsageLimit, s.DeleteUsageLimit),
		},
	}
}

func svValidation(format string, args ...any) error {
	return &types.ValidationException{Message: aws.String(fmt.Sprintf(format, args...))}
}

func svConflict(format string, args ...any) error {
	return &types.ConflictException{Message: aws.String(fmt.Sprintf(format, args...))}
}

func svNotFound(kind, name string) error {
	return &types.ResourceNotFoundException{Message: aws.String(fmt.Sprintf("%s %s not found", kind, name)), ResourceName: aws.String(name)}
}

var (
	serverlessNameRe = regexp.MustCompile(`^[a-z0-9-]+$`)
	iamRoleRe        = regexp.MustCompile(`^arn:aws(-[a-z]+)*:iam::\d{12}:role/.+$`)
)

func checkName(field, name string) error {
	if len(name) < 3 || len(name) > 64 || !serverlessNameRe.MatchString(name) {
		return svValidation("%s %q must be 3 to 64 characters of a-z, 0-9 and -", field, name)
	}
	return nil
}

func checkLogExports(l []types.LogExport) error {
	for _, e := range l {
		switch e {
		case types.LogExportUserLog, types.LogExportConnectionLog, types.LogExportUserActivityLog:
		default:
			return svValidation("logExports member %q must be one of userlog, connectionlog, useractivitylog", e)
		}
	}
	return nil
}

func checkRoles(roles []string, def *string) error {
	for _, r := range roles {
		if !iamRoleRe.MatchString(r) {
			return svValidation("iamRoles member %q is not an IAM role ARN", r)
		}
	}
	if def != nil && !slices.Contains(roles, *def) {
		return svValidation("defaultIamRoleArn %s must be one of iamRoles", *def)
	}
	return nil
}

// settle applies a transition whose time has come; it reports false when the resource
// is gone.
func (t *transition) settle(now time.Time, set func(string)) bool {
	if t.until.IsZero() || now.Before(t.until) {
		return true
	}
	t.until = time.Time{}
	if t.final == "" {
		return false
	}
	set(t.final)
	return true
}

func (s *Serverless) namespaceLocked(name string, now time.Time) *namespace {
	n := s.namespaces[name]
	if n == nil {
		return nil
	}
	if !n.settle(now, func(st string) { n.ns.Status = types.NamespaceStatus(st) }) {
		delete(s.namespaces, name)
		return nil
	}
	return n
}

func (s *Serverless) workgroupLocked(name string, now time.Time) *workgroup {
	w := s.workgroups[name]
	if w == nil {
		return nil
	}
	if !w.settle(now, func(st string) { w.wg.Status = types.WorkgroupStatus(st) }) {
		delete(s.workgroups, name)
		return nil
	}
	return w
}

// workgroupOfLocked returns the name of the namespace's workgroup (a namespace has at most
// one), or "".
func (s *Serverless) workgroupOfLocked(namespace string, now time.Time) string {
	for name := range s.workgroups {
		if w := s.workgroupLocked(name, now); w != nil && aws.ToString(w.wg.NamespaceName) == namespace {
			return name
		}
	}
	return ""
}

func (s *Serverless) arn(kind string) (string, string) {
	id := newUUID()
	return fmt.Sprintf("arn:%s:redshift-serverless:%s:%s:%s/%s", datablocks.PartitionForRegion(s.opts.Region).ID, s.opts.Region, s.opts.AccountID, kind, id), id
}

// CreateNamespace creates an AVAILABLE namespace.
func (s *Serverless) CreateNamespace(ctx context.Context, in *redshiftserverless.CreateNamespaceInput, _ ...func(*redshiftserverless.Options)) (*redshiftserverless.CreateNamespaceOutput, error) {
	return fakecontrol.Do(s.Controls, OpCreateNamespace, in, func(in *redshiftserverless.CreateNamespaceInput) (*redshiftserverless.CreateNamespaceOutput, error) {
		if in == nil || in.NamespaceName == nil {
			return nil, svValidation("namespaceName is required")
		}
		if err := checkName("namespaceName", *in.NamespaceName); err != nil {
			return nil, err
		}
		if in.AdminUserPassword != nil && aws.ToBool(in.ManageAdminPassword) {
			return nil, svValidation("You can't use adminUserPassword if manageAdminPassword is true")
		}
		if (in.AdminUserPassword != nil) != (in.AdminUsername != nil) && !aws.ToBool(in.ManageAdminPassword) {
			return nil, svValidation("adminUsername and adminUserPassword must be given together")
		}
		if err := checkLogExports(in.LogExports); err != nil {
			return nil, err
		}
		if err := checkRoles(in.IamRoles, in.DefaultIamRoleArn); err != nil {
			return nil, err
		}
		now := s.clock.Now()
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.namespaceLocked(*in.NamespaceName, now) != nil {
			return nil, svConflict("Namespace %s already exists", *in.NamespaceName)
		}
		arn, id := s.arn("namespace")
		ns := types.Namespace{
			NamespaceName: in.NamespaceName, NamespaceArn: aws.String(arn), NamespaceId: aws.String(id), Status: types.NamespaceStatusAvailable,
			AdminUsername: in.AdminUsername, DbName: aws.String(aws.ToString(in.DbName)), DefaultIamRoleArn: in.DefaultIamRoleArn,
			IamRoles: slices.Clone(in.IamRoles), KmsKeyId: in.KmsKeyId, LogExports: slices.Clone(in.LogExports), CreationDate: aws.Time(now),
		}
		if ns.AdminUsername == nil {
			ns.AdminUsername = aws.String("admin")
		}
		if aws.ToString(ns.DbName) == "" {
			ns.DbName = aws.String("dev")
		}
		if ns.KmsKeyId == nil {
			ns.KmsKeyId = aws.String("AWS_OWNED_KMS_KEY")
		}
		if aws.ToBool(in.ManageAdminPassword) {
			ns.AdminPasswordSecretArn = aws.String(fmt.Sprintf("arn:%s:secretsmanager:%s:%s:secret:redshift!%s-admin-%s",
				datablocks.PartitionForRegion(s.opts.Region).ID, s.opts.Region, s.opts.AccountID, *in.NamespaceName, id[:6]))
		}
		s.namespaces[*in.NamespaceName] = &namespace{ns: ns}
		out := ns
		return &redshiftserverless.CreateNamespaceOutput{Namespace: &out}, nil
	})
}

// GetNamespace describes a namespace, settling transitions whose time has come.
func (s *Serverless) GetNamespace(ctx context.Context, in *redshiftserverless.GetNamespaceInput, _ ...func(*redshiftserverless.Options)) (*redshiftserverless.GetNamespaceOutput, error) {
	return fakecontrol.Do(s.Controls, OpGetNamespace, in, func(in *redshiftserverless.GetNamespaceInput) (*redshiftserverless.GetNamespaceOutput, error) {
		if in == nil || in.NamespaceName == nil {
			return nil, svValidation("namespaceName is required")
		}
		now := s.clock.Now()
		s.mu.Lock()
		defer s.mu.Unlock()
		n := s.namespaceLocked(*in.NamespaceName, now)
		if err := observe(s.Controls, "namespace "+*in.NamespaceName, n != nil && !n.until.IsZero(), now); err != nil {
			return nil, err
		}
		if n == nil {
			return nil, svNotFound("Namespace", *in.NamespaceName)
		}
		out := n.ns
		return &redshiftserverless.GetNamespaceOutput{Namespace: &out}, nil
	})
}

// UpdateNamespace changes a namespace, which is MODIFYING for 30 seconds of the fake's clock.
func (s *Serverless) UpdateNamespace(ctx context.Context, in *redshiftserverless.UpdateNamespaceInput, _ ...func(*redshiftserverless.Options)) (*redshiftserverless.UpdateNamespaceOutput, error) {
	return fakecontrol.Do(s.Controls, OpUpdateNamespace, in, func(in *redshiftserverless.UpdateNamespaceInput) (*redshiftserverless.UpdateNamespaceOutput, error) {
		if in == nil || in.NamespaceName == nil {
			return nil, svValidation("namespaceName is required")
		}
		// UpdateNamespace's coupled members (API reference): defaultIamRoleArn needs iamRoles,
		// adminUsername and adminUserPassword travel together.
		if in.DefaultIamRoleArn != nil && in.IamRoles == nil {
			return nil, svValidation("defaultIamRoleArn must be updated together with iamRoles")
		}
		if (in.AdminUsername != nil) != (in.AdminUserPassword != nil) {
			return nil, svValidation("adminUsername and adminUserPassword must be updated together")
		}
		if in.AdminUserPassword != nil && aws.ToBool(in.ManageAdminPassword) {
			return nil, svValidation("You can't use adminUserPassword if manageAdminPassword is true")
		}
		if err := checkLogExports(in.LogExports); err != nil {
			return nil, err
		}
		if in.IamRoles != nil {
			def := in.DefaultIamRoleArn
			if err := checkRoles(in.IamRoles, def); err != nil {
				return nil, err
			}
		}
		now := s.clock.Now()
		s.mu.Lock()
		defer s.mu.Unlock()
		n := s.namespaceLocked(*in.NamespaceName, now)
		if n == nil {
			return nil, svNotFound("Namespace", *in.NamespaceName)
		}
		if n.ns.Status != types.NamespaceStatusAvailable {
			return nil, svConflict("Namespace %s is %s; try again when it is AVAILABLE", *in.NamespaceName, n.ns.Status)
		}
		if in.IamRoles != nil {
			n.ns.IamRoles = slices.Clone(in.IamRoles)
			if in.DefaultIamRoleArn != nil {
				n.ns.DefaultIamRoleArn = in.DefaultIamRoleArn
			} else if n.ns.DefaultIamRoleArn != nil && !slices.Contains(in.IamRoles, *n.ns.DefaultIamRoleArn) {
				n.ns.DefaultIamRoleArn = nil
			}
		}
		if in.AdminUsername != nil {
			n.ns.AdminUsername = in.AdminUsername
		}
		if in.KmsKeyId != nil {
			n.ns.KmsKeyId = in.KmsKeyId
		}
		if in.LogExports != nil {
			n.ns.LogExports = slices.Clone(in.LogExports)
		}
		if in.ManageAdminPassword != nil {
			if *in.ManageAdminPassword && n.ns.AdminPasswordSecretArn == nil {
				n.ns.AdminPasswordSecretArn = aws.String(fmt.Sprintf("arn:%s:secretsmanager:%s:%s:secret:redshift!%s-admin",
					datablocks.PartitionForRegion(s.opts.Region).ID, s.opts.Region, s.opts.AccountID, *in.NamespaceName))
			} else if !*in.ManageAdminPassword {
				n.ns.AdminPasswordSecretArn = nil
			}
		}
		n.ns.Status = types.NamespaceStatusModifying
		n.transition = transition{until: now.Add(modifyTime), final: string(types.NamespaceStatusAvailable)}
		out := n.ns
		return &redshiftserverless.UpdateNamespaceOutput{Namespace: &out}, nil
	})
}

// DeleteNamespace deletes a namespace with no workgroup; it is DELETING for 1 minute of the fake's clock.
func (s *Serverless) DeleteNamespace(ctx context.Context, in *redshiftserverless.DeleteNamespaceInput, _ ...func(*redshiftserverless.Options)) (*redshiftserverless.DeleteNamespaceOutput, error) {
	return fakecontrol.Do(s.Controls, OpDeleteNamespace, in, func(in *redshiftserverless.DeleteNamespaceInput) (*redshiftserverless.DeleteNamespaceOutput, error) {
		if in == nil || in.NamespaceName == nil {
			return nil, svValidation("namespaceName is required")
		}
		if in.FinalSnapshotRetentionPeriod != nil && in.FinalSnapshotName == nil {
			return nil, svValidation("finalSnapshotRetentionPeriod needs finalSnapshotName")
		}
		now := s.clock.Now()
		s.mu.Lock()
		defer s.mu.Unlock()
		n := s.namespaceLocked(*in.NamespaceName, now)
		if n == nil {
			return nil, svNotFound("Namespace", *in.NamespaceName)
		}
		if name := s.workgroupOfLocked(*in.NamespaceName, now); name != "" {
			return nil, svConflict("Namespace %s is associated with workgroup %s; delete the workgroup first", *in.NamespaceName, name)
		}
		if n.ns.Status != types.NamespaceStatusAvailable {
			return nil, svConflict("Namespace %s is %s", *in.NamespaceName, n.ns.Status)
		}
		n.ns.Status = types.NamespaceStatusDeleting
		n.transition = transition{until: now.Add(deleteTime)}
		out := n.ns
		return &redshiftserverless.DeleteNamespaceOutput{Namespace: &out}, nil
	})
}

// baseCapacityRegions are where base capacity above 512 RPU is offered.
var baseCapacityRegions = []string{"us-east-1", "us-east-2", "us-west-2", "eu-west-1", "eu-central-1"}

// checkCapacity applies the documented base RPU rule: 8 to 512 in steps of 8 (4 in the
// newest documentation), and 512 to 1024 in steps of 32 in five regions.
func (s *Serverless) checkCapacity(base, maxCap *int32) error {
	if base != nil {
		b := *base
		ok := b == 4 || (b >= 8 && b <= 512 && b%8 == 0) ||
			(b > 512 && b <= 1024 && b%32 == 0 && slices.Contains(baseCapacityRegions, s.opts.Region))
		if !ok {
			return svValidation("baseCapacity %d is not valid in %s: use 8 to 512 RPUs in steps of 8 (512 to 1024 in steps of 32 in %v)", b, s.opts.Region, baseCapacityRegions)
		}
	}
	if maxCap != nil && base != nil && *maxCap < *base {
		return svValidation("maxCapacity %d must not be below baseCapacity %d", *maxCap, *base)
	}
	return nil
}

func checkPort(p *int32) error {
	if p != nil && !(*p >= 5431 && *p <= 5455 || *p >= 8191 && *p <= 8215) {
		return svValidation("port %d must be within 5431-5455 or 8191-8215", *p)
	}
	return nil
}

// CreateWorkgroup creates a workgroup, CREATING for 3 minutes of the fake's clock.
func (s *Serverless) CreateWorkgroup(ctx context.Context, in *redshiftserverless.CreateWorkgroupInput, _ ...func(*redshiftserverless.Options)) (*redshiftserverless.CreateWorkgroupOutput, error) {
	return fakecontrol.Do(s.Controls, OpCreateWorkgroup, in, func(in *redshiftserverless.CreateWorkgroupInput) (*redshiftserverless.CreateWorkgroupOutput, error) {
		if in == nil || in.WorkgroupName == nil || in.NamespaceName == nil {
			return nil, svValidation("workgroupName and namespaceName are required")
		}
		if err := checkName("workgroupName", *in.WorkgroupName); err != nil {
			return nil, err
		}
		if err := s.checkCapacity(in.BaseCapacity, in.MaxCapacity); err != nil {
			return nil, err
		}
		if err := checkPort(in.Port); err != nil {
			return nil, err
		}
		now := s.clock.Now()
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.workgroupLocked(*in.WorkgroupName, now) != nil {
			return nil, svConflict("Workgroup %s already exists", *in.WorkgroupName)
		}
		n := s.namespaceLocked(*in.NamespaceName, now)
		if n == nil {
			return nil, svNotFound("Namespace", *in.NamespaceName)
		}
		if name := s.workgroupOfLocked(*in.NamespaceName, now); name != "" {
			return nil, svConflict("Namespace %s already has workgroup %s", *in.NamespaceName, name)
		}
		arn, id := s.arn("workgroup")
		wg := types.Workgroup{
			WorkgroupName: in.WorkgroupName, NamespaceName: in.NamespaceName, WorkgroupArn: aws.String(arn), WorkgroupId: aws.String(id),
			Status: types.WorkgroupStatusCreating, BaseCapacity: aws.Int32(128), Port: aws.Int32(5439), CreationDate: aws.Time(now),
			PubliclyAccessible: aws.Bool(aws.ToBool(in.PubliclyAccessible)), EnhancedVpcRouting: aws.Bool(aws.ToBool(in.EnhancedVpcRouting)),
			SubnetIds: slices.Clone(in.SubnetIds), SecurityGroupIds: slices.Clone(in.SecurityGroupIds), MaxCapacity: in.MaxCapacity,
			ConfigParameters: slices.Clone(in.ConfigParameters),
		}
		if in.BaseCapacity != nil {
			wg.BaseCapacity = in.BaseCapacity
		}
		if in.Port != nil {
			wg.Port = in.Port
		}
		wg.Endpoint = &types.Endpoint{Port: wg.Port, Address: aws.String(fmt.Sprintf("%s.%s.%s.redshift-serverless.amazonaws.com", *in.WorkgroupName, s.opts.AccountID, s.opts.Region))}
		s.workgroups[*in.WorkgroupName] = &workgroup{wg: wg, transition: transition{until: now.Add(workgroupCreateTime), final: string(types.WorkgroupStatusAvailable)}}
		out := wg
		return &redshiftserverless.CreateWorkgroupOutput{Workgroup: &out}, nil
	})
}

// GetWorkgroup describes a workgroup, settling transitions whose time has come.
func (s *Serverless) GetWorkgroup(ctx context.Context, in *redshiftserverless.GetWorkgroupInput, _ ...func(*redshiftserverless.Options)) (*redshiftserverless.GetWorkgroupOutput, error) {
	return fakecontrol.Do(s.Controls, OpGetWorkgroup, in, func(in *redshiftserverless.GetWorkgroupInput) (*redshiftserverless.GetWorkgroupOutput, error) {
		if in == nil || in.WorkgroupName == nil {
			return nil, svValidation("workgroupName is required")
		}
		now := s.clock.Now()
		s.mu.Lock()
		defer s.mu.Unlock()
		w := s.workgroupLocked(*in.WorkgroupName, now)
		if err := observe(s.Controls, "workgroup "+*in.WorkgroupName, w != nil && !w.until.IsZero(), now); err != nil {
			return nil, err
		}
		if w == nil {
			return nil, svNotFound("Workgroup", *in.WorkgroupName)
		}
		out := w.wg
		return &redshiftserverless.GetWorkgroupOutput{Workgroup: &out}, nil
	})
}

// UpdateWorkgroup changes a workgroup, which is MODIFYING for 30 seconds of the fake's clock.
func (s *Serverless) UpdateWorkgroup(ctx context.Context, in *redshiftserverless.UpdateWorkgroupInput, _ ...func(*redshiftserverless.Options)) (*redshiftserverless.UpdateWorkgroupOutput, error) {
	return fakecontrol.Do(s.Controls, OpUpdateWorkgroup, in, func(in *redshiftserverless.UpdateWorkgroupInput) (*redshiftserverless.UpdateWorkgroupOutput, error) {
		if in == nil || in.WorkgroupName == nil {
			return nil, svValidation("workgroupName is required")
		}
		if err := checkPort(in.Port); err != nil {
			return nil, err
		}
		now := s.clock.Now()
		s.mu.Lock()
		defer s.mu.Unlock()
		w := s.workgroupLocked(*in.WorkgroupName, now)
		if w == nil {
			return nil, svNotFound("Workgroup", *in.WorkgroupName)
		}
		base, maxCap := w.wg.BaseCapacity, w.wg.MaxCapacity
		if in.BaseCapacity != nil {
			base = in.BaseCapacity
		}
		if in.MaxCapacity != nil {
			maxCap = in.MaxCapacity
		}
		if err := s.checkCapacity(base, maxCap); err != nil {
			return nil, err
		}
		if w.wg.Status != types.WorkgroupStatusAvailable {
			return nil, svConflict("Workgroup %s is %s; try again when it is AVAILABLE", *in.WorkgroupName, w.wg.Status)
		}
		wg := &w.wg
		wg.BaseCapacity, wg.MaxCapacity = base, maxCap
		if in.Port != nil {
			wg.Port = in.Port
			wg.Endpoint.Port = in.Port
		}
		if in.PubliclyAccessible != nil {
			wg.PubliclyAccessible = in.PubliclyAccessible
		}
		if in.EnhancedVpcRouting != nil {
			wg.EnhancedVpcRouting = in.EnhancedVpcRouting
		}
		if in.SubnetIds != nil {
			wg.SubnetIds = slices.Clone(in.SubnetIds)
		}
		if in.SecurityGroupIds != nil {
			wg.SecurityGroupIds = slices.Clone(in.SecurityGroupIds)
		}
		for _, p := range in.ConfigParameters {
			i := slices.IndexFunc(wg.ConfigParameters, func(c types.ConfigParameter) bool {
				return aws.ToString(c.ParameterKey) == aws.ToString(p.ParameterKey)
			})
			if i >= 0 {
				wg.ConfigParameters[i] = p
			} else {
				wg.ConfigParameters = append(wg.ConfigParameters, p)
			}
		}
		wg.Status = types.WorkgroupStatusModifying
		w.transition = transition{until: now.Add(modifyTime), final: string(types.WorkgroupStatusAvailable)}
		out := *wg
		return &redshiftserverless.UpdateWorkgroupOutput{Workgroup: &out}, nil
	})
}

// DeleteWorkgroup deletes a workgroup; it is DELETING for 1 minute of the fake's clock.
func (s *Serverless) DeleteWorkgroup(ctx context.Context, in *redshiftserverless.DeleteWorkgroupInput, _ ...func(*redshiftserverless.Options)) (*redshiftserverless.DeleteWorkgroupOutput, error) {
	return fakecontrol.Do(s.Controls, OpDeleteWorkgroup, in, func(in *redshiftserverless.DeleteWorkgroupInput) (*redshiftserverless.DeleteWorkgroupOutput, error) {
		if in == nil || in.WorkgroupName == nil {
			return nil, svValidation("workgroupName is required")
		}
		now := s.clock.Now()
		s.mu.Lock()
		defer s.mu.Unlock()
		w := s.workgroupLocked(*in.WorkgroupName, now)
		if w == nil {
			return nil, svNotFound("Workgroup", *in.WorkgroupName)
		}
		if w.wg.Status != types.WorkgroupStatusAvailable {
			return nil, svConflict("Workgroup %s is %s", *in.WorkgroupName, w.wg.Status)
		}
		w.wg.Status = types.WorkgroupStatusDeleting
		w.transition = transition{until: now.Add(deleteTime)}
		out := w.wg
		return &redshiftserverless.DeleteWorkgroupOutput{Workgroup: &out}, nil
	})
}
