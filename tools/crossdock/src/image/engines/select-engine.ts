import type { Runner } from '../../support/process/runner';
import { builtinEngine } from './builtin-engine';
import { createDockerEngine } from './docker-engine';
import type { Engine } from './engine';

/** What an engine may need from the composition root. */
export interface EngineDeps {
  readonly runner: Runner;
}

/** The engine for a configured name (the option was validated, so the name is known). */
export function selectEngine(name: 'builtin' | 'docker', deps: EngineDeps): Engine {
  switch (name) {
    case 'builtin':
      return builtinEngine;
    case 'docker':
      return createDockerEngine({ runner: deps.runner });
  }
}
