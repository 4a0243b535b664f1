import { inspect } from 'node:util';

const MASK = '***';

/**
 * A secret (a SASL password) that never shows itself: `String()`, `JSON.stringify`, template strings,
 * `util.inspect` and so pino and console all print `***`. Only `reveal()` returns the value, for the
 * one place that hands it to the Kafka client.
 *
 * @example
 * const s = new SecretValue('hunter2');
 * JSON.stringify({ s }); // '{"s":"***"}'
 * s.reveal(); // 'hunter2'
 */
export class SecretValue {
  readonly #value: string;

  /** @param value the secret */
  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself: hand it to the client, never to a log. */
  reveal(): string {
    return this.#value;
  }

  /** Always `***`. */
  toString(): string {
    return MASK;
  }

  /** Always `***`, so JSON logs mask it. */
  toJSON(): string {
    return MASK;
  }

  /** Always `***`, so `util.inspect` and `console.log` mask it. */
  [inspect.custom](): string {
    return MASK;
  }
}
