// Package gen generates deterministic synthetic account graphs for
// [fraudgraph]: invite forests, fingerprints (devices, cards, home and
// popular shared IPs, households) and planted referral-fraud rings with
// their ground truth.
//
// # Model
//
// Accounts 1..N sign up in id order, evenly over Config.Span. About half
// are invited by a uniformly chosen earlier account, which grows an invite
// forest; some inviters invite a small party of consecutive signups (a
// legitimate burst). Every account has its own device and home IP and
// most have a card. Households (Config.Households of accounts, three
// members on average, joining at unrelated times) share the home IP and
// often a device or card. Config.PopularShare of accounts also present a
// popular IP drawn from a Zipf law (carrier NAT, offices): at 30 million
// accounts the largest reaches hundreds of thousands.
//
// Rings (Config.Rings of accounts, 4 to 20 members) sign up within a few
// hours, are invited by their leader (star or chain), draw devices, cards
// and proxy IPs from small shared pools with some members evading each
// pool, and nearly all redeem their referral credit. Legitimate accounts
// redeem with probability 0.3.
//
// # Referral histories
//
// [GenerateHistory] adds what a referral programme needs: household
// addresses, family members inviting each other (sharing a card and an
// address), honest heavy inviters and purchases in integer cents, as
// time-ordered events for fraudgraph/referral. The history generator and
// the referral package's default rules were written together, so the
// study figures quoted there are regression checks, not promises on real
// traffic.
//
// # Determinism
//
// The same Config (including Seed) always yields the same Dataset. Values
// are generated from math/rand/v2's PCG; Generate does no I/O, starts no
// goroutines and uses about 50 bytes per account.
package gen
