// Package golden compares test output with golden files.
//
// Start here: register the package's -update flag in a test file and call
// [Check] with the file and the output:
//
//	var update = flag.Bool("update", false, "rewrite the golden files in testdata")
//
//	golden.Check(t, "testdata/report.svg", got, *update)
//
// Run the tests with -update after a deliberate change to rewrite the
// files, then review the change in version control. The package holds no
// state and is for tests only.
package golden
