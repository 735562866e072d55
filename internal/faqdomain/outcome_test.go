package faqdomain

import "testing"

func TestStateAfter(t *testing.T) {
	for _, tc := range []struct {
		op   string
		o    Outcome
		want StateAction
	}{
		{OpCreate, Confirmed, WriteNew},
		{OpCreate, Untouched, KeepPrior},
		{OpCreate, Unconfirmed, WriteUnconfirmed}, // saved tainted: never a null state Haptik may contradict
		{OpCreate, NotNeeded, KeepPrior},
		{OpUpdate, Confirmed, WriteNew},
		{OpUpdate, Untouched, KeepPrior},
		{OpUpdate, Unconfirmed, MarkUnconfirmed},
		{OpUpdate, NotNeeded, KeepPrior},
		{OpDelete, Confirmed, Remove},
		{OpDelete, Untouched, KeepPrior},
		{OpDelete, Unconfirmed, MarkUnconfirmed},
		{OpDelete, NotNeeded, Remove},
	} {
		if got := StateAfter(tc.op, tc.o); got != tc.want {
			t.Errorf("%s × %s: %s, want %s", tc.op, tc.o, got, tc.want)
		}
	}
	if KeepsPending(OpCreate) || !KeepsPending(OpUpdate) || !KeepsPending(OpDelete) {
		t.Error("only updates and destroys keep a pending upload")
	}
}
