// Go's text/tabwriter for the options kubeadm uses (left-aligned, pad character space,
// no flags): cells are tab-terminated, the text after the last tab of a line is not a
// column cell, and column widths are computed over each contiguous block of lines that
// have a cell in that column (spec pki.md A.9).

export interface TabWriterOptions {
  minWidth: number;
  padding: number;
}

/** kubeadm's check-expiration writer: `tabwriter.NewWriter(w, 10, 4, 3, ' ', 0)`. */
export const KUBEADM_TABWRITER: TabWriterOptions = { minWidth: 10, padding: 3 };

/** Formats `lines` (each without its newline) as the tab writer would; every line ends with `\n`. */
export function formatTabbed(lines: readonly string[], options: TabWriterOptions = KUBEADM_TABWRITER): string {
  const cells = lines.map((line) => line.split('\t'));
  const out: string[] = [];
  const widths: number[] = [];

  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      let text = '';
      cells[i].forEach((cell, j) => {
        text += cell;
        if (j < widths.length && j < cells[i].length - 1) text += ' '.repeat(Math.max(0, widths[j] - width(cell)));
      });
      out.push(`${text}\n`);
    }
  };

  // Port of tabwriter.(*Writer).format: recursive over columns.
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    let start = line0;
    for (let i = line0; i < line1; i++) {
      if (column >= cells[i].length - 1) continue;
      writeLines(start, i);
      start = i;
      let w = options.minWidth;
      let j = i;
      for (; j < line1; j++) {
        if (column >= cells[j].length - 1) break;
        w = Math.max(w, width(cells[j][column]) + options.padding);
      }
      widths.push(w);
      format(i, j);
      widths.pop();
      start = j;
      i = j - 1;
    }
    writeLines(start, line1);
  };

  format(0, cells.length);
  return out.join('');
}

function width(text: string): number {
  return [...text].length;
}
