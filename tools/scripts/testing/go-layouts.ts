/**
 * Go layouts that real repositories use, as files to add to a copy of this workspace (module
 * github.com/crossdock/crossdock): the two reproductions of the exact-inputs issue (an
 * embedded banner in apps/hello, a package under internal/ that no project owns), and an
 * app, apps/layouts, whose closure reaches every other kind of input: a go.work module, a
 * local replace, embed globs and directories (with `all:`), file-name and //go:build
 * constraints (also legacy +build), Go assembly, and cgo files (compiled only with cgo).
 * Each file says in a comment whether it is an input and of which platforms.
 */

const MODULE = 'github.com/crossdock/crossdock';

/** The files, by workspace-relative path. */
export const GO_LAYOUT_FILES: Readonly<Record<string, string>> = {
  // Reproduction 1: a file embedded into hello; `hello --banner` prints it and greet.Word.
  'apps/hello/banner.go': `package main

import (
	_ "embed"
	"fmt"
	"os"

	"${MODULE}/internal/greet"
)

//go:embed banner.txt
var banner string

func init() {
	if len(os.Args) == 2 && os.Args[1] == "--banner" {
		fmt.Print(banner, greet.Word, "\\n")
		os.Exit(0)
	}
}
`,
  'apps/hello/banner.txt': 'banner v1\n',
  // Reproduction 2: a package of the root module that is no Nx project.
  'internal/greet/greet.go':
    'package greet\n\n// Word is the greeting of the sample apps.\nconst Word = "greet v1"\n',
  'internal/greet/greet_test.go':
    'package greet\n\nimport "testing"\n\nfunc TestWord(t *testing.T) {\n\tif Word == "" {\n\t\tt.Fatal("empty")\n\t}\n}\n',
  'internal/greet/README.md': '# greet\n\nNot an input: go build never reads it.\n',
  'internal/greet/testdata/sample.txt': 'not an input\n',
  // A package of the module that nothing imports: never an input.
  'internal/unused/unused.go': 'package unused\n\nconst Unused = 1\n',
  // A package only linux/arm64 imports.
  'internal/armonly/armonly.go': 'package armonly\n\nconst Name = "arm64 only"\n',

  'apps/layouts/project.json': JSON.stringify(
    {
      name: 'layouts',
      projectType: 'application',
      targets: {
        image: { options: { platforms: ['linux/amd64', 'linux/arm64'], smokeExpect: '' } },
      },
    },
    null,
    2,
  ),
  'apps/layouts/main.go': `// Command layouts prints one line from every kind of input it is built from.
package main

import (
	"embed"
	"fmt"
	"os"

	"example.com/extra/text"
	"example.com/local/lib"
	"${MODULE}/internal/greet"
)

//go:embed version.txt
var version string

//go:embed static
var static embed.FS

//go:embed all:assets tmpl/*.html
var assets embed.FS

func main() {
	if len(os.Args) > 1 && os.Args[1] == "--version" {
		fmt.Print(version)
		return
	}
	pages, _ := static.ReadDir("static")
	tmpl, _ := assets.ReadDir("tmpl")
	hidden, _ := assets.ReadFile("assets/.hidden")
	fmt.Println(greet.Word, text.Text, lib.Lib, net(), platform(), answer(), len(pages), len(tmpl), string(hidden))
}
`,
  'apps/layouts/version.txt': '{"name":"layouts"}\n',
  'apps/layouts/static/index.html': '<h1>index</h1>\n',
  'apps/layouts/static/css/site.css': 'body {}\n',
  'apps/layouts/assets/.hidden': 'hidden v1\n',
  'apps/layouts/assets/_under.txt': 'underscore v1\n',
  'apps/layouts/tmpl/page.html': '<p>page</p>\n',
  'apps/layouts/tmpl/notes.txt': 'not matched by tmpl/*.html: not an input\n',
  'apps/layouts/README.md': '# layouts\n',
  'apps/layouts/main_test.go':
    'package main\n\nimport "testing"\n\nfunc TestNothing(t *testing.T) {}\n',
  // File-name constraints: each is an input of one platform only.
  'apps/layouts/net_amd64.go': 'package main\n\nfunc net() string { return "net amd64" }\n',
  'apps/layouts/net_arm64.go': `package main

import "${MODULE}/internal/armonly"

func net() string { return "net " + armonly.Name }
`,
  'apps/layouts/net_other.go':
    '//go:build !amd64 && !arm64\n\npackage main\n\nfunc net() string { return "net other" }\n',
  // //go:build constraints.
  'apps/layouts/platform_linux.go':
    '//go:build linux\n\npackage main\n\nfunc platform() string { return "linux" }\n',
  'apps/layouts/platform_windows.go':
    'package main\n\nfunc platform() string { return "windows" }\n',
  'apps/layouts/never.go': '//go:build !linux\n\npackage main\n\nconst never = 1\n',
  'apps/layouts/legacy.go': '// +build linux,arm64\n\npackage main\n\nconst legacy = "arm64"\n',
  'apps/layouts/ignored.go': '//go:build ignore\n\npackage main\n\nconst ignored = 1\n',
  // Go assembly: amd64 only; other platforms use answer_other.go.
  'apps/layouts/answer_amd64.go': 'package main\n\nfunc answer() int64\n',
  'apps/layouts/answer_amd64.s':
    '#include "textflag.h"\n\n// func answer() int64\nTEXT ·answer(SB),NOSPLIT,$0-8\n\tMOVQ $42, ret+0(FP)\n\tRET\n',
  'apps/layouts/answer_other.go':
    '//go:build !amd64\n\npackage main\n\nfunc answer() int64 { return 42 }\n',
  // cgo: these are read only with CGO_ENABLED=1 (crossdock's default is 0).
  'apps/layouts/native.go': `package main

/*
#cgo CFLAGS: -I\${SRCDIR}/include
#include "native.h"
*/
import "C"

func native() int { return int(C.native()) }
`,
  'apps/layouts/native.c': '#include "native.h"\n\nint native(void) { return 7; }\n',
  'apps/layouts/include/native.h': 'int native(void);\n',

  // A module of the go.work, and a module reached through a local replace.
  'modules/extra/go.mod': 'module example.com/extra\n\ngo 1.26\n',
  'modules/extra/text/text.go':
    'package text\n\n// Text comes from another module of the go.work.\nconst Text = "extra v1"\n',
  'modules/extra/text/doc.md': 'not an input\n',
  'modules/local/go.mod': 'module example.com/local\n\ngo 1.26\n',
  'modules/local/lib/lib.go':
    'package lib\n\n// Lib comes from a local replace target.\nconst Lib = "local v1"\n',
  'go.work': 'go 1.26\n\nuse (\n\t.\n\t./modules/extra\n)\n',
};

/** The root go.mod of a workspace copy with the layouts: it requires the replaced module. */
export function goModWithLayouts(goMod: string): string {
  return `${goMod.trimEnd()}\n\nrequire example.com/local v0.0.0\n\nreplace example.com/local => ./modules/local\n`;
}
