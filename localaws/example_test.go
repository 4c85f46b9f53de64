package localaws_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/datablocks-go/datablocks/localaws"
)

// A fake is any set of methods with the SDK client's signatures; Start serves them to the
// real client.
func ExampleStart() {
	getDatabase := func(_ context.Context, in *glue.GetDatabaseInput, _ ...func(*glue.Options)) (*glue.GetDatabaseOutput, error) {
		if aws.ToString(in.Name) != "sales" {
			return nil, &types.EntityNotFoundException{Message: aws.String("Database " + aws.ToString(in.Name) + " not found.")}
		}
		return &glue.GetDatabaseOutput{Database: &types.Database{Name: in.Name, Description: aws.String("orders and invoices")}}, nil
	}
	srv, err := localaws.Start([]localaws.Service{{
		SigningName:  "glue",
		Protocol:     localaws.AWSJSON11,
		TargetPrefix: "AWSGlue",
		Operations:   []localaws.Operation{localaws.Op("GetDatabase", getDatabase)},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	client := glue.NewFromConfig(srv.Config())
	out, err := client.GetDatabase(context.Background(), &glue.GetDatabaseInput{Name: aws.String("sales")})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(aws.ToString(out.Database.Name), "-", aws.ToString(out.Database.Description))

	_, err = client.GetDatabase(context.Background(), &glue.GetDatabaseInput{Name: aws.String("hr")})
	var notFound *types.EntityNotFoundException
	if errors.As(err, &notFound) {
		fmt.Println("EntityNotFoundException:", aws.ToString(notFound.Message))
	}
	// Output:
	// sales - orders and invoices
	// EntityNotFoundException: Database hr not found.
}
