#!/usr/bin/env python3
"""Writes the fixture CSV files of tests/wideload (run once; the files are committed).

good.csv      Google-Forms-like export: BOM, CRLF, Vietnamese headers, item columns in
              string order (I.D.1, I.D.10, I.D.2, ...), extra columns (one with quoted
              commas and line breaks), answers as numbers ("4", "4.0", " 4 ") and labels
              (any case, NFC and NFD), blanks, weights, an NFD unit name.
shuffled.csv  the same forms, columns in another order, LF endings, no BOM, labels only.
expected.csv  the long rows both must give: respondent,item,score (blank = no answer).
"""
import random, unicodedata

ITEMS = ['I.D.1', 'I.D.10', 'I.D.2', 'I.D.3', 'I.D.4', 'I.D.5', 'I.D.6', 'I.D.7', 'I.D.8', 'I.D.9',
         'II.A.1', 'II.A.2', 'II.A.3']
LABELS = {1: 'Rất không hài lòng', 2: 'Không hài lòng', 3: 'Bình thường', 4: 'Hài lòng', 5: 'Rất hài lòng'}
UNITS = ['Sở Tài nguyên và Môi trường, tỉnh Bình An', 'UBND xã "Hòa Bình"', 'Sở Nội vụ']
rnd = random.Random(20261202)

def q(s):
    return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\r\n') else s

forms = []
for r in range(1, 10):
    unit = UNITS[(r - 1) % 3]
    scores = {}
    for i in ITEMS:
        scores[i] = None if rnd.random() < 0.1 else rnd.randint(1, 5)
    forms.append(dict(resp='P%03d' % r, unit=unit, weight=['1', '1.5', '2'][r % 3], scores=scores,
                      note='Ý kiến: tốt, nhanh;\nnhưng "chờ lâu"' if r % 4 == 0 else ''))

def render(s, k):
    if s is None:
        return ''
    m = k % 7
    if m == 0: return str(s)
    if m == 1: return '%d.0' % s
    if m == 2: return ' %d ' % s
    if m == 3: return LABELS[s]
    if m == 4: return LABELS[s].upper()
    if m == 5: return unicodedata.normalize('NFD', LABELS[s])
    return '  ' + LABELS[s].lower() + ' '

head = ['Dấu thời gian', 'Năm', 'Đơn vị', 'Mã phiếu'] + ITEMS[:6] + ['Ý kiến khác'] + ITEMS[6:] + ['Trọng số', 'Ghi chú']
with open('good.csv', 'w', encoding='utf-8', newline='') as f:
    f.write('\ufeff' + ','.join(q(h) for h in head) + '\r\n')
    for n, fm in enumerate(forms):
        unit = fm['unit']
        if unit == 'Sở Nội vụ' and n % 2 == 0:
            unit = unicodedata.normalize('NFD', unit)
        row = ['2024-05-%02d 08:00:00' % (n + 1), '2024', unit, fm['resp']]
        row += [render(fm['scores'][i], n + k) for k, i in enumerate(ITEMS[:6])]
        row += [fm['note']]
        row += [render(fm['scores'][i], n + k + 6) for k, i in enumerate(ITEMS[6:])]
        row += [fm['weight'], '']
        f.write(','.join(q(x) for x in row) + '\r\n')

order = list(reversed(ITEMS))
head2 = ['Trọng số'] + order[:4] + ['Mã phiếu', 'Đơn vị'] + order[4:] + ['Năm']
with open('shuffled.csv', 'w', encoding='utf-8', newline='') as f:
    f.write(','.join(q(h) for h in head2) + '\n')
    for fm in forms:
        lab = lambda i: LABELS[fm['scores'][i]] if fm['scores'][i] else ''
        row = [fm['weight']] + [lab(i) for i in order[:4]] + [fm['resp'], fm['unit']] + [lab(i) for i in order[4:]] + ['2024']
        f.write(','.join(q(x) for x in row) + '\n')

with open('expected.csv', 'w', encoding='utf-8', newline='') as f:
    f.write('unit,respondent,item,score,weight\n')
    for fm in forms:
        for i in ITEMS:
            s = fm['scores'][i]
            f.write('%s,%s,%s,%s,%s\n' % (q(fm['unit']), fm['resp'], i, '' if s is None else s, fm['weight']))
