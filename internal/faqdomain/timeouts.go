package faqdomain

import (
	"fmt"
	"time"

	"github.com/faqops/terraform-provider-haptik/internal/tfmsgpack"
)

// minTimeout is the shortest timeout accepted: less cannot cover even one request to Haptik.
const minTimeout = time.Second

// Timeout is how long operation op (OpCreate, OpUpdate or OpDelete) may take, as the timeouts
// attribute of the encoded object o sets it: DefaultTimeout when unset (or unknown, which a
// plan's validation has reported already). The diagnostic is set when the value is not a
// duration of at least a second. Validate and every apply read timeouts through this one
// function.
func Timeout(o tfmsgpack.Object, op string) (time.Duration, *Diagnostic) {
	raw, err := timeoutText(o, op)
	if err != nil {
		d := Unreadable("Timeouts", err)
		return 0, &d
	}
	if raw == "" {
		return DefaultTimeout, nil
	}
	at := Root(AttrTimeouts).AtName(op)
	d, err := time.ParseDuration(raw)
	if err != nil {
		return 0, &Diagnostic{Summary: "Invalid Timeout", Path: at, Detail: fmt.Sprintf(
			"%s is %q, which is not a duration. Write it as a number and a unit, such as \"30s\", \"20m\" or "+
				"\"1h30m\" (units: s, m, h).", at, raw)}
	}
	if d < minTimeout {
		return 0, &Diagnostic{Summary: "Invalid Timeout", Path: at, Detail: fmt.Sprintf(
			"%s is %q, which leaves no time to upload to Haptik and wait for its task. Set at least \"1s\"; "+
				"the default, when it is not set, is 20 minutes.", at, raw)}
	}
	return d, nil
}

// timeoutText is the text of one timeout; "" when the timeouts object or that timeout is null
// or unknown.
func timeoutText(o tfmsgpack.Object, op string) (string, error) {
	if _, known := o.Known(AttrTimeouts); !known {
		return "", nil
	}
	t, err := tfmsgpack.ReadObject(o.Raw(AttrTimeouts))
	if err != nil {
		return "", err
	}
	r, known := t.Known(op)
	if !known {
		return "", nil
	}
	return r.String()
}
