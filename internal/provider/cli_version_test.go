package provider

import (
	"slices"
	"strings"
	"testing"
)

// The outputs of `version` and `version -json` of the engines the suite runs on, verbatim.
const (
	terraform1114Text = "Terraform v1.11.4\non linux_amd64\n"
	terraform1114JSON = `{
  "terraform_version": "1.11.4",
  "platform": "linux_amd64",
  "provider_selections": {},
  "terraform_outdated": false
}
`
	terraform1149Text = "Terraform v1.14.9\non linux_amd64\n"
	terraform1149JSON = `{
  "terraform_version": "1.14.9",
  "platform": "linux_amd64",
  "provider_selections": {},
  "terraform_outdated": false
}
`
	openTofu1126Text = "OpenTofu v1.12.6\non linux_amd64\n"
	openTofu1126JSON = `{"terraform_version": "1.12.6", "platform": "linux_amd64", "provider_selections": {}}`
)

func TestReadCLIVersion(t *testing.T) {
	for _, tc := range []struct {
		text, doc string
		want      cliVersion
	}{
		{terraform1114Text, terraform1114JSON, cliVersion{"Terraform", 1, 11, 4}},
		{terraform1149Text, terraform1149JSON, cliVersion{"Terraform", 1, 14, 9}},
		{openTofu1126Text, openTofu1126JSON, cliVersion{"OpenTofu", 1, 12, 6}},
		{"Terraform v1.15.0-alpha20260101\non linux_arm64\n", `{"terraform_version": "1.15.0-alpha20260101"}`, cliVersion{"Terraform", 1, 15, 0}},
		// A provider already selected in the working directory is listed after the platform.
		{"OpenTofu v1.12.6\non linux_amd64\n+ provider registry.opentofu.org/faqops/haptik v0.1.0\n",
			`{"terraform_version": "1.12.6", "platform": "linux_amd64", "provider_selections": {"registry.opentofu.org/faqops/haptik": "0.1.0"}}`,
			cliVersion{"OpenTofu", 1, 12, 6}},
	} {
		got, err := readCLIVersion([]byte(tc.text), []byte(tc.doc))
		if err != nil || got != tc.want {
			t.Errorf("readCLIVersion(%q, %q) = %v, %v; want %v", tc.text, tc.doc, got, err, tc.want)
		}
	}
}

func TestReadCLIVersion_refusesWhatItCannotRead(t *testing.T) {
	for _, tc := range []struct{ text, doc, wantErr string }{
		{terraform1114Text, "Terraform v1.11.4", "reading `version -json`"},
		{terraform1114Text, `{"platform": "linux_amd64"}`, "no terraform_version"},
		{terraform1114Text, `{"terraform_version": "v1.11"}`, "no terraform_version"},
		{"", terraform1114JSON, "`version` begins \"\""},
		// The text and the JSON disagree: two different binaries, or a wrapper script.
		{openTofu1126Text, terraform1114JSON, `begins "OpenTofu v1.12.6", not "<engine> v1.11.4"`},
	} {
		_, err := readCLIVersion([]byte(tc.text), []byte(tc.doc))
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("readCLIVersion(%q, %q) error = %v; want one containing %q", tc.text, tc.doc, err, tc.wantErr)
		}
	}
}

// Skips follow the feature, not the engine's name: OpenTofu 1.12 has ephemeral resources (since
// 1.11) and no actions; Terraform has ephemeral resources since 1.10 and actions since 1.14.
func TestCLIVersion_supports(t *testing.T) {
	for _, tc := range []struct {
		v                cliVersion
		ephemeral, actns bool
	}{
		{cliVersion{"Terraform", 1, 8, 5}, false, false},
		{cliVersion{"Terraform", 1, 10, 0}, true, false},
		{cliVersion{"Terraform", 1, 11, 4}, true, false},
		{cliVersion{"Terraform", 1, 14, 9}, true, true},
		{cliVersion{"Terraform", 2, 0, 0}, true, true},
		{cliVersion{"OpenTofu", 1, 10, 7}, false, false},
		{cliVersion{"OpenTofu", 1, 12, 6}, true, false},
		{cliVersion{"SomeFork", 1, 14, 0}, false, false},
	} {
		for _, f := range []struct {
			feature cliFeature
			want    bool
		}{{featureEphemeralResources, tc.ephemeral}, {featureActions, tc.actns}} {
			got, why := tc.v.supports(f.feature)
			if got != f.want || got == (why != "") {
				t.Errorf("%v supports %s = %v (%q), want %v", tc.v, f.feature.name, got, why, f.want)
			}
		}
	}
	_, why := cliVersion{"OpenTofu", 1, 12, 6}.supports(featureActions)
	if why != "OpenTofu 1.12.6 has no actions" {
		t.Errorf("skip reason %q", why)
	}
	_, why = cliVersion{"Terraform", 1, 11, 4}.supports(featureActions)
	if why != "actions need Terraform 1.14 or later; this is Terraform 1.11.4" {
		t.Errorf("skip reason %q", why)
	}
}

// The reattach addresses follow plugin-testing's TF_ACC_PROVIDER_HOST and
// TF_ACC_PROVIDER_NAMESPACE, so one environment points both harnesses at either engine.
func TestProviderAddrs(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want []string
	}{
		{nil, []string{"registry.terraform.io/faqops/haptik"}},
		// OpenTofu's documented settings for plugin-testing.
		{map[string]string{"TF_ACC_PROVIDER_HOST": "registry.opentofu.org", "TF_ACC_PROVIDER_NAMESPACE": "hashicorp"},
			[]string{"registry.opentofu.org/faqops/haptik", "registry.opentofu.org/hashicorp/haptik"}},
		{map[string]string{"TF_ACC_PROVIDER_HOST": "registry.opentofu.org/"}, []string{"registry.opentofu.org/faqops/haptik"}},
		{map[string]string{"TF_ACC_PROVIDER_NAMESPACE": "faqops"}, []string{"registry.terraform.io/faqops/haptik"}},
	} {
		got := providerAddrs(func(k string) string { return tc.env[k] })
		if !slices.Equal(got, tc.want) {
			t.Errorf("providerAddrs(%v) = %v, want %v", tc.env, got, tc.want)
		}
	}
}

// Import blocks by identity: Terraform 1.12 and OpenTofu 1.12 (opentofu#3671, in 1.12.0's
// changelog) and later.
func TestCLIVersion_supportsResourceIdentity(t *testing.T) {
	for v, want := range map[cliVersion]bool{
		{"Terraform", 1, 11, 4}: false,
		{"Terraform", 1, 12, 0}: true,
		{"Terraform", 1, 14, 9}: true,
		{"OpenTofu", 1, 11, 5}:  false,
		{"OpenTofu", 1, 12, 6}:  true,
	} {
		if got, why := v.supports(featureResourceIdentity); got != want {
			t.Errorf("%v supports import blocks by identity = %v (%q), want %v", v, got, why, want)
		}
	}
}
