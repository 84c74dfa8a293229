import { diag } from '@opentelemetry/api';
import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  osDetector,
  processDetector,
  serviceInstanceIdDetector,
  type DetectedResource,
  type ResourceDetector,
  type Resource,
} from '@opentelemetry/resources';

/**
 * Process attributes never exported: the command line can carry data
 * (`--student "Alice Smith" --ssn 078-05-1120`), the executable path and the owner name a
 * person. `process.executable.name`, `process.pid`, `process.runtime.*` and `process.command` stay.
 */
export const DROPPED_PROCESS_ATTRIBUTES = ['process.command_args', 'process.command_line', 'process.executable.path', 'process.owner'];

/** The SDK's process detector without {@link DROPPED_PROCESS_ATTRIBUTES}. */
export const safeProcessDetector: ResourceDetector = {
  detect(config): DetectedResource {
    const detected = processDetector.detect(config);
    const attributes = { ...detected.attributes };
    for (const key of DROPPED_PROCESS_ATTRIBUTES) delete attributes[key];
    return { ...detected, attributes };
  },
};

/**
 * The resource NodeSDK would detect by default (service instance, process without its
 * command line (see {@link DROPPED_PROCESS_ATTRIBUTES}), host, os,
 * then `OTEL_SERVICE_NAME`/`OTEL_RESOURCE_ATTRIBUTES`, which win), with its async
 * attributes (host id) settled right away: otherwise every Prometheus scrape before
 * the first trace export logs "Accessing resource attributes before async attributes
 * settled".
 */
export function detectDefaultResource(): Resource {
  const resource = defaultResource().merge(
    detectResources({ detectors: [serviceInstanceIdDetector, safeProcessDetector, hostDetector, osDetector, envDetector] }),
  );
  resource.waitForAsyncAttributes?.().catch((err: unknown) => diag.debug(`@querylens/node: resource detection: ${String(err)}`));
  return resource;
}
