/** A session context for the minutes tests, close to the ward's real plan (seed/). */
import type { MinutesContext } from '../../server/minutes/types.ts';

export const minutesContext: MinutesContext = {
  wardName: 'Kiến Hưng',
  place: 'Kiến Hưng',
  sessionTitle: 'Hội nghị đối thoại giữa Chủ tịch UBND phường với Nhân dân năm 2020',
  date: '2020-06-05',
  startTime: '08:00',
  venue: 'Hội trường UBND phường Kiến Hưng',
  attendees:
    'Đại diện Đảng ủy, HĐND, UBND, UBMTTQ phường; trưởng 22 tổ dân phố; đại diện Nhân dân và doanh nghiệp',
  chairName: 'Nguyễn Văn An',
  secretaryName: 'Trần Thị Bình',
  agenda: [
    'Khai mạc, giới thiệu đại biểu',
    'Nhân dân phát biểu, đặt câu hỏi',
    'Chủ tịch UBND phường kết luận',
  ],
  docNumber: '12',
};
