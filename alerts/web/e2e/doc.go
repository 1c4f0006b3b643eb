// Package e2e tests package alerts/web in a real browser: it builds and
// starts examples/alerts-web on the loopback interface, drives Debian's
// chromium headless through chromedp, classifies alerts through the form,
// checks the charts and the layout at 360 px, and takes screenshots.
//
// Start here:
//   - apt-get install chromium (or set CRAFTKIT_CHROMIUM to a Chrome binary; only it is tried then).
//   - cd alerts/web/e2e && go test -v ./...
//   - Set CRAFTKIT_E2E_SHOTS=DIR to keep the screenshots (default: a test temp dir).
//
// Without a browser the tests skip with a message, unless
// CRAFTKIT_REQUIRE_SERVICES=1, when they fail. The module is separate so
// that the main module does not require chromedp.
package e2e
