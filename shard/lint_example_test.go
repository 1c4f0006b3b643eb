package shard_test

import (
	"fmt"

	"github.com/craftkit/craftkit/shard"
)

func ExampleLintSchema() {
	ddl := "CREATE TABLE `users` (\n" +
		"  `id` int(11) NOT NULL AUTO_INCREMENT,\n" +
		"  `name` varchar(100) NOT NULL,\n" +
		"  PRIMARY KEY (`id`)\n" +
		") ENGINE=MyISAM DEFAULT CHARSET=utf8;\n"
	for _, f := range shard.LintSchema(ddl) {
		fmt.Printf("%s %s.%s\n", f.Rule, f.Table, f.Column)
	}
	fixed := "CREATE TABLE `users` (\n" +
		"  `id` bigint(20) unsigned NOT NULL,\n" +
		"  `name` varchar(100) NOT NULL,\n" +
		"  PRIMARY KEY (`id`)\n" +
		") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"
	fmt.Println(len(shard.LintSchema(fixed)), "findings")
	// Output:
	// engine users.
	// charset users.
	// id-type users.id
	// generated users.id
	// 0 findings
}
