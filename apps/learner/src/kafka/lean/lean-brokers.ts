import {
  Connection,
  findCoordinatorV6,
  metadataV12,
  protocolErrorsCodesById,
  type ConnectionOptions,
  type Reader,
  type ResponseParser,
  type SASLOptions,
  type Writer,
} from '@platformatic/kafka';
import { explainConnectError } from '../explain-connect-error.js';
import { KafkaAdapterError } from '../kafka-adapter-error.js';
import { isAuthFailure, reasonOf } from '../reason-of.js';
import { toTlsOptions } from '../kafka-client.js';
import type { KafkaConnectionConfig } from '../kafka-config.js';
import type { StructuredLogger } from '../structured-logger.js';

/** The part of {@link KafkaConnectionConfig} the broker registry uses. */
export type LeanBrokersConfig = Pick<KafkaConnectionConfig, 'brokers' | 'sasl' | 'tls' | 'connectionTimeoutMs' | 'requestTimeoutMs'>;

/** A broker's address from the metadata. */
export interface LeanBrokerAddress {
  readonly host: string;
  readonly port: number;
}

/** One partition of a topic in {@link LeanMetadata}. */
export interface LeanPartitionMetadata {
  readonly partition: number;
  /** The leader's node id (−1: none right now). */
  readonly leaderId: number;
  readonly leaderEpoch: number;
  /** The metadata's error code for the partition (0: none; e.g. 5 LEADER_NOT_AVAILABLE). */
  readonly errorCode: number;
}

/** One topic in {@link LeanMetadata}. */
export interface LeanTopicMetadata {
  readonly name: string;
  /** The topic id as platformatic spells UUIDs (`8-4-4-4-12` hex); all zeros when the topic is unknown. */
  readonly topicId: string;
  /** The metadata's error code for the topic (0: none; 3 UNKNOWN_TOPIC_OR_PARTITION, 29 TOPIC_AUTHORIZATION_FAILED …). */
  readonly errorCode: number;
  /** By partition index, ascending. */
  readonly partitions: readonly LeanPartitionMetadata[];
}

/** The answer of {@link LeanBrokers.metadata}. */
export interface LeanMetadata {
  /** Node id → address, every broker of the cluster. */
  readonly brokers: ReadonlyMap<number, LeanBrokerAddress>;
  /** Topic name → topic, for each topic asked for (also those with an error code). */
  readonly topics: ReadonlyMap<string, LeanTopicMetadata>;
}

/** The brokers of a cluster, their connections and the group coordinators; see {@link createLeanBrokers}. */
export interface LeanBrokers {
  /** A connection to some broker: an open one, else the bootstrap brokers in order, then the known nodes. */
  any(): Promise<Connection>;
  /** The connection to broker `nodeId` (from the metadata), opened once and reused; re-opened after a close. */
  node(nodeId: number): Promise<Connection>;
  /** Metadata v12 of `topics` (never auto-creates them); also refreshes the node addresses and the topic-id index. */
  metadata(topics: readonly string[]): Promise<LeanMetadata>;
  /**
   * The last {@link metadata} answer for the same topic list if it is younger than `maxAgeMs`
   * (default 300 000, the Java client's metadata.max.age.ms) and had no topic or partition error
   * and a leader everywhere; else a fresh one. For the fetch loop: call {@link forgetMetadata}
   * after NOT_LEADER_OR_FOLLOWER, FENCED_LEADER_EPOCH, UNKNOWN_TOPIC_OR_PARTITION … answers.
   */
  cachedMetadata(topics: readonly string[], maxAgeMs?: number): Promise<LeanMetadata>;
  /** Makes the next {@link cachedMetadata} ask the broker. */
  forgetMetadata(): void;
  /** The name of a topic id seen in any earlier {@link metadata} answer, or undefined. */
  topicName(topicId: string): string | undefined;
  /**
   * A connection to the coordinator of group `groupId` (FindCoordinator v6, cached). The connection is
   * its own, not the one {@link node} hands out, so heartbeats never wait behind a long-polling fetch.
   */
  coordinator(groupId: string): Promise<Connection>;
  /** Forgets the cached coordinator of `groupId` (after NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE) and closes its connection. */
  forgetCoordinator(groupId: string): void;
  /**
   * Sends one request and resolves with the parsed response. On a network error or timeout the
   * connection is dropped (the next `node`/`coordinator` opens a new one) and the promise rejects.
   */
  request<T>(conn: Connection, apiKey: number, version: number, payload: Writer, parse: ResponseParser<T>): Promise<T>;
  /** Closes every connection; later calls reject with KafkaAdapterError `closed`. */
  close(): Promise<void>;
}

