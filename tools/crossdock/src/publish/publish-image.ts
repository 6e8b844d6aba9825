import { join } from 'node:path';
import { normalizeOptions } from '../options/normalize-options';
import { DIST } from '../support/workspace/dist-paths';
import type { BuiltImage, FlagSources, ImageSink, SinkContext } from './sink';

/** One sink task: the raw target options and what its executor knows. */
export interface PublishRequest<F> extends SinkContext, FlagSources {
  readonly workspaceRoot: string;
  readonly project: string;
  /** The target's options as Nx merged them (crossdock options and the sink's flags). */
  readonly raw: Readonly<Record<string, unknown>>;
  /** Builds the image to deliver when it is not dist/images/<project> (a CI cell builds its own). */
  readonly prepare?: (image: BuiltImage, flags: F) => Promise<BuiltImage>;
}

/**
 * Runs one sink for one project: normalises the options (the sink's flags set aside), reads
 * the sink's flags, locates the image (dist/images/<project>, dist/sbom/<project>, unless
 * `prepare` builds another), delivers it; false when any of that failed, said through the
 * reporter as `[project] <sink> failed: ...`.
 */
export async function publishImage<F>(
  sink: ImageSink<F>,
  request: PublishRequest<F>,
): Promise<boolean> {
  const { workspaceRoot, project, reporter } = request;
  try {
    const options = normalizeOptions(
      project,
      [{ source: `the ${sink.name} target options`, values: request.raw }],
      sink.flagKeys,
    );
    const flags = sink.readFlags(project, request.raw, options, request);
    const located: BuiltImage = {
      workspaceRoot,
      project,
      layoutDir: join(workspaceRoot, DIST.imageDir(project)),
      sbomDir: join(workspaceRoot, DIST.sbomDir(project)),
      options,
    };
    const image = request.prepare ? await request.prepare(located, flags) : located;
    await sink.deliver(image, flags, {
      env: request.env,
      runner: request.runner,
      reporter,
      credentials: request.credentials,
    });
    return true;
  } catch (error) {
    reporter.block(`[${project}] ${sink.name} failed: ${(error as Error).message}`);
    return false;
  }
}
