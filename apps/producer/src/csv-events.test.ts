import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvLayout, DecodedEvent } from '@logit-stream/core';
import { describe, expect, it } from 'vitest';
import { csvEvents, csvRowToEvent } from './csv-events.js';
import { ProducerError } from './producer-error.js';
import type { EventItem } from './produced-event.js';

describe('csvRowToEvent', () => {
  const layout = CsvLayout.fromHeader('a,label,b,c');
  const scratch = new DecodedEvent(3);

  it('maps a row to a SPEC §2 event: row-N id, dense features in column order (zeros kept), the label', () => {
    expect(csvRowToEvent('0.5,1,0,-2.25', layout, 7, scratch, 1234)).toEqual({
      event: { id: 'row-7', ts: 1234, features: [0.5, 0, -2.25], label: 1 },
    });
    expect(csvRowToEvent('1e-3,0,3,4\r', layout, 8, scratch)).toEqual({ event: { id: 'row-8', features: [0.001, 3, 4], label: 0 } });
  });

  it('an empty label cell is an unlabelled event; a soft label stays soft', () => {
    expect(csvRowToEvent('1,,2,3', layout, 1, scratch).event?.label).toBeNull();
    expect(csvRowToEvent('1,0.85,2,3', layout, 1, scratch).event?.label).toBe(0.85);
  });

  it('skips a bad row with the reason naming the row and the column', () => {
    const r = csvRowToEvent('1,1,abc,3', layout, 12, scratch);
    expect(r.event).toBeUndefined();
    expect(r.skipped).toMatch(/12/);
    expect(r.skipped).toMatch(/b/);
    expect(csvRowToEvent('1,1,2', layout, 13, scratch).skipped).toBeDefined(); // a cell short
    expect(csvRowToEvent('1,7,2,3', layout, 14, scratch).skipped).toBeDefined(); // label outside [0,1]
  });

  it('round-trips through JSON to the same numbers (what goes on the topic)', () => {
    const r = csvRowToEvent('0.1,1,0.30000000000000004,1e300', layout, 1, scratch);
    expect(JSON.parse(JSON.stringify(r.event))).toEqual({ id: 'row-1', features: [0.1, 0.30000000000000004, 1e300], label: 1 });
  });
});

describe('csvEvents', () => {
  const dir = mkdtempSync(join(tmpdir(), 'producer-csv-'));

  async function collect(path: string, labelColumn?: string): Promise<EventItem[]> {
    const out: EventItem[] = [];
    for await (const item of csvEvents(path, { clock: null, ...(labelColumn === undefined ? {} : { labelColumn }) })) out.push(item);
    return out;
  }

  it('reads the file in order, numbering data rows from 1, ignoring blank lines', async () => {
    const path = join(dir, 'ok.csv');
    writeFileSync(path, 'x1,x2,y\n1,2,1\n\n3,4,0\nbad,5,1\n5,6,1\n');
    const items = await collect(path, 'y');
    expect(items.map((i) => i.event?.id ?? 'skip')).toEqual(['row-1', 'row-2', 'skip', 'row-4']);
    expect(items[1].event).toEqual({ id: 'row-2', features: [3, 4], label: 0 });
  });

  it('fails clearly on a missing label column and on a missing file', async () => {
    const path = join(dir, 'nolabel.csv');
    writeFileSync(path, 'a,b\n1,2\n');
    await expect(collect(path)).rejects.toThrow(/label column 'label' not found/);
    await expect(collect(join(dir, 'absent.csv'))).rejects.toBeInstanceOf(ProducerError);
    await expect(collect(join(dir, 'absent.csv'))).rejects.toThrow(/--input/);
  });
});
