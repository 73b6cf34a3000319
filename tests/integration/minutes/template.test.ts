import { getSchema } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { wardLine } from '../../../server/minutes/format.ts';
import { placeAndDate } from '../../../shared/i18n/dates.ts';
import { layoutMinutes } from '../../../server/minutes/layout.ts';
import { readMinutes, textOf } from '../../../server/minutes/model.ts';
import { buildTemplateUpdate } from '../../../server/minutes/template.ts';
import { minutesText } from '../../helpers/minutesClient.ts';
import { minutesContext } from '../../helpers/minutesFixtures.ts';

function templatedDoc(ctx = minutesContext): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, buildTemplateUpdate(ctx));
  return doc;
}

describe('Decree 30 template', () => {
  it('lays out the Biên bản skeleton filled from the session, in order', () => {
    const text = minutesText(templatedDoc());
    expect(text).toEqual([
      'ỦY BAN NHÂN DÂN',
      'PHƯỜNG KIẾN HƯNG',
      'Số: 12/BB-UBND',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Kiến Hưng, ngày 05 tháng 6 năm 2020',
      'BIÊN BẢN',
      minutesContext.sessionTitle,
      'Thời gian bắt đầu: 08 giờ 00, ngày 05 tháng 6 năm 2020',
      `Địa điểm: ${minutesContext.venue}`,
      `Thành phần tham dự: ${minutesContext.attendees}`,
      'Chủ trì (chủ tọa): Nguyễn Văn An',
      'Thư ký (người ghi biên bản): Trần Thị Bình',
      'Nội dung (theo diễn biến cuộc họp/hội nghị):',
      '1. Khai mạc, giới thiệu đại biểu',
      '',
      '2. Nhân dân phát biểu, đặt câu hỏi',
      '',
      '3. Chủ tịch UBND phường kết luận',
      '',
      'Hội nghị kết thúc vào … giờ …, ngày 05 tháng 6 năm 2020./.',
      'THƯ KÝ',
      'Trần Thị Bình',
      'CHỦ TỌA',
      'Nguyễn Văn An',
      'Nơi nhận:',
      '- Lưu: VT, hồ sơ.',
    ]);
    expect(templatedDoc().getMap('meta').get('templated')).toBe(true);
  });

  it('puts the parent body first when there is one, and blanks for a missing number and time', () => {
    const text = minutesText(
      templatedDoc({
        ...minutesContext,
        parentBody: 'Ủy ban nhân dân quận Hà Đông',
        docNumber: undefined,
        startTime: undefined,
      }),
    );
    expect(text.slice(0, 4)).toEqual([
      'ỦY BAN NHÂN DÂN QUẬN HÀ ĐÔNG',
      'ỦY BAN NHÂN DÂN',
      'PHƯỜNG KIẾN HƯNG',
      'Số: …/BB-UBND',
    ]);
    expect(text).toContain('Thời gian bắt đầu: … giờ …, ngày 05 tháng 6 năm 2020');
  });

  it('is made only of StarterKit nodes and marks: Tiptap loads it whole (it would delete any node it cannot build)', () => {
    const doc = templatedDoc();
    const fragment = doc.getXmlFragment('default');
    const before = fragment.length;
    const node = yXmlFragmentToProseMirrorRootNode(fragment, getSchema([StarterKit]));
    expect(() => node.check()).not.toThrow();
    expect(node.childCount).toBe(before);
    expect(fragment.length).toBe(before);
    expect(node.child(0).type.name).toBe('paragraph');
    expect(node.child(0).firstChild?.marks.map((m) => m.type.name)).toEqual(['bold']);
    const title = node.child(6);
    expect([title.type.name, title.attrs['level'], title.textContent]).toEqual(['heading', 1, 'BIÊN BẢN']);
  });

  it('does not let a bold label run into the value after it', () => {
    const doc = templatedDoc();
    const venue = doc.getXmlFragment('default').get(9);
    expect(venue).toBeInstanceOf(Y.XmlElement);
    const text = (venue as Y.XmlElement).get(0) as Y.XmlText;
    expect(text.toDelta()).toEqual([
      { insert: 'Địa điểm: ', attributes: { bold: {} } },
      { insert: minutesContext.venue },
    ]);
  });

  it('marks every header and signature paragraph with its layout role', () => {
    const layout = layoutMinutes(readMinutes(templatedDoc()));
    expect(layout.headerLeft.map(textOf)).toEqual(['ỦY BAN NHÂN DÂN', 'PHƯỜNG KIẾN HƯNG', 'Số: 12/BB-UBND']);
    expect(layout.headerRight.map(textOf)).toEqual([
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'Kiến Hưng, ngày 05 tháng 6 năm 2020',
    ]);
    expect(layout.title.map(textOf)).toEqual(['BIÊN BẢN', minutesContext.sessionTitle]);
    expect(layout.signatureLeft.map(textOf)).toEqual(['THƯ KÝ', 'Trần Thị Bình']);
    expect(layout.signatureRight.map(textOf)).toEqual(['CHỦ TỌA', 'Nguyễn Văn An']);
    expect(layout.recipients.map(textOf)).toEqual(['Nơi nhận:', '- Lưu: VT, hồ sơ.']);
    expect(layout.body[0] && textOf(layout.body[0])).toMatch(/^Thời gian bắt đầu/);
  });
});

describe('Vietnamese administrative formats', () => {
  it('zero-pads days below 10 and the months January and February only', () => {
    expect(placeAndDate('Kiến Hưng', '2020-06-05')).toBe('Kiến Hưng, ngày 05 tháng 6 năm 2020');
    expect(placeAndDate('Kiến Hưng', '2021-02-15')).toBe('Kiến Hưng, ngày 15 tháng 02 năm 2021');
    expect(placeAndDate('Kiến Hưng', '2021-01-09')).toBe('Kiến Hưng, ngày 09 tháng 01 năm 2021');
    expect(placeAndDate('Kiến Hưng', '2021-12-31')).toBe('Kiến Hưng, ngày 31 tháng 12 năm 2021');
    expect(placeAndDate('Kiến Hưng', '2021-02-30')).toBe('Kiến Hưng, ngày … tháng … năm …');
    expect(placeAndDate('Kiến Hưng', 'nonsense')).toBe('Kiến Hưng, ngày … tháng … năm …');
  });

  it('writes ward names the way the decree does', () => {
    expect(wardLine('Phường Kiến Hưng')).toBe('PHƯỜNG KIẾN HƯNG');
    expect(wardLine('Đống Đa')).toBe('PHƯỜNG ĐỐNG ĐA');
  });
});
