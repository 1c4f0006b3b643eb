module github.com/craftkit/craftkit

go 1.26.0

require (
	github.com/stretchr/testify v1.12.1
	github.com/warthog618/go-gpiocdev v0.9.1
	gonum.org/v1/gonum v0.17.0
)

require (
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/sys v0.18.0 // indirect
)
