//! Go's `text/tabwriter` (elastic tabstops) with flags = 0, and docker's
//! fork of it, which measures cells in terminal columns instead of runes.
//!
//! Input is split into cells terminated by '\t' (or '\v'); '\n' and '\f'
//! end lines. A column block is a run of consecutive lines that all have a
//! tab-terminated cell in that column; its width is the widest cell plus
//! `padding`, at least `minwidth`. The last cell of a line belongs to no
//! column and is not padded. A line without tabs ends all blocks.

use super::width::str_width;

/// How a cell's text width is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WidthMode {
    /// Unicode code points (`text/tabwriter`).
    Runes,
    /// Terminal columns: wide characters count 2, combining marks 0
    /// (docker's `cli/command/formatter/tabwriter`).
    Cells,
}

#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    /// Bytes of text in `buf`.
    size: usize,
    width: usize,
    /// Terminated by '\t' (as opposed to '\v' or a line end).
    htab: bool,
}

#[derive(Debug)]
pub struct TabWriter {
    minwidth: usize,
    tabwidth: usize,
    padding: usize,
    padchar: char,
    mode: WidthMode,
    buf: String,
    cell: Cell,
    lines: Vec<Vec<Cell>>,
    widths: Vec<usize>,
    out: String,
}

impl TabWriter {
    /// `tabwriter.NewWriter(w, minwidth, tabwidth, padding, padchar, 0)`.
    pub fn new(minwidth: usize, tabwidth: usize, padding: usize, padchar: char) -> Self {
        TabWriter {
            minwidth,
            tabwidth,
            padding,
            padchar,
            mode: WidthMode::Runes,
            buf: String::new(),
            cell: Cell::default(),
            lines: vec![Vec::new()],
            widths: Vec::new(),
            out: String::new(),
        }
    }

    /// docker's table writer: `NewWriter(out, 10, 1, 3, ' ', 0)` measuring
    /// terminal columns.
    pub fn docker() -> Self {
        Self::new(10, 1, 3, ' ').width_mode(WidthMode::Cells)
    }

    pub fn width_mode(mut self, mode: WidthMode) -> Self {
        self.mode = mode;
        self
    }

    fn measure(&self, s: &str) -> usize {
        match self.mode {
            WidthMode::Runes => s.chars().count(),
            WidthMode::Cells => str_width(s),
        }
    }

    fn append(&mut self, text: &str) {
        self.buf.push_str(text);
        self.cell.size += text.len();
        self.cell.width += self.measure(text);
    }

    fn terminate_cell(&mut self, htab: bool) -> usize {
        self.cell.htab = htab;
        let line = self.lines.last_mut().expect("always one line");
        line.push(self.cell);
        self.cell = Cell::default();
        line.len()
    }

    pub fn write(&mut self, text: &str) {
        let mut start = 0;
        for (i, ch) in text.char_indices() {
            if !matches!(ch, '\t' | '\x0b' | '\n' | '\x0c') {
                continue;
            }
            self.append(&text[start..i]);
            start = i + 1;
            let ncells = self.terminate_cell(ch == '\t');
            if ch == '\n' || ch == '\x0c' {
                self.lines.push(Vec::new());
                // A line with a single cell affects no column, so everything
                // so far can be formatted (as can a form feed, always).
                if ch == '\x0c' || ncells == 1 {
                    self.flush();
                }
            }
        }
        self.append(&text[start..]);
    }

    /// Formats and emits everything buffered.
    pub fn flush(&mut self) {
        if self.cell.size > 0 {
            self.terminate_cell(false);
        }
        self.format(0, 0, self.lines.len());
        self.buf.clear();
        self.cell = Cell::default();
        self.lines = vec![Vec::new()];
        self.widths.clear();
    }

    /// Flushes and returns all output.
    pub fn finish(mut self) -> String {
        self.flush();
        self.out
    }

