// Command buildkit-oracle parses a Dockerfile from stdin with BuildKit's own parser and
// prints what it read as JSON, so the TypeScript parser can be checked against the real one.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
)

type heredoc struct {
	Name   string `json:"name"`
	Body   string `json:"body"`
	Chomp  bool   `json:"chomp"`
	Expand bool   `json:"expand"`
}

type instruction struct {
	Line     int         `json:"line"`
	EndLine  int         `json:"endLine"`
	Keyword  string      `json:"keyword"`
	Flags    []string    `json:"flags"`
	JSON     []string    `json:"json"`
	Args     []string    `json:"args"`
	Pairs    [][2]string `json:"pairs"`
	Heredocs []heredoc   `json:"heredocs"`
}

type arg struct {
	Name    string  `json:"name"`
	Default *string `json:"default"`
}

type stage struct {
	Image    string `json:"image"`
	Platform string `json:"platform"`
	Name     string `json:"name"`
	Line     int    `json:"line"`
}

type result struct {
	Escape       string        `json:"escape"`
	Args         []arg         `json:"args"`
	Stages       []stage       `json:"stages"`
	Instructions []instruction `json:"instructions"`
}

type noEnv struct{}

func (noEnv) Get(string) (string, bool) { return "", false }
func (noEnv) Keys() []string            { return nil }

// failure is printed instead of a result when BuildKit rejects the Dockerfile.
type failure struct {
	Error string `json:"error"`
	Line  int    `json:"line"`
}

func main() {
	if err := run(); err != nil {
		f := failure{Error: err.Error()}
		var loc *parser.LocationError
		if errors.As(err, &loc) && len(loc.Locations) > 0 && len(loc.Locations[0]) > 0 {
			f.Line = loc.Locations[0][0].Start.Line
		}
		if encodeErr := json.NewEncoder(os.Stdout).Encode(f); encodeErr != nil {
			fmt.Fprintln(os.Stderr, encodeErr)
			os.Exit(1)
		}
	}
}

func run() error {
	parsed, err := parser.Parse(os.Stdin)
	if err != nil {
		return err
	}
	lex := shell.NewLex(parsed.EscapeToken)
	lex.SkipUnsetEnv = true
	word := func(w string) (string, error) {
		s, _, err := lex.ProcessWord(w, noEnv{})
		return s, err
	}
	out := result{Escape: string(parsed.EscapeToken), Args: []arg{}, Stages: []stage{}, Instructions: []instruction{}}
	for _, n := range parsed.AST.Children {
		ins := instruction{Line: n.StartLine, EndLine: n.EndLine, Keyword: strings.ToUpper(n.Value), Flags: n.Flags, Args: []string{}, Pairs: [][2]string{}, Heredocs: []heredoc{}}
		if ins.Flags == nil {
			ins.Flags = []string{}
		}
		var values []string
		for a := n.Next; a != nil; a = a.Next {
			values = append(values, a.Value)
		}
		switch {
		case n.Attributes["json"]:
			ins.JSON = append([]string{}, values...)
		case ins.Keyword == "ENV" || ins.Keyword == "LABEL":
			for i := 0; i+1 < len(values); i += 3 {
				k, err := word(values[i])
				if err != nil {
					return err
				}
				v, err := word(values[i+1])
				if err != nil {
					return err
				}
				ins.Pairs = append(ins.Pairs, [2]string{k, v})
			}
		default:
			ins.Args = append(ins.Args, values...)
		}
		for _, h := range n.Heredocs {
			ins.Heredocs = append(ins.Heredocs, heredoc{Name: h.Name, Body: h.Content, Chomp: h.Chomp, Expand: h.Expand})
		}
		out.Instructions = append(out.Instructions, ins)
	}
	stages, metaArgs, err := instructions.Parse(parsed.AST, nil)
	if err != nil {
		return err
	}
	for _, m := range metaArgs {
		for _, kv := range m.Args {
			a := arg{Name: kv.Key}
			if kv.Value != nil {
				v, err := word(*kv.Value)
				if err != nil {
					return err
				}
				a.Default = &v
			}
			out.Args = append(out.Args, a)
		}
	}
	for _, s := range stages {
		out.Stages = append(out.Stages, stage{Image: s.BaseName, Platform: s.Platform, Name: s.Name, Line: s.Location[0].Start.Line})
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
