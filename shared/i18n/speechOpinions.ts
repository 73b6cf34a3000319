/**
 * The form that records a finished speech as opinions of the register (issue 13, finding 1): on the panel ("Kết thúc",
 * the list of speeches without opinions) and in the minutes' side list for the secretary. Registered by the form.
 */
import type { Dictionary } from './index.ts';

const vi = {
  title: 'Ghi nhận ý kiến phát biểu',
  speaker: 'Người phát biểu: {name}',
  anonymous: 'Người dân (ẩn danh)',
  group: 'Tổ {n}',
  opinion: 'Ý kiến {n}',
  field: 'Lĩnh vực',
  noField: '— Không chọn lĩnh vực —',
  summary: 'Tóm tắt ý kiến',
  assignee: 'Giao cán bộ trả lời',
  noAssignee: '— Chưa giao —',
  add: 'Thêm ý kiến',
  required: 'Vui lòng ghi tóm tắt ít nhất một ý kiến, hoặc chọn “Bỏ qua”.',
  skip: 'Bỏ qua',
  submit: 'Ghi nhận',
  done: 'Đã ghi nhận ý kiến phát biểu.',
};

const en: typeof vi = {
  title: 'Record the spoken opinions',
  speaker: 'Speaker: {name}',
  anonymous: 'Anonymous resident',
  group: 'Group {n}',
  opinion: 'Opinion {n}',
  field: 'Field',
  noField: '— No field —',
  summary: 'Short summary',
  assignee: 'Official to answer',
  noAssignee: '— Not assigned —',
  add: 'Add an opinion',
  required: 'Please summarise at least one opinion, or choose “Skip”.',
  skip: 'Skip',
  submit: 'Record',
  done: 'The spoken opinions are recorded.',
};

export default { vi: { speechOpinions: vi }, en: { speechOpinions: en } } satisfies Dictionary;
