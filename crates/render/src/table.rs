//! Fixed-width text tables: left-aligned columns two spaces apart,
//! trailing blanks trimmed. Widths count characters, so `✗` is one column.

/// Lays out rows of cells.
#[derive(Clone, Debug, Default)]
pub struct Table {
    rows: Vec<Vec<String>>,
    /// Columns aligned to the right (numbers).
    right: Vec<usize>,
}

impl Table {
    pub fn new() -> Table {
        Table::default()
    }

    pub fn right_align(mut self, column: usize) -> Table {
        self.right.push(column);
        self
    }

    pub fn row<I, S>(&mut self, cells: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    fn widths(&self) -> Vec<usize> {
        let mut w: Vec<usize> = Vec::new();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                let n = cell.chars().count();
                match w.get_mut(i) {
                    Some(x) => *x = (*x).max(n),
                    None => w.push(n),
                }
            }
        }
        w
    }

    /// The rendered lines.
    pub fn lines(&self) -> Vec<String> {
        let widths = self.widths();
        self.rows
            .iter()
            .map(|row| {
                let mut line = String::new();
                for (i, cell) in row.iter().enumerate() {
                    if i > 0 {
                        line.push_str("  ");
                    }
                    let pad = " ".repeat(widths[i] - cell.chars().count());
                    if self.right.contains(&i) {
                        line.push_str(&pad);
                        line.push_str(cell);
                    } else {
                        line.push_str(cell);
                        line.push_str(&pad);
                    }
                }
                line.trim_end().to_owned()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_and_trims() {
        let mut t = Table::new().right_align(0);
        t.row(["1", "open a f", ""]);
        t.row(["10", "fsync a", "EIO"]);
        assert_eq!(t.lines(), vec![" 1  open a f", "10  fsync a   EIO"]);
    }
}
