/** A SPEC §2 event as the producer publishes it (JSON value; the key is `id`). */
export interface ProducedEvent {
  id: string;
  ts?: number;
  features: number[] | Record<string, number>;
  label: number | null;
  trusted?: boolean;
  sourceLabel?: number;
}

/** One item of an event stream: an event to send, or an input row that was skipped and why. */
export type EventItem = { readonly event: ProducedEvent; readonly skipped?: undefined } | { readonly event?: undefined; readonly skipped: string };
