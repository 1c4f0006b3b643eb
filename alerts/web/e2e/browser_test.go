package e2e

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds the browser: $CRAFTKIT_CHROMIUM if set (and then only
// it), else Debian's /usr/bin/chromium, then chromium or chromium-browser
// on $PATH. With none it skips, or fails when CRAFTKIT_REQUIRE_SERVICES=1.
func chromium(t *testing.T) string {
	t.Helper()
	var cands []string
	if env := os.Getenv("CRAFTKIT_CHROMIUM"); env != "" {
		cands = []string{env}
	} else {
		cands = []string{"/usr/bin/chromium"}
		for _, name := range []string{"chromium", "chromium-browser"} {
			if p, err := exec.LookPath(name); err == nil {
				cands = append(cands, p)
			}
		}
	}
	for _, c := range cands {
		if c == "" {
			continue
		}
		if st, err := os.Stat(c); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return c
		}
	}
	msg := "no chromium found (install Debian's chromium package or set CRAFTKIT_CHROMIUM)"
	if os.Getenv("CRAFTKIT_REQUIRE_SERVICES") == "1" {
		t.Fatal(msg + "; CRAFTKIT_REQUIRE_SERVICES=1 makes this a failure")
	}
	t.Skip(msg)
	return ""
}

// goTool returns the go command: the one on $PATH, else $GOROOT/bin/go.
func goTool() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	if r := os.Getenv("GOROOT"); r != "" {
		return filepath.Join(r, "bin", "go")
	}
	return "go"
}

// startExample builds examples/alerts-web, starts it on a free loopback
// port as user cho with a fresh store, and returns its base URL. The
// process is stopped by its PID when the test ends.
func startExample(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "alerts-web")
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	// Built in the main module (this module's replace target), so the
	// example is the checked-out code.
	build := exec.Command(goTool(), "build", "-o", bin, "./examples/alerts-web")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the example: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-user", "cho", "-port", "0", "-store", filepath.Join(dir, "alerts.jsonl"))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("example printed no URL: %v", err)
	}
	u := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(line)
	if u == "" {
		t.Fatalf("no loopback URL in %q", line)
	}
	return u
}

// browser starts headless chromium with a fresh profile and returns a
// chromedp context bounded to a minute.
func browser(t *testing.T, exe string) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting chromium %s: %v", exe, err)
	}
	return bctx
}

