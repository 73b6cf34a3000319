/**
 * socket.io room names: one per audience of a session, one per participant of a session for their own view. Every
 * name includes the session: a handle is unique within its session only, and an attendee token is bound to one.
 */
export const rooms = {
  staff: (sessionId: string) => `s:${sessionId}:staff`,
  attendees: (sessionId: string) => `s:${sessionId}:attendee`,
  screen: (sessionId: string) => `s:${sessionId}:screen`,
  participant: (sessionId: string, participantId: string) => `s:${sessionId}:p:${participantId}`,
};
