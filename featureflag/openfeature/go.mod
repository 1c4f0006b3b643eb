module github.com/craftkit/craftkit/featureflag/openfeature

go 1.26.0

replace github.com/craftkit/craftkit => ../..

require (
	github.com/craftkit/craftkit v0.0.0-00010101000000-000000000000
	github.com/open-feature/go-sdk v1.20.0
)

require (
	github.com/RoaringBitmap/roaring/v2 v2.30.0 // indirect
	github.com/bits-and-blooms/bitset v1.24.4 // indirect
	github.com/mschoch/smat v0.2.0 // indirect
	go.uber.org/mock v0.6.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
)
