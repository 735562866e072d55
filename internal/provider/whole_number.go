package provider

import (
	"context"
	"fmt"
	"math"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// wholeNumber validates a Number attribute that must hold a whole number from min to max.
//
// The provider's integer attributes are Number attributes with this validator, not Int64
// attributes: the framework converts an Int64 attribute's configuration before any validator
// runs, and a fraction or a number beyond int64 (1.5, 1e30) then fails in that conversion with
// "Value %!s(*big.Float=1e+30) cannot be represented as a 64-bit integer … always an error in the
// provider". Terraform's type is number either way, so the schema users see is the same.
type wholeNumber struct{ min, max int64 }

var _ validator.Number = wholeNumber{}

// atLeast is a whole number from min to the largest int64.
func atLeast(minimum int64) wholeNumber { return wholeNumber{min: minimum, max: math.MaxInt64} }

func (w wholeNumber) Description(context.Context) string {
	return fmt.Sprintf("value must be a whole number from %d to %d", w.min, w.max)
}

func (w wholeNumber) MarkdownDescription(ctx context.Context) string { return w.Description(ctx) }

func (w wholeNumber) ValidateNumber(ctx context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	w.get(ctx, req.Path, req.ConfigValue, &resp.Diagnostics)
}

// get returns the attribute's value as an int64: 0 when it is null or unknown, and 0 with the
// validation error added when it is not a whole number in range. Validation has normally refused
// such a value at plan time; the check is repeated where the value is used, so a request is never
// sent with a truncated number.
func (w wholeNumber) get(ctx context.Context, p path.Path, v types.Number, diags *diag.Diagnostics) int64 {
	if v.IsNull() || v.IsUnknown() {
		return 0
	}
	f := v.ValueBigFloat()
	n, acc := f.Int64()
	if acc != big.Exact || n < w.min || n > w.max {
		diags.AddAttributeError(p, "Invalid Attribute Value", fmt.Sprintf("Attribute %s %s, got: %s.",
			p, w.Description(ctx), f.Text('g', -1)))
		return 0
	}
	return n
}
