// The image plan: what every engine, the smoke run and the publishers read. A leaf: it
// imports nothing of the plugin, so nothing it describes can depend on how it is built.
export type {
  FileSource,
  ImageConfigPlan,
  ImagePlan,
  PlatformPlan,
  RootfsFile,
} from './image-plan';
export { indexAnnotations, manifestAnnotations } from './image-plan';
export { epochToRfc3339 } from './time';
export { DEFAULT_PATH } from './defaults';
