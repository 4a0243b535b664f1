import { parsePrometheusText } from '../http/prometheus-samples.js';

/**
 * The Node.js memory figures of a learner's `/metrics` (prom-client's default metrics), in bytes:
 * what `process.memoryUsage()` says inside the learner (heapTotal, heapUsed, external; external
 * includes the ArrayBuffers, i.e. Buffers) and the committed size of V8's main heap spaces.
 * A figure the text does not hold is null.
 */
export interface NodeMemoryMetrics {
  /** V8 heap committed (`nodejs_heap_size_total_bytes`). */
  readonly heapTotal: number | null;
  /** V8 heap in use (`nodejs_heap_size_used_bytes`). */
  readonly heapUsed: number | null;
  /** Memory outside the V8 heap held by JS objects, Buffers included (`nodejs_external_memory_bytes`). */
  readonly external: number | null;
  /** Committed size of the young generation (`nodejs_heap_space_size_total_bytes{space="new"}`). */
  readonly newSpace: number | null;
  /** Committed size of the old generation (`space="old"`). */
  readonly oldSpace: number | null;
  /** Committed size of the JIT code space (`space="code"`). */
  readonly codeSpace: number | null;
  /** Committed size of the large-object space (`space="large_object"`). */
  readonly largeObjectSpace: number | null;
}

/**
 * Reads {@link NodeMemoryMetrics} from a Prometheus text exposition (a learner's `/metrics`), whatever
 * the labels beside `space` (e.g. `learner_id`).
 *
 * @param text - the `/metrics` body
 * @example
 * nodeMemoryOfMetrics('nodejs_heap_size_total_bytes{learner_id="a"} 1048576\n').heapTotal // 1048576
 */
export function nodeMemoryOfMetrics(text: string): NodeMemoryMetrics {
  const samples = parsePrometheusText(text);
  const value = (name: string, space?: string): number | null => {
    const s = samples.find((x) => x.name === name && (space === undefined || x.labels.space === space));
    return s === undefined || !Number.isFinite(s.value) ? null : s.value;
  };
  const space = (name: string): number | null => value('nodejs_heap_space_size_total_bytes', name);
  return {
    heapTotal: value('nodejs_heap_size_total_bytes'),
    heapUsed: value('nodejs_heap_size_used_bytes'),
    external: value('nodejs_external_memory_bytes'),
    newSpace: space('new'),
    oldSpace: space('old'),
    codeSpace: space('code'),
    largeObjectSpace: space('large_object'),
  };
}
