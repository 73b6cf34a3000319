import type { AgendaItem, Criterion, Field } from './types.ts';

/**
 * The programme of the ward's plan (Kế hoạch, part III.1), in order, each with its kind. The opening lists the
 * plan's composition (III.2) and the chairman's item its focus (II.2) for the big screen; the office edits them.
 */
export const DEFAULT_AGENDA: readonly AgendaItem[] = [
  {
    id: 'a1',
    kind: 'opening',
    title:
      'Tuyên bố lý do, giới thiệu đại biểu; thông qua chương trình buổi đối thoại và cử thư ký ghi biên bản',
    screenLines: [
      'Đại diện Thường trực Đảng ủy, HĐND, UBND, Ủy ban MTTQ phường',
      'Cán bộ, công chức Bộ phận Một cửa và các công chức chuyên môn',
      'Các ban, ngành, đoàn thể phường; đại biểu HĐND phường',
      'Bí thư chi bộ, tổ trưởng các tổ dân phố',
      'Đại diện tổ chức, cá nhân trên địa bàn phường',
    ],
  },
  {
    id: 'a2',
    kind: 'purpose',
    title: 'Chủ tịch UBND phường nêu rõ mục đích, yêu cầu và nội dung trọng tâm của buổi đối thoại',
    screenLines: [
      'Đơn giản hóa thủ tục hành chính',
      'Sự thuận lợi khi thực hiện thủ tục hành chính, quy định hành chính',
      'Mức độ hài lòng của tổ chức, cá nhân',
      'Đóng góp của tổ chức, cá nhân để đơn giản hóa thủ tục hành chính',
    ],
  },
  { id: 'a3', kind: 'report', title: 'Báo cáo kết quả thực hiện công tác cải cách hành chính' },
  {
    id: 'a4',
    kind: 'speak',
    title:
      'Tổ chức, công dân phát biểu ý kiến về thủ tục hành chính, quy định hành chính và thái độ phục vụ của cán bộ, công chức',
  },
  {
    id: 'a5',
    kind: 'answers',
    title: 'Chủ tịch, Phó Chủ tịch và công chức phụ trách lĩnh vực tiếp thu và trả lời ý kiến',
  },
  {
    id: 'a6',
    kind: 'conclusion',
    title: 'Chủ tịch UBND phường tiếp thu ý kiến, kiến nghị và kết luận hội nghị',
  },
];

/** Fields (lĩnh vực) of the 2020 plan: the default. */
export const FIELDS_2020: readonly Field[] = [
  { id: 'van-phong', name: 'Văn phòng – Thống kê' },
  { id: 'tu-phap', name: 'Tư pháp – Hộ tịch' },
  { id: 'dia-chinh', name: 'Địa chính – Xây dựng' },
  { id: 'van-hoa', name: 'Văn hóa – Xã hội' },
  { id: 'ldtbxh', name: 'Lao động – Thương binh và Xã hội' },
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
  // The plan's dialogue covers the service attitude of the one-stop desk's staff as a subject of its own.
  { id: 'mot-cua', name: 'Bộ phận Một cửa (thái độ phục vụ)' },
  { id: 'cong-an-phuong', name: 'Công an phường' },
  { id: 'quan-su-phuong', name: 'Ban Chỉ huy quân sự phường' },
];

/** Satisfaction criteria: the five groups of the national SIPAS questionnaire, in its order. */
export const DEFAULT_CRITERIA: readonly Criterion[] = [
  { id: 'access', label: 'Tiếp cận dịch vụ' },
  { id: 'procedures', label: 'Thủ tục hành chính' },
  { id: 'official', label: 'Công chức trực tiếp giải quyết công việc' },
  { id: 'result', label: 'Kết quả giải quyết' },
  { id: 'feedback', label: 'Tiếp nhận, xử lý phản ánh, kiến nghị' },
];

export const DEFAULT_GROUPS = 22;
export const DEFAULT_SPEECH_SEC = 180;
