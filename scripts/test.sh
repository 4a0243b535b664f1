#!/usr/bin/env bash
# `pnpm test`: typecheck and unit tests of every package; then the integration tests on a real Kafka
# broker that infra/kafka starts (or the one KAFKA_BROKERS names); then the browser test of the live page
# in headless Chromium (installed by infra/tools/ensure-chromium.sh); then one summary line.
# Every stage runs even when an earlier one failed, so one run shows every failure.
set -uo pipefail
cd "$(dirname "$0")/.."
rm -rf packages/*/.vitest apps/*/.vitest
rc=0
turbo run typecheck test --continue --output-logs=new-only || rc=1
bash infra/kafka/kafka.sh with-test-broker -- turbo run test:int --concurrency=1 --output-logs=new-only || rc=1
turbo run test:browser --output-logs=new-only || rc=1
node scripts/test-summary.mjs || rc=1
exit "$rc"