/** The SASL mechanism names of @platformatic/kafka, by this package's setting. */
export const SASL_NAMES = { plain: 'PLAIN', 'scram-sha-256': 'SCRAM-SHA-256', 'scram-sha-512': 'SCRAM-SHA-512' } as const;

/**
 * @platformatic/kafka connection options from the connection settings: timeouts, SASL, and TLS with
 * the broker's host name as SNI (Node sends none without it; SNI-routing endpoints such as cloud
 * brokers or Kubernetes passthrough routes need it, and kafkajs sends it too). Shared by the lean
 * sink and the lean consumer's registry.
 *
 * @param config the connection settings
 * @param requestTimeoutMs how long one request may take
 * @param maxInflights requests in flight per connection
 * @example
 * new Connection('learner', leanConnectionOptions(config, config.requestTimeoutMs, 5));
 */
export function leanConnectionOptions(config: LeanBrokersConfig, requestTimeoutMs: number, maxInflights: number): ConnectionOptions {
  const tls = toTlsOptions(config as KafkaConnectionConfig);
  const sasl: SASLOptions | undefined =
    config.sasl === null ? undefined : { mechanism: SASL_NAMES[config.sasl.mechanism], username: config.sasl.username, password: config.sasl.password.reveal() };
  return {
    connectTimeout: config.connectionTimeoutMs,
    requestTimeout: requestTimeoutMs,
    maxInflights,
    ...(tls === undefined ? {} : { tls, tlsServerName: true }),
    ...(sasl === undefined ? {} : { sasl }),
  };
}
const API_METADATA = 3;
const API_FIND_COORDINATOR = 10;
const COORDINATOR_KEY_GROUP = 0;
const NOT_COORDINATOR = 16;
const COORDINATOR_NOT_AVAILABLE = 15;
const COORDINATOR_LOAD_IN_PROGRESS = 14;
const GROUP_AUTHORIZATION_FAILED = 30;

/**
 * The name of a Kafka error code, e.g. `NOT_COORDINATOR` for 16, or `error code 999`.
 *
 * @example
 * kafkaErrorName(25); // 'UNKNOWN_MEMBER_ID'
 */
export const kafkaErrorName = (code: number): string => (protocolErrorsCodesById as Record<number, string | undefined>)[code] ?? `error code ${code}`;

/**
 * A platformatic response parser that returns the decoded response also when it carries error codes
 * (the callers read them field by field) instead of throwing platformatic's ResponseError.
 *
 * @param parse a platformatic `parseResponse`
 * @example
 * const parseMetadata = lenientParser(metadataV12.parseResponse);
 */
export function lenientParser<T>(parse: (c: number, k: number, v: number, r: Reader) => T): ResponseParser<T> {
  return (c, k, v, r) => {
    try {
      return parse(c, k, v, r);
    } catch (e) {
      const response = (e as { response?: T }).response;
      if (response !== undefined) return response;
      throw e;
    }
  };
}



/**
 * Parses `host:port` (IPv6 in brackets) as the connection config spells brokers.
 *
 * @example
 * parseBrokerAddress('[::1]:9092'); // { host: '::1', port: 9092 }
 */
export function parseBrokerAddress(b: string): LeanBrokerAddress {
  const i = b.lastIndexOf(':');
  return { host: b.slice(0, i).replace(/^\[(.*)\]$/, '$1'), port: Number(b.slice(i + 1)) };
}

const parseMetadata = lenientParser(metadataV12.parseResponse);
const parseFindCoordinator = lenientParser(findCoordinatorV6.parseResponse);