func shotDir(t *testing.T) string {
	if d := os.Getenv("CRAFTKIT_E2E_SHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

func screenshot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s (%d bytes)", p, len(png))
}

type css = chromedp.CSS

// run is chromedp.Run failing the test on error.
func run[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// waitNewPage waits until the page marked with window.ckBeforeSubmit has
// been replaced by a fully loaded new one.
func waitNewPage(t *testing.T, ctx context.Context) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.ckBeforeSubmit === undefined && document.readyState === "complete"`))
		if err == nil && done {
			return
		}
		time.Sleep(50 * time.Millisecond) // evaluating during the navigation may fail: try again
	}
	t.Fatal("the page did not change within 15 s of submitting the form")
}

type box struct {
	W, H, CW, CH float64
}

// TestOnCallReview classifies three alerts through the week form, checks
// they stay after a reload with the new signal/noise, checks the meeting
// page's SVG charts have non-empty bounding boxes, and that the pages
// do not scroll sideways at 360 px.
func TestOnCallReview(t *testing.T) {
	exe := chromium(t)
	base := startExample(t)
	ctx := browser(t, exe)
	shots := shotDir(t)

	do(t, ctx, "opening the week", chromedp.Navigate(base+"/week"), chromedp.WaitVisible(css(`select[name="t2"]`)))
	if before := run(t, ctx, "reading signal/noise", chromedp.Text(css(`#sn`))); before != "–" {
		t.Errorf("signal/noise before classifying = %q, want –", before)
	}
	// One action, two no-action: 33%.
	tags := map[string]string{"t0": "issue", "t1": "thresholdincorrect", "t2": "checkfaulty"}
	const note = "restarted <script>nginx</script>"
	var steps []chromedp.Action[chromedp.Void]
	for name, tag := range tags {
		steps = append(steps, chromedp.SetValue(css(`select[name="`+name+`"]`), tag))
	}
	steps = append(steps,
		chromedp.SendKeys(css(`input[name="n0"]`), note),
		chromedp.Evaluate[chromedp.Void](`window.ckBeforeSubmit = true`),
		chromedp.Click(css(`main form button[type="submit"]`)),
	)
	do(t, ctx, "classifying and saving", steps...)
	// The submit is a POST answered by a redirect: wait until the new page
	// has replaced the old one before reloading, or the reload could
	// cancel the POST.
	waitNewPage(t, ctx)
	do(t, ctx, "reloading", chromedp.Reload(), chromedp.WaitVisible(css(`select[name="t2"]`)))
	for name, tag := range tags {
		if got := run(t, ctx, "reading "+name, chromedp.Value(css(`select[name="`+name+`"]`))); got != tag {
			t.Errorf("after reload %s = %q, want %q", name, got, tag)
		}
	}
	if after := run(t, ctx, "reading signal/noise", chromedp.Text(css(`#sn`))); after != "33%" {
		t.Errorf("signal/noise after classifying = %q, want 33%%", after)
	}
	if got := run(t, ctx, "reading the note", chromedp.Value(css(`input[name="n0"]`))); got != note {
		t.Errorf("note after reload = %q, want %q", got, note)
	}
	if n := run(t, ctx, "counting scripts", chromedp.Evaluate[int](`document.scripts.length`)); n != 0 {
		t.Errorf("page has %d script elements, want 0", n)
	}
	screenshot(t, ctx, shots, "week.png")

	// The meeting page's charts are drawn: every SVG and its shapes have
	// a non-empty bounding box.
	do(t, ctx, "opening the meeting page", chromedp.Navigate(base+"/meeting"), chromedp.WaitVisible(css(`figure svg`)))
	boxes := run(t, ctx, "measuring charts", chromedp.Evaluate[[]box](`Array.from(document.querySelectorAll('figure svg')).map(s => { const b = s.getBBox(); const r = s.getBoundingClientRect(); return {W: b.width, H: b.height, CW: r.width, CH: r.height}; })`))
	shapes := run(t, ctx, "counting shapes", chromedp.Evaluate[int](`Array.from(document.querySelectorAll('figure svg rect, figure svg path, figure svg polyline, figure svg line')).filter(e => { const b = e.getBBox(); return b.width > 0 || b.height > 0; }).length`))
	if len(boxes) != 2 {
		t.Fatalf("meeting page has %d charts, want 2 (trend, heat map)", len(boxes))
	}
	for i, b := range boxes {
		if b.W <= 0 || b.H <= 0 || b.CW <= 0 || b.CH <= 0 {
			t.Errorf("chart %d has an empty box: %+v", i, b)
		}
	}
	if shapes < 10 {
		t.Errorf("charts have %d drawn shapes, want at least 10", shapes)
	}
	t.Logf("charts: %+v, %d drawn shapes", boxes, shapes)
	screenshot(t, ctx, shots, "meeting.png")

	// 360 px wide: no horizontal scrolling on any page.
	do(t, ctx, "narrowing the viewport", chromedp.EmulateViewport(360, 740))
	for _, p := range []string{"/week", "/meeting", "/update", "/search?q=load", "/year", "/personal", "/sleep", "/week?contact=*"} {
		do(t, ctx, p+" at 360 px", chromedp.Navigate(base+p), chromedp.WaitReady(css(`main`)))
		sw := run(t, ctx, "scrollWidth", chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if sw > 360 {
			t.Errorf("%s at 360 px: scrollWidth %d > 360", p, sw)
		}
		t.Logf("%s at 360 px: scrollWidth %d", p, sw)
		switch p {
		case "/week":
			screenshot(t, ctx, shots, "week-360.png")
		case "/meeting":
			screenshot(t, ctx, shots, "meeting-360.png")
		}
	}
}
