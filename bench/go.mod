module github.com/craftkit/craftkit/bench

go 1.26.0

replace github.com/craftkit/craftkit => ../

replace github.com/craftkit/craftkit/featureflag/openfeature => ../featureflag/openfeature

require (
	github.com/Boostport/address v0.9.0
	github.com/craftkit/craftkit v0.0.0-00010101000000-000000000000
	github.com/craftkit/craftkit/featureflag/openfeature v0.0.0-00010101000000-000000000000
	github.com/gaissmai/bart v0.30.0
	github.com/growthbook/growthbook-golang v0.7.0
	github.com/maxmind/mmdbwriter v1.2.0
	github.com/open-feature/go-sdk v1.20.0
	github.com/oschwald/maxminddb-golang/v2 v2.9.0
	github.com/yl2chen/cidranger v1.0.2
	go4.org/netipx v0.0.0-20231129151722-fdeea329fbba
	gonum.org/v1/gonum v0.17.0
)

require (
	github.com/RoaringBitmap/roaring/v2 v2.30.0 // indirect
	github.com/bits-and-blooms/bitset v1.24.4 // indirect
	github.com/chewxy/math32 v1.10.1 // indirect
	github.com/coder/hnsw v0.6.1 // indirect
	github.com/google/renameio v1.0.1 // indirect
	github.com/hashicorp/errwrap v1.1.0 // indirect
	github.com/hashicorp/go-multierror v1.1.1 // indirect
	github.com/mschoch/smat v0.2.0 // indirect
	github.com/tmaxmax/go-sse v0.10.0 // indirect
	github.com/viterin/partial v1.1.0 // indirect
	github.com/viterin/vek v0.4.2 // indirect
	go.uber.org/mock v0.6.0 // indirect
	golang.org/x/exp v0.0.0-20240506185415-9bf2ced13842 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.43.0 // indirect
)
