/** Strings every surface uses: the app's name, preferences, connection state, sign-in, home page, generic words. */
import type { Dictionary } from './index.ts';

const vi = {
  appName: 'Hội nghị đối thoại',
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
  textSize: 'Cỡ chữ',
  connection: {
    connecting: 'Đang kết nối…',
    online: 'Đã kết nối',
    offline: 'Mất kết nối. Đang thử kết nối lại…',
    waiting:
      '{count, plural, =0 {Không có thao tác nào đang chờ.} other {# thao tác đang chờ gửi; sẽ tự gửi khi có mạng.}}',
    stale: 'Đang hiển thị thông tin đã lưu; có thể chưa mới nhất.',
    sending: 'Đang gửi…',
  },
  agendaKind: {
    opening: 'Khai mạc, giới thiệu đại biểu',
    purpose: 'Chủ tịch nêu mục đích, yêu cầu',
    report: 'Báo cáo kết quả',
    speak: 'Tổ chức, công dân phát biểu',
    answers: 'Trả lời ý kiến',
    conclusion: 'Kết luận hội nghị',
  },
  surface: {
    attendee: 'Người tham dự',
    panel: 'Bàn chủ tọa',
    screen: 'Màn hình lớn',
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
    throttledSeconds: 'Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {count} giây.',
    throttledMinutes: 'Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {count} phút.',
  },
};

export type CommonMessages = typeof vi;

export default {
  vi: { common: vi },
  // English is loaded when someone picks it: the attendee's phone downloads only Vietnamese up front.
  en: () => import('./en/common.ts'),
} satisfies Dictionary;
