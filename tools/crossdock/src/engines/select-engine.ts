import { builtinEngine } from './builtin-engine';
import type { Engine } from './engine';

/** The engine for a configured name (the option was validated, so the name is known). */
export function selectEngine(name: 'builtin' | 'docker'): Engine {
  switch (name) {
    case 'builtin':
      return builtinEngine;
    case 'docker':
      throw new Error('the docker engine is not available yet');
  }
}
