// Package abtest plans, monitors and analyses A/B tests that stay honest
// when people look at the results every day.
package abtest
