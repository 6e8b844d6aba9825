import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FsTree, flushChanges } from 'nx/src/generators/tree';
import { appGenerator } from '../../crossdock/src/nx/generators/app/generator';
import { copyWorkspace, type WorkspaceCopy } from '../testing/workspace-copy';

/** The Go module path of the workspace. */
const MODULE = 'github.com/crossdock/crossdock';

/** How many shared libraries the generated apps spread over (besides buildinfo and httpx). */
export const SHARED_LIBRARIES = 3;

/** The library file the affected benchmark edits: imported by every SHARED_LIBRARIES-th app. */
export const TOUCHED_LIBRARY = 'libs/go/bench/lib0/lib.go';

/** A benchmark workspace: a committed copy of the workspace with `apps` generated Go services. */
export interface ScaleWorkspace {
  readonly ws: WorkspaceCopy;
  readonly apps: number;
  /** How many apps import TOUCHED_LIBRARY. */
  readonly appsOnTouchedLibrary: number;
}

/**
 * Builds a workspace of `apps` Go services in a temporary git repository: a copy of this
 * workspace (plugin, libs, nx.json; node_modules as a symlink farm) without the sample apps,
 * plus SHARED_LIBRARIES small Go libraries. Each app comes from the real app generator
 * (`@crossdock/nx:app`, run in process on the copy), for `platform` only, and gets a
 * shared.go that links buildinfo, one of the shared libraries (round robin) and, for every
 * second app, httpx.
 */
export async function createScaleWorkspace(
  apps: number,
  platform: string,
): Promise<ScaleWorkspace> {
  const ws = await copyWorkspace();
  for (const sample of ['apps/hello', 'apps/relay'])
    rmSync(join(ws.root, sample), { recursive: true, force: true });
  for (let k = 0; k < SHARED_LIBRARIES; k++) {
    write(
      ws.root,
      `libs/go/bench/lib${k}/project.json`,
      `${JSON.stringify({ name: `go-bench-lib${k}`, projectType: 'library', tags: ['lang:go'] }, null, 2)}\n`,
    );
    write(
      ws.root,
      `libs/go/bench/lib${k}/lib.go`,
      `// Package lib${k} is a library shared by benchmark apps.\npackage lib${k}\n\n// Name identifies the library in the apps that link it.\nconst Name = "lib${k}"\n`,
    );
  }

  const tree = new FsTree(ws.root, false);
  const width = String(apps).length;
  let appsOnTouchedLibrary = 0;
  for (let i = 0; i < apps; i++) {
    const name = `svc-${String(i).padStart(width, '0')}`;
    await appGenerator(tree, { name, platforms: platform });
    tree.write(`apps/${name}/shared.go`, sharedGo(i));
    if (i % SHARED_LIBRARIES === 0) appsOnTouchedLibrary++;
  }
  flushChanges(ws.root, tree.listChanges());

  await ws.git(['add', '-A']);
  await ws.git(['commit', '-q', '-m', `${apps} generated apps`]);
  return { ws, apps, appsOnTouchedLibrary };
}

/** The shared.go of app i: links its libraries into reachable code, so a library's value changes the binary. */
function sharedGo(i: number): string {
  const lib = `lib${i % SHARED_LIBRARIES}`;
  const httpx = i % 2 === 0;
  return [
    'package main',
    '',
    'import (',
    '\t"fmt"',
    '\t"os"',
    '',
    `\t"${MODULE}/libs/go/bench/${lib}"`,
    ...(httpx ? [`\t"${MODULE}/libs/go/httpx"`] : []),
    ')',
    '',
    '// linked names the shared libraries this benchmark app links.',
    `var linked = []string{${lib}.Name}`,
    '',
    'func init() {',
    '\tif os.Getenv("BENCH_SHOW_LINKED") != "" {',
    '\t\tfmt.Println(linked)',
    ...(httpx ? ['\t\thttpx.WriteRawJSON(nil, 0, nil)'] : []),
    '\t}',
    '}',
    '',
  ].join('\n');
}

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}
