import type { Runner } from '../../support/process/runner';
import { createBuiltinEngine } from './builtin-engine';
import type { DeflatePieceStore } from './deflate-piece-store';
import { createDockerEngine } from './docker-engine';
import type { Engine } from './engine';

/** What an engine may need from the composition root. */
export interface EngineDeps {
  readonly runner: Runner;
  /** The builtin engine's deflate pieces between builds (see deflate-piece-store.ts). */
  readonly deflatePieces?: DeflatePieceStore;
}

/**
 * Whether an engine builds from the generated Docker context (dist/context/<project>), so
 * that its image target writes the context too. The builtin engine assembles the layers
 * itself; the context target writes a context for it when one is wanted (a hand-off).
 */
export function engineReadsContext(name: 'builtin' | 'docker'): boolean {
  return name === 'docker';
}

/** The engine for a configured name (the option was validated, so the name is known). */
export function selectEngine(name: 'builtin' | 'docker', deps: EngineDeps): Engine {
  switch (name) {
    case 'builtin':
      return createBuiltinEngine(deps.deflatePieces ? { deflatePieces: deps.deflatePieces } : {});
    case 'docker':
      return createDockerEngine({ runner: deps.runner });
  }
}
