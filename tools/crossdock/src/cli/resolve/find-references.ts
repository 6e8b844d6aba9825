import { isScalar, parseAllDocuments, visit, type Scalar } from 'yaml';
import { CrossdockError } from '../../support/crossdock-error';

/** The scheme of an image reference that `crossdock resolve` replaces. */
export const SCHEME = 'crossdock://';

/** One `crossdock://<project>` scalar: where its text is in the file, and its line (1-based). */
export interface FoundReference {
  readonly project: string;
  /** Offsets of `crossdock://<project>` itself (inside any quotes) in the file's text. */
  readonly start: number;
  readonly end: number;
  readonly line: number;
}

/** A file that is not YAML, or a reference that is not a project name: says the file and line. */
export class ResolveInputError extends CrossdockError {
  constructor(file: string, line: number, detail: string) {
    super(`${file}:${line}: ${detail}`);
    this.name = 'ResolveInputError';
  }
}

const PROJECT = /^[A-Za-z0-9@][A-Za-z0-9@._/-]*$/;

/** The 1-based line of an offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * Every scalar of a multi-document YAML text whose value is `crossdock://<project>`, with
 * the exact offsets of that text in the source, so the caller replaces it in place and
 * leaves every other byte (comments, key order, anchors, other documents) as it is. The
 * yaml parser only validates and locates: nothing is re-serialised. Unparsable YAML is an
 * error naming the file and line.
 */
export function findReferences(file: string, text: string): FoundReference[] {
  const documents = parseAllDocuments(text, { keepSourceTokens: true });
  const list = Array.isArray(documents) ? documents : [documents];
  const found: FoundReference[] = [];
  for (const document of list) {
    const error = document.errors[0];
    if (error) {
      const line = error.linePos?.[0]?.line ?? lineAt(text, error.pos[0]);
      throw new ResolveInputError(file, line, `not valid YAML: ${error.message.split('\n')[0]}`);
    }
    visit(document, {
      Scalar(_key, node: Scalar) {
        if (!isScalar(node) || typeof node.value !== 'string') return;
        if (!node.value.startsWith(SCHEME) || !node.range) return;
        const [from, to] = node.range;
        const source = text.slice(from, to);
        const at = source.indexOf(node.value);
        const line = lineAt(text, from);
        if (at < 0)
          throw new ResolveInputError(
            file,
            line,
            `${node.value} is written with escapes or folded; write crossdock://<project> plainly`,
          );
        const project = node.value.slice(SCHEME.length);
        if (!PROJECT.test(project))
          throw new ResolveInputError(
            file,
            line,
            `"${node.value}" does not name a project (crossdock://<project>)`,
          );
        found.push({ project, start: from + at, end: from + at + node.value.length, line });
      },
    });
  }
  return found;
}

/** The text with each reference replaced by its project's image (by digest); every other byte kept. Pure. */
export function replaceReferences(
  text: string,
  references: readonly FoundReference[],
  imageOf: (project: string) => string,
): string {
  let result = '';
  let at = 0;
  for (const reference of [...references].sort((a, b) => a.start - b.start)) {
    result += text.slice(at, reference.start) + imageOf(reference.project);
    at = reference.end;
  }
  return result + text.slice(at);
}
