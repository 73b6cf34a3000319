import type { AgendaItem, Criterion, Field } from './types.ts';

/** The programme of the ward's plan (Kế hoạch, part III.1), in order. */
export const DEFAULT_AGENDA: readonly AgendaItem[] = [
  {
    id: 'a1',
    title:
      'Tuyên bố lý do, giới thiệu đại biểu; thông qua chương trình buổi đối thoại và cử thư ký ghi biên bản',
  },
  {
    id: 'a2',
    title: 'Chủ tịch UBND phường nêu rõ mục đích, yêu cầu và nội dung trọng tâm của buổi đối thoại',
  },
  { id: 'a3', title: 'Báo cáo kết quả thực hiện công tác cải cách hành chính' },
  {
    id: 'a4',
    title:
      'Tổ chức, công dân phát biểu ý kiến về thủ tục hành chính, quy định hành chính và thái độ phục vụ của cán bộ, công chức',
  },
  {
    id: 'a5',
    title: 'Chủ tịch, Phó Chủ tịch và công chức phụ trách lĩnh vực tiếp thu và trả lời ý kiến',
  },
  { id: 'a6', title: 'Chủ tịch UBND phường tiếp thu ý kiến, kiến nghị và kết luận hội nghị' },
];

/** Fields (lĩnh vực) of the 2020 plan: the default. */
export const FIELDS_2020: readonly Field[] = [
  { id: 'van-phong', name: 'Văn phòng – Thống kê' },
  { id: 'tu-phap', name: 'Tư pháp – Hộ tịch' },
  { id: 'dia-chinh', name: 'Địa chính – Xây dựng' },
  { id: 'van-hoa', name: 'Văn hóa – Xã hội' },
  { id: 'ldtbxh', name: 'Lao động – Thương binh & Xã hội' },
  { id: 'do-thi', name: 'Quản lý đô thị' },
  { id: 'cong-an', name: 'Công an' },
  { id: 'quan-su', name: 'Quân sự' },
];

/** Fields after the 2025 two-tier reform: a one-click preset. */
export const FIELDS_2025: readonly Field[] = [
  { id: 'vp-hdnd-ubnd', name: 'Văn phòng HĐND và UBND' },
  { id: 'kinh-te-ha-tang', name: 'Phòng Kinh tế, Hạ tầng và Đô thị' },
  { id: 'vhxh', name: 'Phòng Văn hóa – Xã hội' },
  { id: 'tt-phuc-vu-hcc', name: 'Trung tâm Phục vụ hành chính công' },
  { id: 'cong-an-phuong', name: 'Công an phường' },
  { id: 'quan-su-phuong', name: 'Ban Chỉ huy quân sự phường' },
];

/** Satisfaction criteria from the groups of the national SIPAS questionnaire. */
export const DEFAULT_CRITERIA: readonly Criterion[] = [
  { id: 'procedures', label: 'Thủ tục hành chính' },
  { id: 'official', label: 'Công chức trực tiếp giải quyết công việc' },
  { id: 'result', label: 'Kết quả giải quyết' },
  { id: 'feedback', label: 'Tiếp nhận, xử lý phản ánh, kiến nghị' },
];

export const DEFAULT_GROUPS = 22;
export const DEFAULT_SPEECH_SEC = 180;
