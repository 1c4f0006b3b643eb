module github.com/craftkit/craftkit/shard/mariadb

go 1.26.0

replace github.com/craftkit/craftkit => ../..

require (
	github.com/craftkit/craftkit v0.0.0-00010101000000-000000000000
	github.com/go-sql-driver/mysql v1.11.0
)

require filippo.io/edwards25519 v1.2.0 // indirect
