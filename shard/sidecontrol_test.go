package shard_test

import (
	"github.com/craftkit/craftkit/shard"
	"github.com/craftkit/craftkit/shard/schema"
)

// The schema-change runner can pull sides through the topology in one
// process or through the disabled-sides file for all of them.
var (
	_ schema.SideControl = (*shard.Topology)(nil)
	_ schema.SideControl = (*shard.SideFile)(nil)
)
