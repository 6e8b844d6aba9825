import type { ProjectGraph } from '@nx/devkit';

/**
 * The roots of a project and of every project it depends on, transitively, in the
 * project graph (for Go apps these are the Go import edges crossdock adds).
 */
export function dependencyClosureRoots(graph: ProjectGraph, project: string): string[] {
  const seen = new Set<string>([project]);
  const queue = [project];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const dependency of graph.dependencies[current] ?? []) {
      if (graph.nodes[dependency.target] && !seen.has(dependency.target)) {
        seen.add(dependency.target);
        queue.push(dependency.target);
      }
    }
  }
  return [...seen].map((name) => graph.nodes[name].data.root).sort();
}
