import { join } from 'node:path';
import { goPackageName } from '../package-name';
import { CrossdockError } from '../../support/crossdock-error';

/** A project whose `main` directory holds a Go package that is not `main`: go build would not make an executable. */
export class NotMainPackageError extends CrossdockError {
  constructor(
    readonly project: string,
    readonly directory: string,
    readonly packageName: string,
  ) {
    super(
      `${project}: ${directory} is package ${packageName}, not a main package, so go build would write a library archive, not an executable; ` +
        `set the main option to the directory of a main package (e.g. "./cmd/server"), or remove targets.image.options if this project is a library`,
    );
    this.name = 'NotMainPackageError';
  }
}

/**
 * Checks, before go build runs, that `main` (relative to the project root) is a main
 * package. A directory with no Go files is left to go build, whose message says so.
 */
export function checkMainPackage(
  project: string,
  workspaceRoot: string,
  projectRoot: string,
  main: string,
): void {
  const directory = join(projectRoot, main);
  const name = goPackageName(join(workspaceRoot, directory));
  if (name !== undefined && name !== 'main')
    throw new NotMainPackageError(project, directory, name);
}
