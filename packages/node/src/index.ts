export { start, shutdown, report } from './start';
export type { EsmHookMode, QueryLensNodeOptions, TracesExporterName, MetricsExporterName } from './types';
export { DropCountingBatchSpanProcessor } from './export/DropCountingBatchSpanProcessor';
export type { DropCountingBatchSpanProcessorOptions } from './export/DropCountingBatchSpanProcessor';
