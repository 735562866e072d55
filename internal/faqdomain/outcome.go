package faqdomain

// Outcome is what one upload left in Haptik.
type Outcome int

const (
	// Confirmed: Haptik's task succeeded.
	Confirmed Outcome = iota
	// Untouched: nothing reached Haptik, or Haptik refused it: the domain is as it was.
	Untouched
	// Unconfirmed: Haptik accepted the upload, or may have, and it was not seen to succeed.
	Unconfirmed
	// NotNeeded (destroys): nothing was sent, and none is needed: another resource of this
	// operation wrote the domain, or Haptik does not know it.
	NotNeeded
)

func (o Outcome) String() string {
	return [...]string{"confirmed", "untouched", "unconfirmed", "not needed"}[o]
}

// StateAction is what the apply's response state becomes after an upload.
type StateAction int

const (
	// KeepPrior: the prior state as it was (null for a create: nothing is saved).
	KeepPrior StateAction = iota
	// WriteNew: the new state, NewState of the planned one.
	WriteNew
	// MarkUnconfirmed: the prior state marked unconfirmed with the task (UnconfirmedState), so
	// that every plan uploads again until an upload succeeds.
	MarkUnconfirmed
	// Remove: the resource is gone from state.
	Remove
	// WriteUnconfirmed: the new state of a create marked unconfirmed with the task
	// (UnconfirmedNewState): returned with the create's error, Terraform saves it tainted, so
	// the next plan replaces it and uploads again.
	WriteUnconfirmed
)

func (a StateAction) String() string {
	return [...]string{"keep prior", "write new", "mark unconfirmed", "remove", "write unconfirmed"}[a]
}

// StateAfter is the outcome → state table of an apply: op is OpCreate, OpUpdate or OpDelete.
//
//	            confirmed   untouched          unconfirmed        not needed
//	create      WriteNew    KeepPrior (null)   WriteUnconfirmed   KeepPrior (null)
//	update      WriteNew    KeepPrior          MarkUnconfirmed    KeepPrior
//	destroy     Remove      KeepPrior          MarkUnconfirmed    Remove
//
// A create that Haptik may have acted on keeps an unconfirmed state, never nothing: with
// create_before_destroy, a null new state makes Terraform restore the deposed object as
// current, still confirmed, while Haptik holds some or all of the create's upload. Returned
// with an error, the state is saved tainted, and the next plan replaces it. A create that
// reached nothing keeps nothing, and the next apply uploads again. A create or update never
// returns NotNeeded; it keeps the prior state for safety.
func StateAfter(op string, o Outcome) StateAction {
	switch {
	case o == Confirmed && op == OpDelete, o == NotNeeded && op == OpDelete:
		return Remove
	case o == Confirmed:
		return WriteNew
	case o == Unconfirmed && op == OpCreate:
		return WriteUnconfirmed
	case o == Unconfirmed:
		return MarkUnconfirmed
	default:
		return KeepPrior
	}
}

// KeepsPending reports whether op keeps a record of an unconfirmed upload in private state: a
// create that fails is saved tainted (or not at all), and a tainted object is replaced, never
// resumed.
func KeepsPending(op string) bool { return op != OpCreate }
