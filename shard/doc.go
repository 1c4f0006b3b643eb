// Package shard is a sharded SQL data layer over database/sql: an index
// that maps each object to a shard, master-master pairs with sides that
// can be taken out, Flickr-style ticket ids, object moves and rebalancing.
package shard
