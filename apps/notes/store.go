package main

import (
	"context"
	"database/sql"
	"fmt"

	// The SQLite driver: C code (the SQLite amalgamation) compiled by cgo.
	_ "github.com/mattn/go-sqlite3"
)

// Note is one stored note.
type Note struct {
	ID   int64  `json:"id"`
	Text string `json:"text"`
}

// Store keeps notes in one SQLite database.
type Store struct {
	db      *sql.DB
	version string
}

// openStore opens (creating if needed) the notes database at dsn, which is a
// file name or ":memory:".
func openStore(ctx context.Context, dsn string) (*Store, error) {
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("opening SQLite database %q: %w", dsn, err)
	}
	// One connection: an in-memory database exists per connection.
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL)`); err != nil {
		db.Close()
		return nil, fmt.Errorf("creating the notes table in %q: %w", dsn, err)
	}
	var version string
	if err := db.QueryRowContext(ctx, `SELECT sqlite_version()`).Scan(&version); err != nil {
		db.Close()
		return nil, fmt.Errorf("reading the SQLite version: %w", err)
	}
	return &Store{db: db, version: version}, nil
}

// SQLiteVersion is the version of the SQLite library compiled into the binary.
func (s *Store) SQLiteVersion() string { return s.version }

// Add stores a note and returns it with its new id.
func (s *Store) Add(ctx context.Context, text string) (Note, error) {
	res, err := s.db.ExecContext(ctx, `INSERT INTO notes (text) VALUES (?)`, text)
	if err != nil {
		return Note{}, fmt.Errorf("storing a note: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return Note{}, fmt.Errorf("reading the new note's id: %w", err)
	}
	return Note{ID: id, Text: text}, nil
}

// Get returns the note with the given id; sql.ErrNoRows when there is none.
func (s *Store) Get(ctx context.Context, id int64) (Note, error) {
	n := Note{ID: id}
	err := s.db.QueryRowContext(ctx, `SELECT text FROM notes WHERE id = ?`, id).Scan(&n.Text)
	return n, err
}

// List returns every note, oldest first.
func (s *Store) List(ctx context.Context) ([]Note, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, text FROM notes ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("listing notes: %w", err)
	}
	defer rows.Close()
	notes := []Note{}
	for rows.Next() {
		var n Note
		if err := rows.Scan(&n.ID, &n.Text); err != nil {
			return nil, fmt.Errorf("reading a note: %w", err)
		}
		notes = append(notes, n)
	}
	return notes, rows.Err()
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }
