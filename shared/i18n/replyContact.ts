/**
 * What a phone shows about a contact for the written reply (issue 13, finding 3): loaded with the contact section,
 * only when the person asks for a written reply, so the first screen stays within the phone's 60 KB budget.
 * The consent notice says the purpose and the retention in plain words (Decree 13/2023/NĐ-CP on personal data).
 */
import type { Dictionary } from './index.ts';

const vi = {
  legend: 'Liên hệ để nhận trả lời bằng văn bản',
  intro:
    'Nếu câu hỏi của Ông/Bà được trả lời bằng văn bản, Ủy ban nhân dân phường gửi văn bản đó tới số điện thoại hoặc địa chỉ dưới đây. Có thể để trống.',
  consent:
    'Đây là dữ liệu cá nhân (Nghị định 13/2023/NĐ-CP). Chỉ dùng để gửi văn bản trả lời cho Ông/Bà; không ai khác trong hội nghị nhìn thấy. Dữ liệu được xóa {days, plural, other {# ngày}} sau khi đã gửi xong. Ông/Bà có thể sửa hoặc xóa bất cứ lúc nào tại “Thông tin của Ông/Bà”.',
  phone: 'Số điện thoại',
  address: 'Địa chỉ nhận văn bản',
  addressHint: 'Số nhà, đường, tổ dân phố',
  badPhone:
    'Số điện thoại chỉ gồm chữ số (ít nhất 8), có thể có dấu +, khoảng trắng, dấu chấm hoặc gạch nối.',
  loading: 'Đang tải liên hệ…',
  none: 'Ông/Bà chưa để lại liên hệ.',
  save: 'Lưu liên hệ',
  saving: 'Đang lưu…',
  saved: 'Đã lưu liên hệ.',
  erase: 'Xóa liên hệ',
  erased: 'Đã xóa liên hệ.',
};

const en: typeof vi = {
  legend: 'Contact for a written reply',
  intro:
    'If your question is answered in writing, the ward People’s Committee sends the reply to the phone number or address below. You may leave it empty.',
  consent:
    'This is personal data (Decree 13/2023). It is used only to send you the written reply; nobody else at the meeting sees it. It is erased {days, plural, one {# day} other {# days}} after the reply is delivered. You can change or erase it at any time under “Your details”.',
  phone: 'Phone number',
  address: 'Postal address',
  addressHint: 'House number, street, residential group',
  badPhone: 'A phone number is digits (at least 8), optionally with a leading +, spaces, dots or dashes.',
  loading: 'Loading your contact…',
  none: 'You have left no contact.',
  save: 'Save the contact',
  saving: 'Saving…',
  saved: 'Contact saved.',
  erase: 'Erase the contact',
  erased: 'Contact erased.',
};

export default { vi: { replyContact: vi }, en: { replyContact: en } } satisfies Dictionary;
