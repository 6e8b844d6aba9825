import { loadSink } from './load/load-sink';
import { pushSink } from './push/push-sink';

/**
 * Every sink a built image can go to, by executor name: the one list. A new sink (a tarball,
 * a kind cluster) is a module implementing ImageSink and one line here.
 */
export const SINKS = {
  push: pushSink,
  load: loadSink,
} as const;

/** The name of a sink, as its executor is named. */
export type SinkName = keyof typeof SINKS;