    fn write_padding(&mut self, textw: usize, cellw: usize) {
        if self.padchar == '\t' {
            if self.tabwidth == 0 {
                return;
            }
            let cellw = cellw.div_ceil(self.tabwidth) * self.tabwidth;
            let n = cellw - textw;
            self.out
                .extend(std::iter::repeat_n('\t', n.div_ceil(self.tabwidth)));
            return;
        }
        self.out
            .extend(std::iter::repeat_n(self.padchar, cellw - textw));
    }

    fn write_lines(&mut self, mut pos: usize, line0: usize, line1: usize) -> usize {
        for i in line0..line1 {
            for j in 0..self.lines[i].len() {
                let c = self.lines[i][j];
                if c.size > 0 {
                    let end = pos + c.size;
                    self.out.push_str(&self.buf[pos..end]);
                    pos = end;
                }
                if j < self.widths.len() {
                    self.write_padding(c.width, self.widths[j]);
                }
            }
            if i + 1 == self.lines.len() {
                // The last buffered line has no newline yet.
                let end = pos + self.cell.size;
                self.out.push_str(&self.buf[pos..end]);
                pos = end;
            } else {
                self.out.push('\n');
            }
        }
        pos
    }

    /// Formats lines `line0..line1`, given the widths of the columns to
    /// the left; returns the buffer position after them.
    fn format(&mut self, mut pos: usize, mut line0: usize, line1: usize) -> usize {
        let column = self.widths.len();
        let has_cell = |line: &Vec<Cell>| column + 1 < line.len();
        let mut this = line0;
        while this < line1 {
            if !has_cell(&self.lines[this]) {
                this += 1;
                continue;
            }
            // A column block starts here: print the lines before it.
            pos = self.write_lines(pos, line0, this);
            line0 = this;
            let mut width = self.minwidth;
            while this < line1 && has_cell(&self.lines[this]) {
                width = width.max(self.lines[this][column].width + self.padding);
                this += 1;
            }
            self.widths.push(width);
            pos = self.format(pos, line0, this);
            self.widths.pop();
            line0 = this;
        }
        self.write_lines(pos, line0, line1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(mut tw: TabWriter, text: &str) -> String {
        tw.write(text);
        tw.finish()
    }

    #[test]
    fn docker_table() {
        // minwidth 10 wins for short cells; long cells get width + 3.
        let out = run(
            TabWriter::docker(),
            "CONTAINER ID\tNAME\nabc\tweb\nabcdef012345\tdb\n",
        );
        assert_eq!(
            out,
            "CONTAINER ID   NAME\nabc            web\nabcdef012345   db\n"
        );
    }

    #[test]
    fn minwidth_and_trailing_cell() {
        let out = run(TabWriter::new(10, 1, 3, ' '), "a\tb\tc\nxx\ty\tz\n");
        assert_eq!(out, "a         b         c\nxx        y         z\n");
    }

    #[test]
    fn ragged_rows_and_blocks() {
        // The b column block is interrupted by a line with one cell, and
        // the "aa|cccc" line starts a new block (Go's doc example).
        let out = run(
            TabWriter::new(0, 1, 1, '.'),
            "aaaa\tbbb\td\naa\tb\tdd\na\t\naa\tcccc\teee\n",
        );
        assert_eq!(out, "aaaa.bbb.d\naa...b...dd\na....\naa...cccc.eee\n");
    }

    #[test]
    fn wide_chars() {
        let out = run(TabWriter::docker(), "名前\tX\nab\tY\n");
        assert_eq!(out, "名前      X\nab        Y\n");
        let out = run(TabWriter::new(0, 1, 1, ' '), "名前\tX\nab\tY\n");
        assert_eq!(out, "名前 X\nab Y\n");
    }

    #[test]
    fn no_trailing_newline_and_empty_cells() {
        let out = run(TabWriter::new(0, 1, 2, ' '), "a\t\tb\n\tc\td");
        assert_eq!(out, "a     b\n   c  d");
    }
}
