// Command haptik-emulator serves the local Haptik emulator, or inspects a running one.
//
//	haptik-emulator [-listen 127.0.0.1:8089] [-token T] [-client-id C] [-domains a,b] [-task-duration 1s] [-addr-file F]
//	haptik-emulator inspect -url http://127.0.0.1:8089 DOMAIN
//
// Flags default to the environment variables HAPTIK_EMULATOR_LISTEN, HAPTIK_EMULATOR_TOKEN,
// HAPTIK_EMULATOR_CLIENT_ID, HAPTIK_EMULATOR_DOMAINS and HAPTIK_EMULATOR_TASK_DURATION.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/faqops/terraform-provider-haptik/internal/emulator"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "inspect" {
		if err := inspect(os.Args[2:], os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "haptik-emulator inspect:", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "haptik-emulator:", err)
		os.Exit(1)
	}
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

// serve runs the emulator until ctx ends.
func serve(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("haptik-emulator", flag.ContinueOnError)
	listen := fs.String("listen", env("HAPTIK_EMULATOR_LISTEN", "127.0.0.1:8089"), "address to listen on (port 0 picks a free port)")
	token := fs.String("token", env("HAPTIK_EMULATOR_TOKEN", "emulator-token"), "the bearer token accepted")
	clientID := fs.String("client-id", env("HAPTIK_EMULATOR_CLIENT_ID", "emulator-client"), "the client-id accepted")
	domains := fs.String("domains", env("HAPTIK_EMULATOR_DOMAINS", ""), "comma-separated domains that exist (empty: any)")
	taskDur := fs.String("task-duration", env("HAPTIK_EMULATOR_TASK_DURATION", "1s"), "how long each upload task stays In Progress")
	addrFile := fs.String("addr-file", "", "write the base URL to this file once listening")
	seedChats := fs.Bool("seed-chats", true, "start the chat APIs with a sample account (business 4242, team \"Support\", user \"demo-user\")")
	if err := fs.Parse(args); err != nil {
		return err
	}
	d, err := time.ParseDuration(*taskDur)
	if err != nil {
		return fmt.Errorf("-task-duration: %w", err)
	}
	var ds []string
	for _, s := range strings.Split(*domains, ",") {
		if s = strings.TrimSpace(s); s != "" {
			ds = append(ds, s)
		}
	}
	host, _, err := net.SplitHostPort(*listen)
	if err != nil {
		return fmt.Errorf("-listen: %w", err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-listen %s: the emulator only listens on loopback addresses", *listen)
	}

	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", *listen)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String()
	srv := &http.Server{
		Handler: emulator.New(emulator.Config{Token: *token, ClientID: *clientID, Domains: ds, TaskDuration: d,
			SeedChats: *seedChats}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	if *addrFile != "" {
		if err := os.WriteFile(*addrFile, []byte(base+"\n"), 0o600); err != nil {
			return err
		}
	}
	log.Printf("Haptik emulator listening on %s (client id %q, domains %s, tasks take %s)", base, *clientID,
		orAny(ds), d)

	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func orAny(ds []string) string {
	if len(ds) == 0 {
		return "any"
	}
	return strings.Join(ds, ",")
}

func inspect(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("inspect", flag.ContinueOnError)
	base := fs.String("url", env("HAPTIK_BASE_URL", "http://127.0.0.1:8089"), "the emulator's base URL")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: haptik-emulator inspect [-url URL] DOMAIN")
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet,
		strings.TrimRight(*base, "/")+"/_emulator/domains/"+fs.Arg(0), nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", *base, resp.Status)
	}
	var v emulator.DomainView
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		return err
	}
	return printDomain(out, v)
}

func printDomain(out io.Writer, v emulator.DomainView) error {
	active := 0
	for _, n := range v.Nodes {
		if n.Active {
			active++
		}
	}
	var b strings.Builder
	noun := "nodes"
	if len(v.Nodes) == 1 {
		noun = "node"
	}
	fmt.Fprintf(&b, "Domain %q in the emulator: %d %s, %d active\n", v.Name, len(v.Nodes), noun, active)
	var table strings.Builder
	table.WriteString("NODE\tACTIVE\tUSER SAYS\tBOT SAYS\n")
	for _, n := range v.Nodes {
		fmt.Fprintf(&table, "%s\t%v\t%s\t%s\n", n.Name, n.Active, shorten(strings.Join(n.UserSays, " | ")),
			shorten(strings.Join(n.BotSays, " <m> ")))
	}
	tw := tabwriter.NewWriter(&b, 2, 4, 2, ' ', 0)
	if _, err := io.WriteString(tw, table.String()); err != nil {
		return err
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(out, b.String())
	return err
}

func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 60 {
		return string(r[:59]) + "…"
	}
	return s
}
