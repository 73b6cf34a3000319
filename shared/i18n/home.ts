/** The home page: type the meeting code, or go to the staff's surfaces. Loaded with the home page only. */
import type { Dictionary } from './index.ts';

const vi = {
  title: 'Tham dự hội nghị',
  intro:
    'Quét mã QR trên màn hình lớn, hoặc nhập mã tham dự để gửi câu hỏi, ủng hộ câu hỏi và đăng ký phát biểu.',
  codeLabel: 'Mã tham dự',
  codeHint: 'Mã gồm chữ và số, in trên màn hình và giấy mời.',
  join: 'Vào hội nghị',
  codeInvalid: 'Vui lòng nhập mã tham dự (4–12 chữ và số).',
  staff: 'Dành cho cán bộ',
};

export type HomeMessages = typeof vi;

export default {
  vi: { home: vi },
  en: () => import('./en/home.ts'),
} satisfies Dictionary;
