package msk

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kafka/types"
)

func TestIsVersionConflict(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&types.ConflictException{Message: aws.String("x")}, true},
		{&types.BadRequestException{Message: aws.String("The policy version does not match")}, true},
		{&types.BadRequestException{Message: aws.String("Invalid policy")}, false},
		{&types.NotFoundException{}, false},
		{nil, false},
	} {
		if got := isVersionConflict(tc.err); got != tc.want {
			t.Errorf("isVersionConflict(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
}
