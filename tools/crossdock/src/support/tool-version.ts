/** crossdock's version, as SBOMs and provenance record it. */
export const TOOL_VERSION = '0.1.0';
