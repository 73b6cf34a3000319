/** socket.io room names: one per audience of a session, one per participant for their own view. */
export const rooms = {
  staff: (sessionId: string) => `s:${sessionId}:staff`,
  attendees: (sessionId: string) => `s:${sessionId}:attendee`,
  screen: (sessionId: string) => `s:${sessionId}:screen`,
  participant: (participantId: string) => `p:${participantId}`,
};
