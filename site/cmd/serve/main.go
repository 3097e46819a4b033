//go:build !(js && wasm)

// Command serve is connlab's local server, the one `make run` starts: the
// API of the Cloudflare Worker (site/api) at /api/ and the built site
// (site/dist, from `make site`) for everything else, with the headers the
// edge sends.
//
//	serve [-addr 127.0.0.1:8080] [-dir site/dist]
//	serve [-dir site/dist] -print-headers   print Cloudflare's _headers for the site
//	serve [-dir site/dist] -print-redirects print Cloudflare's _redirects for the site
//	serve -print-assetsignore               print the .assetsignore for the site
//
// It stops gracefully on SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/connlab/connlab/site/api"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dir := fs.String("dir", "site/dist", "the built site (make site)")
	printHeaders := fs.Bool("print-headers", false, "print Cloudflare's _headers file for the site in -dir and exit")
	printRedirects := fs.Bool("print-redirects", false, "print Cloudflare's _redirects file (the app's routes) for the site in -dir and exit")
	printIgnore := fs.Bool("print-assetsignore", false, "print the .assetsignore file for the site and exit")
	quiet := fs.Bool("quiet", false, "do not log requests")
	maxRun := fs.Duration("max-run", api.DefaultLimits.MaxWallTime, "the wall-time budget of one /api/run")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(stderr, "serve: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	switch {
	case *printHeaders:
		h, err := api.HeadersFile(os.DirFS(*dir))
		if err != nil {
			fmt.Fprintf(stderr, "serve: %v\n", err)
			return 1
		}
		fmt.Fprint(stdout, h)
		return 0
	case *printRedirects:
		fmt.Fprint(stdout, api.RedirectsFile(os.DirFS(*dir)))
		return 0
	case *printIgnore:
		fmt.Fprint(stdout, api.AssetsIgnoreFile())
		return 0
	}

	if _, err := os.Stat(filepath.Join(*dir, "index.html")); err != nil {
		fmt.Fprintf(stderr, "serve: %s has no index.html (build the site with make site): %v\n", *dir, err)
		return 1
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "serve: %v\n", err)
		return 1
	}
	logger := log.New(stderr, "serve: ", log.LstdFlags)
	srv := &http.Server{
		Handler:           handler(*dir, logger, *quiet, api.Options{Limits: api.Limits{MaxWallTime: *maxRun}}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          logger,
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "connlab: serving http://%s\n", ln.Addr())

	select {
	case err := <-errc:
		fmt.Fprintf(stderr, "serve: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	stop() // a second signal kills at once
	fmt.Fprintln(stderr, "serve: shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		fmt.Fprintf(stderr, "serve: shutdown: %v\n", err)
		return 1
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "serve: %v\n", err)
		return 1
	}
	return 0
}

// Handler is the whole local site: the API at /api/, the built site in dir
// for the rest (api.Site: the Worker routes the same way).
func Handler(dir string, logger *log.Logger, quiet bool) http.Handler {
	return handler(dir, logger, quiet, api.Options{})
}

func handler(dir string, logger *log.Logger, quiet bool, opts api.Options) http.Handler {
	mux := api.Site(api.New(opts), api.Static(os.DirFS(dir)))
	if quiet || logger == nil {
		return mux
	}
	return logRequests(mux, logger)
}

type statusWriter struct {
	http.ResponseWriter
	status int
	n      int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(p)
	w.n += int64(n)
	return n, err
}

func logRequests(next http.Handler, logger *log.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		logger.Printf("%s %s %d %dB %s", r.Method, r.URL.RequestURI(), sw.status, sw.n, time.Since(start).Round(10*time.Microsecond))
	})
}
