import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { processRunner } from '../../support/process/runner';
import { readInputs } from '../resolve/read-inputs';
import { runResolve } from '../resolve/run-resolve';
import { UsageError, type CliCommand } from '../command';

const USAGE = `usage: crossdock resolve -f <file|dir|->... [-R] [--registry=<host[:port]>]

Builds and pushes (through Nx: nx run-many -t push, cached, only what changed is rebuilt)
every project named by a crossdock://<project> image reference in the Kubernetes YAML
given with -f (a file, a directory's .yaml/.yml/.json files, with -R its subdirectories'
too, or - for standard input), and prints the YAML with each reference replaced by
<registry>/<repository>@sha256:<index digest>. Every other byte stays as it was
(comments, key order, anchors, other documents); files are joined with --- lines.
The registry: --registry, else CROSSDOCK_REGISTRY, else the project's registry option.
Nothing is built or pushed when a file is not YAML or names an unknown project.`;

/** `crossdock resolve`: crossdock://<project> references in YAML → pushed images by digest. */
export const resolveCommand: CliCommand = {
  name: 'resolve',
  summary:
    'build and push the crossdock://<project> images of Kubernetes YAML; print it with digests',
  usage: USAGE,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...args],
        options: {
          filename: { type: 'string', short: 'f', multiple: true, default: [] },
          recursive: { type: 'boolean', short: 'R', default: false },
          registry: { type: 'string' },
        },
        strict: true,
        allowPositionals: false,
      });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const { values } = parsed;
    if (values.filename!.length === 0) throw new UsageError('give at least one -f <file|dir|->');
    const inputs = await readInputs(process.cwd(), values.filename!, values.recursive!, () =>
      text(process.stdin),
    );
    const output = await runResolve({
      workspaceRoot: io.workspaceRoot,
      inputs,
      ...(values.registry !== undefined ? { registry: values.registry } : {}),
      env: io.env,
      runner: processRunner,
      log: (line) => io.stderr.write(`${line}\n`),
    });
    io.stdout.write(output);
    return 0;
  },
};
