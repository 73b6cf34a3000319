/** Strings every surface uses: the app's name, preferences, connection state, sign-in, home page, generic words. */
import type { Dictionary } from './index.ts';

const vi = {
  appName: 'Đối thoại trực tuyến',
  loading: 'Đang tải…',
  retry: 'Thử lại',
  cancel: 'Hủy',
  save: 'Lưu',
  close: 'Đóng',
  back: 'Quay lại',
  home: 'Trang chủ',
  comingSoon: 'Chức năng “{surface}” đang được xây dựng.',
  notFound: 'Không tìm thấy trang này.',
  loadFailed: 'Không tải được trang. Vui lòng kiểm tra mạng và thử lại.',
  settings: 'Cài đặt hiển thị',
  language: 'Ngôn ngữ',
  languageName: { vi: 'Tiếng Việt', en: 'English' },
  largeText: 'Chữ lớn',
  connection: {
    connecting: 'Đang kết nối…',
    online: 'Đã kết nối',
    offline: 'Mất kết nối. Đang thử kết nối lại…',
    waiting:
      '{count, plural, =0 {Không có thao tác nào đang chờ.} other {# thao tác đang chờ gửi; sẽ tự gửi khi có mạng.}}',
    stale: 'Đang hiển thị thông tin đã lưu; có thể chưa mới nhất.',
    sending: 'Đang gửi…',
  },
  surface: {
    attendee: 'Người tham dự',
    panel: 'Bàn chủ tọa',
    screen: 'Màn hình hội trường',
    minutes: 'Biên bản',
    admin: 'Quản trị',
  },
  login: {
    title: 'Đăng nhập cán bộ',
    username: 'Tên đăng nhập',
    password: 'Mật khẩu',
    submit: 'Đăng nhập',
    signOut: 'Đăng xuất',
    signedInAs: 'Đang đăng nhập: {name}',
    wrong: 'Tên đăng nhập hoặc mật khẩu không đúng.',
  },
  homePage: {
    title: 'Hội nghị đối thoại',
    intro:
      'Quét mã QR trên màn hình hội trường, hoặc nhập mã tham dự để gửi câu hỏi, bình chọn và đăng ký phát biểu.',
    codeLabel: 'Mã tham dự',
    codeHint: 'Mã gồm chữ và số, in trên màn hình và giấy mời.',
    join: 'Vào hội nghị',
    codeInvalid: 'Vui lòng nhập mã tham dự (4–12 chữ và số).',
    staff: 'Dành cho cán bộ',
  },
};

export type CommonMessages = typeof vi;

export default {
  vi: { common: vi },
  // English is loaded when someone picks it: the attendee's phone downloads only Vietnamese up front.
  en: () => import('./en/common.ts'),
} satisfies Dictionary;
