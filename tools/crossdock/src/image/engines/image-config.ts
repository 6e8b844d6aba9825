import type { ContainerConfig } from '@crossdock/oci';
import { DEFAULT_PATH, type ImageConfigPlan } from '../plan';

/**
 * The container config of a plan on top of a base's: the project's Env and Labels merged
 * over the base's (key by key, as Dockerfile ENV and LABEL do), everything else replaced.
 */
export function containerConfigFor(
  plan: ImageConfigPlan,
  base: ContainerConfig | undefined,
): Partial<ContainerConfig> {
  const env = new Map<string, string>();
  for (const entry of base?.Env ?? [DEFAULT_PATH]) {
    const at = entry.indexOf('=');
    env.set(at < 0 ? entry : entry.slice(0, at), at < 0 ? '' : entry.slice(at + 1));
  }
  if (!env.has('PATH')) env.set('PATH', DEFAULT_PATH.slice('PATH='.length));
  // In key order, as the generated Dockerfile's ENV lists them, so both engines agree.
  for (const [key, value] of Object.entries(plan.env).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  ))
    env.set(key, value);
  const exposed = Object.fromEntries(plan.exposedPorts.map((port) => [`${port}/tcp`, {}]));
  return {
    User: plan.user,
    Env: [...env].map(([key, value]) => `${key}=${value}`),
    Entrypoint: [...plan.entrypoint],
    // Like a Dockerfile ENTRYPOINT, setting the entrypoint clears the base's Cmd.
    Cmd: plan.cmd.length > 0 ? [...plan.cmd] : undefined,
    WorkingDir: plan.workdir,
    Labels: { ...(base?.Labels ?? {}), ...plan.labels },
    ...(plan.exposedPorts.length > 0
      ? { ExposedPorts: { ...(base?.ExposedPorts ?? {}), ...exposed } }
      : {}),
  };
}
