#!/usr/bin/env bash
# `pnpm test`: typecheck and unit tests of every package, then the integration tests on a real Kafka
# broker that infra/kafka starts (or the one KAFKA_BROKERS names), then one summary line.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf packages/*/.vitest apps/*/.vitest
turbo run typecheck test --continue --output-logs=new-only
bash infra/kafka/kafka.sh with-test-broker -- turbo run test:int --concurrency=1 --output-logs=new-only
node scripts/test-summary.mjs
