/** What a phone shows when it opens a personal invitation (loaded with the invitation code, after the first screen). */
import type { Dictionary } from './index.ts';

const vi = {
  for: 'Giấy mời của {salutation} {name}',
  filled: 'Thông tin trên giấy mời đã được điền sẵn. {salutation} kiểm tra rồi bấm Tham gia.',
  salutation: { ong: 'Ông', ba: 'Bà' },
  checkedIn: 'Đã ghi nhận {salutation} có mặt tại hội nghị.',
};
const en: typeof vi = {
  for: 'Invitation for {salutation} {name}',
  filled: 'The details on the invitation are filled in. {salutation}, please check them, then tap Join.',
  salutation: { ong: 'Mr', ba: 'Ms' },
  checkedIn: '{salutation} is marked present at the meeting.',
};

export default { vi: { invitePhone: vi }, en: { invitePhone: en } } satisfies Dictionary;
