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

/** The engine for a configured name (the option was validated, so the name is known). */
export function selectEngine(name: 'builtin' | 'docker', deps: EngineDeps): Engine {
  switch (name) {
    case 'builtin':
      return createBuiltinEngine(deps.deflatePieces ? { deflatePieces: deps.deflatePieces } : {});
    case 'docker':
      return createDockerEngine({ runner: deps.runner });
  }
}
