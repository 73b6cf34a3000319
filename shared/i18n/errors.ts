/**
 * A message for every code in shared/domain/errors.ts ERROR_CODES, written for the person who caused it. Messages
 * take no ICU arguments: `params` of an error are optional and English-valued, and a missing argument would
 * break the message. The test in tests/unit/i18n.test.ts fails when a code is missing here.
 */
import type { ErrorCode } from '../domain/errors.ts';
import type { Dictionary } from './index.ts';

export type ErrorMessages = Record<ErrorCode | 'network' | 'timeout' | 'unknown', string>;

const vi: ErrorMessages = {
  bad_request: 'Thông tin chưa hợp lệ. Vui lòng kiểm tra lại.',
  unknown_command: 'Thao tác này không được hỗ trợ. Vui lòng tải lại trang.',
  unauthorized: 'Lượt đăng nhập đã hết hạn hoặc không hợp lệ. Vui lòng vào lại.',
  forbidden: 'Tài khoản này không có quyền thực hiện việc này.',
  not_found: 'Không tìm thấy nội dung này.',
  session_not_open: 'Hội nghị chưa mở để nhận ý kiến.',
  session_not_live: 'Hội nghị chưa khai mạc. Ông/Bà có thể đăng ký phát biểu khi hội nghị diễn ra.',
  session_closed: 'Hội nghị đã bế mạc. Việc này không còn thực hiện được.',
  invalid_transition: 'Không thể chuyển sang trạng thái này.',
  invalid_state: 'Không thể thực hiện thao tác này ở trạng thái hiện tại.',
  not_author: 'Chỉ người gửi mới có thể thay đổi nội dung này.',
  already_answered: 'Câu hỏi đã được trả lời nên không thể thay đổi.',
  not_votable: 'Câu hỏi này hiện không thể ủng hộ.',
  hand_already_raised: 'Ông/Bà đã đăng ký phát biểu rồi.',
  no_floor: 'Hiện không có ai đang phát biểu.',
  minutes_approved: 'Biên bản đã được duyệt, không thể sửa.',
  unknown_field: 'Lĩnh vực đã chọn không còn tồn tại. Vui lòng chọn lại.',
  unknown_official: 'Cán bộ đã chọn không tồn tại.',
  unknown_criterion: 'Tiêu chí đánh giá không tồn tại. Vui lòng tải lại trang.',
  not_responsible:
    'Câu hỏi này không thuộc lĩnh vực được phân công phụ trách và không được giao cho tài khoản này.',
  answerer_required: 'Vui lòng chọn cán bộ đã trả lời.',
  due_date_required: 'Vui lòng chọn hạn trả lời bằng văn bản.',
  authority_required: 'Vui lòng ghi cơ quan có thẩm quyền được kiến nghị.',
  reason_required: 'Vui lòng ghi lý do nội dung không thuộc thẩm quyền của phường.',
  duplicate: 'Nội dung này đã được gửi trước đó.',
  invalid_invitation: 'Giấy mời này không dùng được cho hội nghị này. Xin Ông/Bà tham gia bằng mã hội nghị.',
  already_carried_over: 'Các câu hỏi còn mở của kỳ này đã được chuyển sang hội nghị “{title}”.',
  rate_limited: 'Gửi quá nhanh. Xin vui lòng chờ một chút rồi thử lại.',
  too_large: 'Nội dung quá dài.',
  unsupported_file: 'Tệp không đúng loại. Xin chọn ảnh PNG, JPEG, WebP hoặc tệp PDF.',
  conflict: 'Có thay đổi cùng lúc. Vui lòng thử lại.',
  internal: 'Hệ thống gặp sự cố. Vui lòng thử lại sau.',
  network: 'Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.',
  timeout: 'Máy chủ phản hồi chậm. Vui lòng thử lại.',
  unknown: 'Đã có lỗi xảy ra. Vui lòng thử lại.',
};

export default {
  vi: { error: vi },
  // English is loaded when someone picks it: the attendee's phone downloads only Vietnamese up front.
  en: () => import('./en/errors.ts'),
} satisfies Dictionary;
