package openfeature_test

import (
	"context"
	"fmt"

	of "github.com/open-feature/go-sdk/openfeature"

	"github.com/craftkit/craftkit/featureflag"
	"github.com/craftkit/craftkit/featureflag/openfeature"
)

func ExampleNew() {
	set, err := featureflag.Parse([]byte(`{"new_search": {"enabled": 5, "groups": ["beta"]}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := of.SetProviderAndWait(openfeature.New(func() *featureflag.Set { return set })); err != nil {
		fmt.Println(err)
		return
	}
	client := of.NewClient("shop")
	ec := of.NewEvaluationContext("1234", map[string]any{"groups": []string{"beta"}})
	d, err := client.BooleanValueDetails(context.Background(), "new_search", false, ec)
	fmt.Println(d.Value, d.Reason, d.FlagMetadata["reason"], err)
	// Output:
	// true TARGETING_MATCH group <nil>
}