/**
 * `conn.send` as a promise. A request that fails in transport or times out leaves platformatic's
 * connection in an unknown state (a late answer would be read as the next one's), so the socket is
 * destroyed before the promise rejects with the error as given; the owner of the connection opens a
 * new one. A KafkaAdapterError thrown by this package's own response parser (a malformed answer,
 * read whole) leaves the connection as it is.
 *
 * @param conn an open connection
 * @param apiKey the request's API key
 * @param version its version
 * @param payload the encoded request body
 * @param parse the response parser
 * @example
 * const md = await sendRequest(conn, 3, 12, metadataV12.createRequest(topics, false, false), parseMetadata);
 */
export function sendRequest<T>(conn: Connection, apiKey: number, version: number, payload: Writer, parse: ResponseParser<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    conn.send(apiKey, version, () => payload, parse, true, true, (error, response) => {
      if (error === null || error === undefined) {
        resolve(response as T);
        return;
      }
      if (!(error instanceof KafkaAdapterError)) {
        try {
          conn.socket?.destroy();
        } catch {
          // not connected: nothing to destroy
        }
      }
      reject(error);
    });
  });
}

/** Whether a connection is open or on its way (else a new one is needed). */
export const isOpen = (conn: Connection): boolean => {
  const s = conn.status;
  return s === 'connected' || s === 'connecting' || s === 'authenticating' || s === 'reauthenticating';
};

/**
 * The broker registry of the lean consumer: connections over @platformatic/kafka's `Connection`
 * (framing, correlation ids, TLS with the broker's host name as SNI, SASL PLAIN/SCRAM) made from
 * the same settings as the lean sink, one per broker node and reused, Metadata v12 (topic ids,
 * leaders and leader epochs) and FindCoordinator v6 for groups (cached until forgotten).
 *
 * - A connection that closes or fails a request is forgotten; the next `node(id)` opens a new one.
 * - A first connection that fails becomes explainConnectError's KafkaAdapterError (`connect-failed`
 *   retriable, `auth-failed` / `tls-failed` not).
 * - `coordinator(groupId)` retries COORDINATOR_NOT_AVAILABLE / COORDINATOR_LOAD_IN_PROGRESS /
 *   NOT_COORDINATOR answers of FindCoordinator a few times (100 ms doubling, ~3 s), then rejects
 *   with `coordinator-not-available` (retriable); GROUP_AUTHORIZATION_FAILED rejects with
 *   `group-authorization-failed` (not retriable).
 *
 * @param config connection settings (brokers, SASL, TLS, timeouts), e.g. from resolveKafkaConfig
 * @param clientId the client id the broker logs and quotas see
 * @param logger where connection trouble is logged (debug/warn)
 * @example
 * const brokers = createLeanBrokers(resolveKafkaConfig({ brokers: '127.0.0.1:9092' }), 'learner', log);
 * const m = await brokers.metadata(['events']);
 * const conn = await brokers.node(m.topics.get('events')!.partitions[0].leaderId);
 * await brokers.close();
 */
