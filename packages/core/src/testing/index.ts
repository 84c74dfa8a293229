/** `@querylens/core/testing`: assertions on the queries a piece of code makes. */
export { captureQueries } from './captureQueries';
export type { CaptureResult } from './captureQueries';
export type { CapturedQuery } from './Capture';
export { queryLensChai } from './queryLensChai';
