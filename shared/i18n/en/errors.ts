/** English error messages (see ../errors.ts). */
import type { ErrorMessages } from '../errors.ts';

const en: ErrorMessages = {
  bad_request: 'Some of the information is not valid. Please check it.',
  unknown_command: 'This action is not supported. Please reload the page.',
  unauthorized: 'Your sign-in has expired or is not valid. Please sign in again.',
  forbidden: 'You are not allowed to do this.',
  not_found: 'This could not be found.',
  session_not_open: 'The meeting is not open for contributions yet.',
  session_not_live: 'The meeting has not opened yet. You can ask to speak once it is under way.',
  session_closed: 'The meeting has closed. This is no longer possible.',
  invalid_transition: 'This change of status is not possible.',
  invalid_state: 'This is not possible in the current state.',
  not_author: 'Only the person who sent it may change this.',
  already_answered: 'The question has been answered, so it can no longer be changed.',
  not_votable: 'This question cannot be voted on now.',
  hand_already_raised: 'You have already asked to speak.',
  no_floor: 'Nobody has the floor at the moment.',
  minutes_approved: 'The minutes have been approved and can no longer be changed.',
  unknown_field: 'The chosen field no longer exists. Please choose again.',
  unknown_official: 'The chosen official does not exist.',
  unknown_criterion: 'An assessment criterion does not exist. Please reload the page.',
  not_responsible: 'This question is neither in your fields nor assigned to you.',
  answerer_required: 'Please choose the official who answered.',
  due_date_required: 'Please choose the date the written answer is due.',
  authority_required: 'Please name the competent authority the recommendation goes to.',
  reason_required: 'Please say why this is outside the ward’s remit.',
  duplicate: 'This was already sent.',
  invalid_invitation: 'This invitation is not valid for this meeting. Please join with the meeting code.',
  already_carried_over: 'The open questions of that meeting were already carried over to “{title}”.',
  rate_limited: 'Too many actions in a short time. Please wait a moment and try again.',
  too_large: 'The text is too long.',
  unsupported_file:
    'This type of file cannot be used. Please choose a PNG, JPEG or WebP image or a PDF file.',
  conflict: 'Something changed at the same moment. Please try again.',
  internal: 'Something went wrong on the server. Please try again later.',
  network: 'Cannot reach the server. Please check the connection and try again.',
  timeout: 'The server is slow to answer. Please try again.',
  unknown: 'Something went wrong. Please try again.',
};

export default { error: en };
