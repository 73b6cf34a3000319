/**
 * A message for every code in shared/domain/errors.ts ERROR_CODES, written for the person who caused it. Messages
 * take no ICU arguments: `params` of an error are optional and English-valued, and a missing argument would
 * break the message. The test in tests/unit/i18n.test.ts fails when a code is missing here.
 */
import type { ErrorCode } from '../domain/errors.ts';
import type { Dictionary } from './index.ts';

type ErrorMessages = Record<ErrorCode | 'network' | 'timeout' | 'unknown', string>;

const vi: ErrorMessages = {
  bad_request: 'Thông tin chưa hợp lệ. Vui lòng kiểm tra lại.',
  unknown_command: 'Thao tác này không được hỗ trợ. Vui lòng tải lại trang.',
  unauthorized: 'Phiên đăng nhập đã hết hạn hoặc không hợp lệ. Vui lòng vào lại.',
  forbidden: 'Bạn không có quyền thực hiện thao tác này.',
  not_found: 'Không tìm thấy nội dung này.',
  session_not_open: 'Hội nghị chưa mở để nhận ý kiến.',
  session_not_live: 'Hội nghị chưa bắt đầu. Bạn có thể đăng ký phát biểu khi hội nghị diễn ra.',
  session_closed: 'Hội nghị đã kết thúc. Thao tác này không còn thực hiện được.',
  invalid_transition: 'Không thể chuyển sang trạng thái này.',
  invalid_state: 'Không thể thực hiện thao tác này ở trạng thái hiện tại.',
  not_author: 'Chỉ người gửi mới có thể thay đổi nội dung này.',
  already_answered: 'Câu hỏi đã được trả lời nên không thể thay đổi.',
  not_votable: 'Câu hỏi này hiện không thể bình chọn.',
  hand_already_raised: 'Bạn đã đăng ký phát biểu rồi.',
  no_floor: 'Hiện không có ai đang phát biểu.',
  minutes_approved: 'Biên bản đã được duyệt, không thể sửa.',
  unknown_field: 'Lĩnh vực đã chọn không còn tồn tại. Vui lòng chọn lại.',
  unknown_official: 'Cán bộ đã chọn không tồn tại.',
  unknown_criterion: 'Tiêu chí đánh giá không tồn tại. Vui lòng tải lại trang.',
  duplicate: 'Nội dung này đã được gửi trước đó.',
  rate_limited: 'Bạn thao tác quá nhanh. Vui lòng chờ một chút rồi thử lại.',
  too_large: 'Nội dung quá dài.',
  conflict: 'Có thay đổi cùng lúc. Vui lòng thử lại.',
  internal: 'Hệ thống gặp sự cố. Vui lòng thử lại sau.',
  network: 'Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.',
  timeout: 'Máy chủ phản hồi chậm. Vui lòng thử lại.',
  unknown: 'Đã có lỗi xảy ra. Vui lòng thử lại.',
};

const en: ErrorMessages = {
  bad_request: 'Some of the information is not valid. Please check it.',
  unknown_command: 'This action is not supported. Please reload the page.',
  unauthorized: 'Your sign-in has expired or is not valid. Please sign in again.',
  forbidden: 'You are not allowed to do this.',
  not_found: 'This could not be found.',
  session_not_open: 'The meeting is not open for contributions yet.',
  session_not_live: 'The meeting has not started yet. You can ask to speak once it is under way.',
  session_closed: 'The meeting has ended. This is no longer possible.',
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
  duplicate: 'This was already sent.',
  rate_limited: 'Too many actions in a short time. Please wait a moment and try again.',
  too_large: 'The text is too long.',
  conflict: 'Something changed at the same moment. Please try again.',
  internal: 'Something went wrong on the server. Please try again later.',
  network: 'Cannot reach the server. Please check the connection and try again.',
  timeout: 'The server is slow to answer. Please try again.',
  unknown: 'Something went wrong. Please try again.',
};

export default { vi: { error: vi }, en: { error: en } } satisfies Dictionary;
