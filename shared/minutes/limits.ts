/**
 * Limits of the minutes endpoint that a client must stay within, shared by the server (which enforces them) and
 * docs/protocol.md (generated from them). No Node imports here.
 */
export const MINUTES_LIMITS = {
  /**
   * The deepest a Yjs item may sit in the document, and the deepest a JSON value inside one item may be. A level is
   * one item inside another's type: a paragraph at the top is level 1, its text 2, the characters 3; a nested list
   * adds two (list, item). A real document stays far below it; 20,000 levels break every recursive reader.
   */
  nesting: 64,
  /**
   * Largest presence (awareness) state of one entry, in UTF-8 bytes of its JSON. The stock client's (name, colour,
   * role, cursor) is about 300 bytes; 4 KiB leaves room and keeps 50 viewers' presence under 200 KiB.
   */
  presenceBytes: 4_096,
  /** Longest `user.name` in a presence state, in characters (the longest account name is 100). */
  presenceName: 100,
  /**
   * Presence entries one connection may own. The stock client announces exactly one, its document's client id; a
   * second id from the same socket can only be someone else's.
   */
  presencePerConnection: 1,
} as const;
