// Readiness probe for kafka.sh: real admin round trips (Metadata via describeCluster, then
// FindCoordinator + DescribeGroups) against the broker given as argv[2], with short timeouts. Exit 0 when the broker answers with at least one
// broker and a controller, 1 otherwise, 2 when kafkajs cannot be loaded (then kafka.sh falls back to
// a raw ApiVersions request). kafkajs is resolved from apps/learner, which depends on it.
// PROBE_SASL_MECHANISM / PROBE_SASL_USERNAME / PROBE_SASL_PASSWORD: authenticate (a SASL broker);
// PROBE_TLS_CA_FILE: connect with TLS trusting that CA (a TLS broker).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const broker = process.argv[2];
let kafkajs;
try {
  kafkajs = createRequire(new URL('../../apps/learner/package.json', import.meta.url))('kafkajs');
} catch {
  process.exit(2);
}
const { Kafka, logLevel } = kafkajs;
const kafka = new Kafka({
  clientId: 'kafka-sh-probe',
  brokers: [broker],
  connectionTimeout: 1000,
  requestTimeout: 2000,
  retry: { retries: 0 },
  logLevel: logLevel.NOTHING,
  // A SASL broker (kafka.sh up --sasl): credentials from the environment, never from the command line.
  // A TLS broker (kafka.sh up --tls): trust the instance's own CA.
  ...(process.env.PROBE_TLS_CA_FILE ? { ssl: { ca: [readFileSync(process.env.PROBE_TLS_CA_FILE)] } } : {}),
  ...(process.env.PROBE_SASL_MECHANISM
    ? { sasl: { mechanism: process.env.PROBE_SASL_MECHANISM, username: process.env.PROBE_SASL_USERNAME ?? '', password: process.env.PROBE_SASL_PASSWORD ?? '' } }
    : {}),
});
const admin = kafka.admin();
const timer = setTimeout(() => process.exit(1), 4000);
try {
  await admin.connect();
  const cluster = await admin.describeCluster();
  // The group coordinator too: the first FindCoordinator creates __consumer_offsets, and until it
  // is loaded consumers get "coordinator not available/loading". Ready means groups work.
  await admin.describeGroups(['kafka-sh-probe']);
  await admin.disconnect();
  clearTimeout(timer);
  if (cluster.brokers.length > 0 && cluster.controller !== null && cluster.controller !== undefined) {
    process.stdout.write(`cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s), controller ${cluster.controller}\n`);
    process.exit(0);
  }
  process.exit(1);
} catch {
  process.exit(1);
}
