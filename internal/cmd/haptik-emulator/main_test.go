package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/faqops/terraform-provider-haptik/internal/haptik"
)

func TestServeAndInspect(t *testing.T) {
	addrFile := filepath.Join(t.TempDir(), "url")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, []string{"-listen", "127.0.0.1:0", "-addr-file", addrFile, "-token", "t",
			"-client-id", "c", "-domains", "dom", "-task-duration", "0s"})
	}()
	var base string
	for i := 0; i < 200 && base == ""; i++ {
		b, _ := os.ReadFile(addrFile)
		base = strings.TrimSpace(string(b))
		time.Sleep(10 * time.Millisecond)
	}
	if base == "" {
		t.Fatal("the emulator did not write its URL")
	}

	c, err := haptik.New(haptik.Config{BaseURL: base, ClientID: "c", Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	id, err := c.UploadFAQ(ctx, "dom", []byte("node_name,question,answer\r\nhello,hi|hey,Hello!<m>How can I help?\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitForTask(ctx, id, haptik.PollPolicy{MinInterval: 10 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}

	var out bytes.Buffer
	if err := inspect([]string{"-url", base, "dom"}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`Domain "dom" in the emulator: 1 node, 1 active`, "hello", "hi | hey", "Hello! <m> How can I help?"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("inspect output lacks %q:\n%s", want, out.String())
		}
	}

	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
}

func TestServeRefusesNonLoopback(t *testing.T) {
	err := serve(context.Background(), []string{"-listen", "0.0.0.0:0"})
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("err = %v", err)
	}
}
