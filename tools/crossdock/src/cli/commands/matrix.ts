import { parseArgs } from 'node:util';
import { buildMatrix, githubOutputs, parseRunnerFlags } from '../../publish/ci/matrix';
import { normalizeOptions } from '../../options/normalize-options';
import { processRunner } from '../../support/process/runner';
import { readProjectGraph, showProjects } from '../../nx/nx-cli';
import { UsageError, type CliCommand } from '../command';

const USAGE = `usage: crossdock matrix [--affected [--base=<ref>] [--head=<ref>]] [--format json|github]
                       [--runner <arch|platform>=<label>]... [--default-runner <label>] [--target image]

Prints a GitHub Actions matrix with one cell per project (that has the target) and
each of its platforms: {"include":[{"project","platform","slug","runner"},...]}.
--affected limits it to the projects Nx finds affected between base and head.
--format github prints lines for $GITHUB_OUTPUT: matrix=..., projects=..., has-cells=, count=.
Every cell runs on --default-runner (ubuntu-latest) unless --runner maps its
architecture or platform to another label (e.g. --runner arm64=ubuntu-24.04-arm).`;

/** `crossdock matrix`: the CI matrix of affected projects × platforms. */
export const matrixCommand: CliCommand = {
  name: 'matrix',
  summary: 'print the CI matrix (project × platform cells) of all or affected projects',
  usage: USAGE,
  async run(args, io) {
    let values;
    try {
      ({ values } = parseArgs({
        args: [...args],
        options: {
          affected: { type: 'boolean', default: false },
          base: { type: 'string' },
          head: { type: 'string' },
          format: { type: 'string', default: 'json' },
          runner: { type: 'string', multiple: true, default: [] },
          'default-runner': { type: 'string', default: 'ubuntu-latest' },
          target: { type: 'string', default: 'image' },
        },
        strict: true,
        allowPositionals: false,
      }));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (values.format !== 'json' && values.format !== 'github')
      throw new UsageError(`--format must be json or github, not "${values.format}"`);
    if (!values.affected && (values.base || values.head))
      throw new UsageError('--base and --head need --affected');
    const runners = parseRunnerFlags(values.runner ?? [], values['default-runner']!);
    const [names, graph] = await Promise.all([
      showProjects(processRunner, io.workspaceRoot, {
        withTarget: values.target!,
        affected: values.affected ? { base: values.base, head: values.head } : undefined,
      }),
      readProjectGraph(processRunner, io.workspaceRoot),
    ]);
    const projects = names.map((name) => {
      const options = graph[name]?.data.targets?.image?.options ?? {};
      return {
        name,
        platforms: normalizeOptions(name, [{ source: `${name}'s image target`, values: options }])
          .platforms,
      };
    });
    const matrix = buildMatrix(projects, runners);
    io.stdout.write(
      `${values.format === 'github' ? githubOutputs(matrix) : JSON.stringify(matrix)}\n`,
    );
    return 0;
  },
};
