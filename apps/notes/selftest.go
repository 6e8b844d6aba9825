package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/crossdock/crossdock/libs/go/buildinfo"
)

// selfTestText is the row the selftest writes and expects to read back.
const selfTestText = "crossdock selftest: écrit, lu, 書く"

// selfTest stores one note in a fresh in-memory database, reads it back by id and
// compares it; on success it returns the version JSON with "sqlite" (the library's
// version) and "selftest":"ok" appended, one line.
func selfTest(ctx context.Context, info buildinfo.Info) ([]byte, error) {
	store, err := openStore(ctx, ":memory:")
	if err != nil {
		return nil, err
	}
	defer store.Close()
	written, err := store.Add(ctx, selfTestText)
	if err != nil {
		return nil, err
	}
	read, err := store.Get(ctx, written.ID)
	if err != nil {
		return nil, fmt.Errorf("reading note %d back: %w", written.ID, err)
	}
	if read != written {
		return nil, fmt.Errorf("read back %+v, wrote %+v", read, written)
	}
	return json.Marshal(struct {
		buildinfo.Info
		SQLite   string `json:"sqlite"`
		SelfTest string `json:"selftest"`
	}{info, store.SQLiteVersion(), "ok"})
}
