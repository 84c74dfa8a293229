'use strict';
// Variant (b): a hand-written NodeSDK with the same instrumentations and exporters as the
// querylens register (OTLP http/protobuf behind a BatchSpanProcessor, Prometheus
// endpoint, no logs), but no querylens processors.
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { BatchSpanProcessor } = require('@opentelemetry/sdk-trace');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-proto');
const { PrometheusExporter } = require('@opentelemetry/exporter-prometheus');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg');
const { ExpressInstrumentation } = require('@opentelemetry/instrumentation-express');
const { NestInstrumentation } = require('@opentelemetry/instrumentation-nestjs-core');

const sdk = new NodeSDK({
  instrumentations: [
    new HttpInstrumentation(),
    new PgInstrumentation({ enhancedDatabaseReporting: false }),
    new ExpressInstrumentation(),
    new NestInstrumentation(),
  ],
  spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
  metricReaders: [new PrometheusExporter({ host: '127.0.0.1', port: Number(process.env.OTEL_EXPORTER_PROMETHEUS_PORT) })],
  logRecordProcessors: [],
});
sdk.start();
