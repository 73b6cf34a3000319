/**
 * Strings of written replies (issue 13, finding 3) on the office's follow-up page and the paper-form entry: reply
 * letters, deliveries, the overdue list and the consent notice for a contact. Registered by the admin surface.
 */
import type { Dictionary } from './index.ts';

const vi = {
  intro:
    'Ý kiến đã hẹn trả lời bằng văn bản. Người hỏi qua điện thoại xem câu trả lời trên ứng dụng; người gửi phiếu giấy chỉ nhận được khi Văn phòng gửi công văn trả lời — hãy ghi nhận việc gửi.',
  select: 'Chọn để phát hành công văn',
  letter: {
    title: 'Công văn trả lời ({count, plural, other {# ý kiến đã chọn}})',
    hint: 'Một công văn cho các ý kiến đã chọn của cùng một hội nghị. Số và ngày được lưu cùng câu trả lời.',
    number: 'Số công văn',
    date: 'Ngày công văn',
    signer: 'Người ký',
    issue: 'Phát hành công văn',
    issued: 'Đã phát hành công văn.',
    oneSession: 'Các ý kiến đã chọn phải thuộc cùng một hội nghị.',
    info: 'Công văn số {number} ngày {date}, {signer} ký',
    download: 'Tải công văn (DOCX)',
    downloadFailed: 'Không tải được công văn.',
  },
  delivery: {
    title: 'Gửi trả lời tới người hỏi',
    method: 'Hình thức gửi',
    date: 'Ngày gửi',
    record: 'Ghi nhận đã gửi',
    recorded: 'Đã ghi nhận việc gửi.',
    done: 'Đã gửi: {method}, ngày {date}',
    notYet: 'Chưa gửi tới người hỏi',
    paperAsker: 'Người hỏi gửi phiếu giấy: cần gửi công văn qua tổ dân phố, bưu điện hoặc trực tiếp.',
    phoneAsker: 'Người hỏi xem câu trả lời trên điện thoại.',
    contact: 'Liên hệ: {contact}',
  },
  overdue: {
    title: 'Quá hạn trả lời',
    byOfficial: 'Theo cán bộ trả lời',
    byField: 'Theo lĩnh vực',
    who: 'Cán bộ / lĩnh vực',
    count: 'Số ý kiến',
    maxDays: 'Quá hạn lâu nhất',
    days: '{days, plural, other {# ngày}}',
    none: 'Không có ý kiến nào quá hạn.',
    unassigned: 'Chưa phân công',
  },
  contact: {
    legend: 'Liên hệ để nhận trả lời bằng văn bản',
    phone: 'Số điện thoại',
    address: 'Địa chỉ nhận công văn',
    consent:
      'Dữ liệu cá nhân (Nghị định 13/2023/NĐ-CP): chỉ dùng để gửi văn bản trả lời, lưu đến khi gửi xong và thêm một thời hạn lưu trữ, sau đó bị xóa.',
    saved: 'Đã lưu liên hệ.',
    badPhone:
      'Số điện thoại chỉ gồm chữ số (ít nhất 8), có thể có dấu +, khoảng trắng, dấu chấm hoặc gạch nối.',
  },
};

const en: typeof vi = {
  intro:
    'Opinions promised a written answer. Phone askers read the answer in the app; paper-form askers get it only when the office sends the reply letter — record each delivery.',
  select: 'Select for a reply letter',
  letter: {
    title: 'Reply letter ({count, plural, one {# selected opinion} other {# selected opinions}})',
    hint: 'One letter for the selected opinions of one meeting. Its number and date are kept with the answers.',
    number: 'Letter number',
    date: 'Letter date',
    signer: 'Signed by',
    issue: 'Issue the letter',
    issued: 'Letter issued.',
    oneSession: 'The selected opinions must belong to one meeting.',
    info: 'Letter no. {number} of {date}, signed by {signer}',
    download: 'Download the letter (DOCX)',
    downloadFailed: 'The letter could not be downloaded.',
  },
  delivery: {
    title: 'Delivery to the asker',
    method: 'Delivered',
    date: 'Delivery date',
    record: 'Record the delivery',
    recorded: 'Delivery recorded.',
    done: 'Delivered: {method}, on {date}',
    notYet: 'Not yet delivered to the asker',
    paperAsker: 'Paper-form asker: send the letter through the residential group, by post or in person.',
    phoneAsker: 'The asker reads the answer on their phone.',
    contact: 'Contact: {contact}',
  },
  overdue: {
    title: 'Overdue answers',
    byOfficial: 'By answering official',
    byField: 'By field',
    who: 'Official / field',
    count: 'Opinions',
    maxDays: 'Most overdue',
    days: '{days, plural, one {# day} other {# days}}',
    none: 'No opinion is overdue.',
    unassigned: 'Not assigned',
  },
  contact: {
    legend: 'Contact for a written reply',
    phone: 'Phone number',
    address: 'Postal address',
    consent:
      'Personal data (Decree 13/2023): used only to send the written reply, kept until it is delivered plus a retention period, then erased.',
    saved: 'Contact saved.',
    badPhone: 'A phone number is digits (at least 8), optionally with a leading +, spaces, dots or dashes.',
  },
};

export default { vi: { replies: vi }, en: { replies: en } } satisfies Dictionary;
