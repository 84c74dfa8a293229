import { diag } from '@opentelemetry/api';
import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  osDetector,
  processDetector,
  serviceInstanceIdDetector,
  type Resource,
} from '@opentelemetry/resources';

/**
 * The resource NodeSDK would detect by default (service instance, process, host, os,
 * then `OTEL_SERVICE_NAME`/`OTEL_RESOURCE_ATTRIBUTES`, which win), with its async
 * attributes (host id) settled right away: otherwise every Prometheus scrape before
 * the first trace export logs "Accessing resource attributes before async attributes
 * settled".
 */
export function detectDefaultResource(): Resource {
  const resource = defaultResource().merge(
    detectResources({ detectors: [serviceInstanceIdDetector, processDetector, hostDetector, osDetector, envDetector] }),
  );
  resource.waitForAsyncAttributes?.().catch((err: unknown) => diag.debug(`@querylens/node: resource detection: ${String(err)}`));
  return resource;
}
