//go:build integration

package datazonetest_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	awsdz "github.com/aws/aws-sdk-go-v2/service/datazone"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/datablocks-go/datablocks/datazone/internal/conformance"
)

// TestConformanceAWS runs the suites against AWS, the reference the fakes follow:
//
//	DATAZONE_DOMAIN, DATAZONE_PROJECT, DATAZONE_ENVIRONMENT, DATAZONE_CONSUMER_ACCOUNT,
//	DATAZONE_MANAGE_ROLE   a domain, project and environment the suite may write in
//	CONFORMANCE_ROLE       an IAM role without inline policies
//	CONFORMANCE_SSM_PATH   an SSM parameter path with nothing under it
//
// go test -tags integration -run AWS ./datazone/datazonetest/
func TestConformanceAWS(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Skip("no AWS configuration:", err)
	}
	if d := os.Getenv("DATAZONE_DOMAIN"); d != "" {
		conformance.RunConformance(t, conformance.Setup{
			Client: awsdz.NewFromConfig(cfg), Domain: d, Project: os.Getenv("DATAZONE_PROJECT"), Environment: os.Getenv("DATAZONE_ENVIRONMENT"),
			ConsumerAccount: os.Getenv("DATAZONE_CONSUMER_ACCOUNT"), ManageRole: os.Getenv("DATAZONE_MANAGE_ROLE"),
			UniqueSuffix: strconv.FormatInt(time.Now().Unix(), 36),
		})
	}
	if r := os.Getenv("CONFORMANCE_ROLE"); r != "" {
		conformance.RunIAMConformance(t, iam.NewFromConfig(cfg), r)
	}
	if p := os.Getenv("CONFORMANCE_SSM_PATH"); p != "" {
		conformance.RunSSMConformance(t, ssm.NewFromConfig(cfg), p)
	}
}
