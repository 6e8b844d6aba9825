/** How a file is mutated, by what go build would make of it. */
export type MutationKind = 'go' | 'go-test' | 'module' | 'c-asm' | 'bytes';

/** A content edit for one file: a new exported constant in Go, a comment where the syntax has one, else new bytes. */
export interface Mutation {
  readonly kind: MutationKind;
  readonly apply: (content: Buffer) => Buffer;
}

/**
 * The mutation of a file: every one changes the file's bytes and keeps it valid for go build,
 * so the build's output is the oracle: a Go file gets a new exported constant, a go.mod or
 * go.work a comment, go.sum a trailing blank line, C and assembly a comment, any other file
 * (an embedded asset, a README) a new line of text.
 */
export function mutationFor(path: string): Mutation {
  const name = path.split('/').pop() ?? path;
  const append = (text: string) => (content: Buffer) => Buffer.concat([content, Buffer.from(text)]);
  if (name.endsWith('_test.go'))
    return {
      kind: 'go-test',
      apply: append('\n// crossdock mutation\nconst CrossdockMutationTest = "mutated"\n'),
    };
  if (name.endsWith('.go'))
    return {
      kind: 'go',
      apply: append(
        '\n// CrossdockMutation is added by the exact-inputs harness.\nconst CrossdockMutation = "mutated"\n',
      ),
    };
  if (name === 'go.mod' || name === 'go.work')
    return { kind: 'module', apply: append('\n// crossdock mutation\n') };
  if (name === 'go.sum' || name === 'go.work.sum' || name === 'modules.txt')
    return { kind: 'module', apply: append('\n') };
  if (/\.(c|h|cc|cpp|hh|hpp|s|S)$/.test(name))
    return { kind: 'c-asm', apply: append('\n// crossdock mutation\n') };
  return { kind: 'bytes', apply: append('\ncrossdock mutation\n') };
}