export function createLeanBrokers(config: LeanBrokersConfig, clientId: string, logger: StructuredLogger): LeanBrokers {
  const connectionOptions = leanConnectionOptions(config, config.requestTimeoutMs, 5);

  const bootstrap = config.brokers.map(parseBrokerAddress);
  const nodes = new Map<number, LeanBrokerAddress>();
  const topicNames = new Map<string, string>();
  /** Open connections by key: `host:port` for bootstrap ones, `node:<id>` and `coordinator:<group>`. */
  const connections = new Map<string, { conn: Connection; ready: Promise<Connection> }>();
  const coordinators = new Map<string, { nodeId: number; host: string; port: number }>();
  /** Complete metadata answers by topic list (names joined by NUL), with when they came. */
  const answers = new Map<string, { at: number; value: LeanMetadata }>();
  let closed = false;

  const closedError = (): KafkaAdapterError => new KafkaAdapterError('closed', 'the lean broker registry was closed; create a new one');

  const connectTo = (key: string, host: string, port: number): Promise<Connection> => {
    if (closed) return Promise.reject(closedError());
    const known = connections.get(key);
    if (known !== undefined) {
      if (isOpen(known.conn)) return known.ready;
      connections.delete(key);
    }
    const conn = new Connection(clientId, connectionOptions);
    const forget = (): void => {
      if (connections.get(key)?.conn === conn) connections.delete(key);
    };
    conn.on('error', (e: unknown) => {
      logger.debug({ broker: `${host}:${port}`, err: reasonOf(e) }, 'lean consumer connection error');
      forget();
    });
    conn.on('close', forget);
    const ready = (conn.connect(host, port) as Promise<void>).then(
      () => conn,
      (e: unknown) => {
        forget();
        throw e;
      },
    );
    connections.set(key, { conn, ready });
    return ready;
  };

  const explain = (e: unknown): KafkaAdapterError => {
    if (e instanceof KafkaAdapterError) return e;
    const err = new Error(reasonOf(e), { cause: e });
    if (isAuthFailure(e)) err.name = 'KafkaJSSASLAuthenticationError'; // explainConnectError's marker of a SASL failure
    return explainConnectError(err, config as KafkaConnectionConfig, 'the Kafka consumer (lean)');
  };

  const drop = (conn: Connection): void => {
    for (const [key, entry] of connections) if (entry.conn === conn) connections.delete(key);
    try {
      conn.socket?.destroy();
    } catch {
      // not connected yet
    }
    conn.close().catch(() => {});
  };

  const request = <T>(conn: Connection, apiKey: number, version: number, payload: Writer, parse: ResponseParser<T>): Promise<T> =>
    sendRequest(conn, apiKey, version, payload, parse).catch((e: unknown) => {
      drop(conn);
      throw e;
    });

  const any = async (): Promise<Connection> => {
    if (closed) throw closedError();
    for (const entry of connections.values()) if (entry.conn.isConnected()) return entry.conn;
    let last: unknown = new Error('no broker to connect to');
    for (const b of bootstrap) {
      try {
        return await connectTo(`${b.host}:${b.port}`, b.host, b.port);
      } catch (e) {
        last = e;
      }
    }
    for (const [id, b] of nodes) {
      try {
        return await connectTo(`node:${id}`, b.host, b.port);
      } catch (e) {
        last = e;
      }
    }
    throw explain(last);
  };

  const metadata = async (topics: readonly string[]): Promise<LeanMetadata> => {
    const conn = await any();
    let m: ReturnType<typeof metadataV12.parseResponse>;
    try {
      m = await request(conn, API_METADATA, 12, metadataV12.createRequest([...topics], false, false), parseMetadata);
    } catch (e) {
      throw new KafkaAdapterError('metadata-failed', `Metadata for ${topics.join(', ')} failed: ${reasonOf(e)}; check that the broker is up (the next call connects again)`, {
        cause: e,
        retriable: true,
      });
    }
    const brokers = new Map<number, LeanBrokerAddress>();
    for (const b of m.brokers) {
      brokers.set(b.nodeId, { host: b.host, port: b.port });
      const old = nodes.get(b.nodeId);
      if (old !== undefined && (old.host !== b.host || old.port !== b.port)) {
        const e = connections.get(`node:${b.nodeId}`);
        if (e !== undefined) e.ready.then(drop, () => {});
      }
      nodes.set(b.nodeId, { host: b.host, port: b.port });
    }
    const out = new Map<string, LeanTopicMetadata>();
    for (const t of m.topics) {
      if (typeof t.name !== 'string') continue;
      if (t.errorCode === 0) topicNames.set(t.topicId, t.name);
      const partitions = t.partitions
        .map((p) => ({ partition: p.partitionIndex, leaderId: p.leaderId, leaderEpoch: p.leaderEpoch, errorCode: p.errorCode }))
        .sort((a, b) => a.partition - b.partition);
      out.set(t.name, { name: t.name, topicId: t.topicId, errorCode: t.errorCode, partitions });
    }
    const value: LeanMetadata = { brokers, topics: out };
    const listKey = topics.join('\u0000');
    let complete = true;
    for (const name of topics) {
      const t = out.get(name);
      if (t === undefined || t.errorCode !== 0 || t.partitions.some((p) => p.errorCode !== 0 || p.leaderId < 0)) complete = false;
    }
    if (complete) answers.set(listKey, { at: Date.now(), value });
    else answers.delete(listKey);
    return value;
  };

  const cachedMetadata = (topics: readonly string[], maxAgeMs = 300_000): Promise<LeanMetadata> => {
    const e = answers.get(topics.join('\u0000'));
    if (e !== undefined && Date.now() - e.at < maxAgeMs && !closed) return Promise.resolve(e.value);
    return metadata(topics);
  };

  const node = async (nodeId: number): Promise<Connection> => {
    if (closed) throw closedError();
    if (!nodes.has(nodeId)) await metadata([]);
    const b = nodes.get(nodeId);
    if (b === undefined) {
      throw new KafkaAdapterError('unknown-node', `broker node ${nodeId} is not in the cluster's metadata (nodes: ${[...nodes.keys()].join(', ') || 'none'}); refresh the metadata and use a current leader`, {
        retriable: true,
      });
    }
    try {
      return await connectTo(`node:${nodeId}`, b.host, b.port);
    } catch (e) {
      throw explain(e);
    }
  };

  const findCoordinator = async (groupId: string): Promise<{ nodeId: number; host: string; port: number }> => {
    let last = '';
    for (let attempt = 0; attempt < 6; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 100 * 2 ** (attempt - 1)));
      const conn = await any();
      let r: ReturnType<typeof findCoordinatorV6.parseResponse>;
      try {
        r = await request(conn, API_FIND_COORDINATOR, 6, findCoordinatorV6.createRequest(COORDINATOR_KEY_GROUP, [groupId]), parseFindCoordinator);
      } catch (e) {
        last = reasonOf(e);
        continue;
      }
      const c = r.coordinators.find((x) => x.key === groupId) ?? r.coordinators[0];
      if (c === undefined) {
        last = 'the broker answered without a coordinator';
        continue;
      }
      if (c.errorCode === 0) return { nodeId: c.nodeId, host: c.host, port: c.port };
      const detail = c.errorMessage === null || c.errorMessage === '' ? '' : ` (${c.errorMessage})`;
      if (c.errorCode === GROUP_AUTHORIZATION_FAILED) {
        throw new KafkaAdapterError(
          'group-authorization-failed',
          `the broker refused access to consumer group ${JSON.stringify(groupId)}${detail}: grant this principal READ on the group (kafka-acls --add --allow-principal … --operation Read --group ${groupId})`,
          { retriable: false },
        );
      }
      last = `${kafkaErrorName(c.errorCode)}${detail}`;
      if (c.errorCode !== COORDINATOR_NOT_AVAILABLE && c.errorCode !== COORDINATOR_LOAD_IN_PROGRESS && c.errorCode !== NOT_COORDINATOR) break;
    }
    throw new KafkaAdapterError(
      'coordinator-not-available',
      `no coordinator for consumer group ${JSON.stringify(groupId)}: ${last}; the broker may still be starting (or __consumer_offsets cannot be created: check offsets.topic.replication.factor), try again`,
      { retriable: true },
    );
  };

  const coordinator = async (groupId: string): Promise<Connection> => {
    if (closed) throw closedError();
    let c = coordinators.get(groupId);
    if (c === undefined) {
      c = await findCoordinator(groupId);
      coordinators.set(groupId, c);
      nodes.set(c.nodeId, { host: c.host, port: c.port });
    }
    try {
      return await connectTo(`coordinator:${groupId}`, c.host, c.port);
    } catch (e) {
      coordinators.delete(groupId);
      throw explain(e);
    }
  };

  const forgetCoordinator = (groupId: string): void => {
    coordinators.delete(groupId);
    const e = connections.get(`coordinator:${groupId}`);
    if (e !== undefined) {
      connections.delete(`coordinator:${groupId}`);
      e.ready.then((conn) => conn.close(), () => {}).catch(() => {});
    }
  };

  const close = async (): Promise<void> => {
    closed = true;
    const open = [...connections.values()];
    connections.clear();
    coordinators.clear();
    answers.clear();
    await Promise.all(open.map((e) => e.ready.then((conn) => conn.close(), () => {}).catch(() => {})));
  };

  return {
    any,
    node,
    metadata,
    cachedMetadata,
    forgetMetadata: () => answers.clear(),
    topicName: (id) => topicNames.get(id),
    coordinator,
    forgetCoordinator,
    request,
    close,
  };
}
