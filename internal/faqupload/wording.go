package faqupload

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"time"

	"github.com/faqops/terraform-provider-haptik/internal/haptik"
)

// The environment variables behind the provider's settings, as the error wording names them.
const (
	EnvBaseURL  = "HAPTIK_BASE_URL"
	EnvClientID = "HAPTIK_CLIENT_ID"
	EnvToken    = "HAPTIK_TOKEN"
)

// NotSaved ends the detail of a failure that left Haptik as it was:
// what it means for state and what to do next.
const NotSaved = "Terraform state was not changed, so the next plan shows this change again; " +
	"applying again uploads the whole CSV, which is safe because each upload replaces the domain's content."

// NotSavedDestroy is NotSaved for a destroy: the resource stays in state and its deactivation is
// sent again by the next destroy.
const NotSavedDestroy = "Terraform state was not changed, so the resource is still in state and the next " +
	"destroy tries again: the deactivation uploads a header-only CSV, which is safe to repeat."

// MarkedUnconfirmed ends the detail of a failed update or destroy after Haptik accepted, or may
// have accepted, the upload.
const MarkedUnconfirmed = "Haptik may hold part or all of this upload, so the resource's state is now marked " +
	"unconfirmed (confirmed = false): every plan uploads the configured content again, with a warning naming " +
	"this task, until an upload succeeds."

// SavedTainted ends the detail of a failed create after Haptik accepted, or may have accepted,
// the upload.
const SavedTainted = "Haptik may hold part or all of this upload, so the new resource is saved in state unconfirmed " +
	"(confirmed = false) and tainted: the next plan replaces it, uploading the configured content again, which is " +
	"safe because each upload replaces the domain's content."

// Summary is the diagnostic summary for a client error; fallback names the phase's failure.
func Summary(err error, fallback string) string {
	var (
		apiErr   *haptik.APIError
		netErr   *haptik.TransportError
		redirect *haptik.RedirectError
		shapeErr *haptik.ResponseError
	)
	switch {
	case errors.As(err, &apiErr) && apiErr.IsAuth():
		return "Haptik Refused the Credentials"
	case errors.As(err, &netErr) && netErr.NotSent:
		return "Could Not Connect to Haptik"
	case errors.As(err, &redirect) && redirect.OtherHost:
		return "Haptik Redirected to Another Host"
	case errors.As(err, &redirect):
		return "Haptik Redirected the Request"
	case errors.Is(err, context.DeadlineExceeded):
		return "Timed Out Waiting for Haptik"
	case errors.Is(err, context.Canceled):
		return "Interrupted While Waiting for Haptik"
	case haptik.IsTransient(err):
		return "Haptik Unavailable"
	case errors.As(err, &shapeErr):
		return "Unexpected Answer from Haptik"
	default:
		return fallback
	}
}

// Explain turns a client error into sentences for a diagnostic: what happened, Haptik's own words
// verbatim, and what to do.
func Explain(err error, timeout time.Duration) string {
	var (
		apiErr     *haptik.APIError
		netErr     *haptik.TransportError
		shapeErr   *haptik.ResponseError
		waitErr    *haptik.WaitError
		redirect   *haptik.RedirectError
		retryAfter *haptik.RetryAfterError
	)
	lastPoll := ""
	if errors.As(err, &waitErr) && waitErr.LastErr != nil {
		lastPoll = fmt.Sprintf(" The last %d status request(s) failed; the last one: %v.", waitErr.FailedPolls, waitErr.LastErr)
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("The operation did not finish within its timeout of %s.%s Raise it with the resource's "+
			"timeouts attribute if Haptik needs longer for this domain.", timeout, lastPoll)
	case errors.Is(err, context.Canceled):
		return "Terraform was interrupted before Haptik confirmed the upload." + lastPoll
	case errors.As(err, &apiErr) && apiErr.IsAuth():
		return fmt.Sprintf("Haptik answered HTTP %d: %q. Haptik refuses the credentials, so nothing was retried. "+
			"Check the provider's client_id (or %s) and token (or %s).", apiErr.StatusCode, apiErr.Message,
			EnvClientID, EnvToken)
	case errors.As(err, &apiErr):
		s := fmt.Sprintf("Haptik answered HTTP %d: %q.", apiErr.StatusCode, apiErr.Message)
		if apiErr.Attempts > 1 {
			s += fmt.Sprintf(" The request was sent %d times, with backoff between attempts (honoring Retry-After); "+
				"that was the last answer.", apiErr.Attempts)
		}
		if haptik.IsTransient(err) {
			s += " Haptik may be overloaded or down for maintenance; apply again later."
		}
		return s
	case errors.As(err, &netErr) && netErr.NotSent && haptik.IsPlainHTTPAnswer(err):
		return fmt.Sprintf("The server at base_url (or %s) answered an https:// request in plain HTTP, so no "+
			"secure connection opened and nothing reached Haptik. That server speaks http (the local Haptik "+
			"emulator does): write its URL with http:// (allowed for localhost and loopback addresses; elsewhere "+
			"also set allow_insecure_http = true), or point base_url at Haptik's https endpoint.", EnvBaseURL)
	case errors.As(err, &netErr) && netErr.NotSent:
		s := fmt.Sprintf("No connection to Haptik could be opened (%d attempt(s)), so nothing reached Haptik: %v.",
			netErr.Attempts, netErr.Err)
		if errors.As(err, new(x509.UnknownAuthorityError)) {
			return s + " Or set ca_file in the provider block to that PEM file."
		}
		return s + fmt.Sprintf(" Check that base_url (or %s) names Haptik's scheme (https or http), host and port, "+
			"and that it is reachable from where Terraform runs.", EnvBaseURL)
	case errors.As(err, &netErr):
		return fmt.Sprintf("No response came back after %d attempt(s): %v. Check that base_url (or %s) is "+
			"reachable from where Terraform runs.", netErr.Attempts, netErr.Err, EnvBaseURL)
	case errors.As(err, &shapeErr):
		return fmt.Sprintf("Haptik's answer (HTTP %d) was not what its API documents: %s. A proxy between "+
			"Terraform and Haptik may have answered instead; check base_url (or %s).", shapeErr.StatusCode,
			shapeErr.Problem, EnvBaseURL)
	case errors.As(err, &redirect):
		return redirect.Error() + ". Set base_url (or " + EnvBaseURL + ") to the URL Haptik redirects to, if you trust it."
	case errors.As(err, &retryAfter):
		return retryAfter.Error() + "."
	default:
		return err.Error() + "."
	}
}
