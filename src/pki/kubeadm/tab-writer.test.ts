import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatTabbed } from './tab-writer.ts';

test('columns are padded to max(cell + 3, 10) per block; the last cell is not padded', () => {
  const got = formatTabbed(['CERTIFICATE\tEXPIRES\tX', 'a\tbb\tY', '', 'ca\tz']);
  assert.equal(got, [
    'CERTIFICATE   EXPIRES   X',
    'a             bb        Y',
    '',
    'ca        z',
    '',
  ].join('\n'));
});

test('a block ends where a line has fewer cells', () => {
  const got = formatTabbed(['a\tb\tc', 'aaaaaaaaaaaa\tb', 'x\ty\tz']);
  // column 0 spans all three lines; column 1 only the first line, then the third on its own
  assert.equal(got, ['a              b         c', 'aaaaaaaaaaaa   b', 'x              y         z', ''].join('\n'));
});

test('empty cells are padded too (the !MISSING! rows)', () => {
  const got = formatTabbed(['NAME\tEXPIRES\tLAST', '!MISSING! x\t\t']);
  assert.equal(got, ['NAME          EXPIRES   LAST', '!MISSING! x             ', ''].join('\n'));
});
