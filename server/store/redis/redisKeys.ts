/**
 * Key layout. The session id sits in a hash tag (`{…}`) so that a session's stream, command ids and snapshot share a
 * slot, which a Lua script touching them together needs if we ever move to Redis Cluster. The append script also
 * adds to the global session set, so today the store expects a single primary (with replicas/AOF), not a cluster.
 */
const PREFIX = 'db';

export const redisKeys = {
  sessions: `${PREFIX}:sessions`,
  events: (sessionId: string) => `${PREFIX}:s:{${sessionId}}:events`,
  commands: (sessionId: string) => `${PREFIX}:s:{${sessionId}}:commands`,
  snapshot: (sessionId: string) => `${PREFIX}:s:{${sessionId}}:snapshot`,
  /** Written before a WAIT that must also cover an earlier write of another connection (RedisEventStore). */
  waitFence: (sessionId: string) => `${PREFIX}:s:{${sessionId}}:fence`,
  documents: (collection: string) => `${PREFIX}:doc:{${collection}}`,
  ydocUpdates: (docName: string) => `${PREFIX}:y:{${docName}}:updates`,
  /** Counts the compactions of a document: a compaction based on an older load is skipped (RedisYDocStore). */
  ydocEpoch: (docName: string) => `${PREFIX}:y:{${docName}}:epoch`,
  /** Present once the document is sealed (approved): appends are refused (RedisYDocStore). */
  ydocSealed: (docName: string) => `${PREFIX}:y:{${docName}}:sealed`,
};
