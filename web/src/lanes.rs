//! The timeline's layout: one lane per open file description, a kernel
//! lane for calls on files or on the whole system, one row per event.
//!
//! Computed from the AST alone, so the timeline still draws while the text
//! has scenario errors (an fd that is not open lands in the kernel lane,
//! marked). A lane's column is reused once its description is closed, so
//! scenarios that keep reopening stay narrow.

use std::collections::BTreeMap;

use errseq_scenario::{Event, Place, Scenario};

/// One open file description over its lifetime.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lane {
    /// Every fd name it had, in order.
    pub fds: Vec<String>,
    pub file: String,
    /// The column it is drawn in.
    pub column: usize,
    /// First and last row (inclusive); `None`: still open at the end.
    pub from: usize,
    pub to: Option<usize>,
}

/// One event of the timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub event: usize,
    /// Its lane, or `None` for the kernel lane.
    pub lane: Option<usize>,
    /// The `par` block it is a task of.
    pub block: Option<usize>,
    /// The call as written.
    pub text: String,
    /// The fd it names is not open (a scenario error).
    pub dangling: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Timeline {
    pub lanes: Vec<Lane>,
    pub rows: Vec<Row>,
    pub columns: usize,
}

impl Timeline {
    /// The lane alive in `column` at `row`, if any.
    pub fn alive(&self, column: usize, row: usize) -> Option<usize> {
        self.lanes.iter().position(|l| l.column == column && l.from <= row && l.to.is_none_or(|t| row <= t))
    }
}

pub fn timeline(s: &Scenario) -> Timeline {
    let mut t = Timeline::default();
    let mut bound: BTreeMap<String, usize> = BTreeMap::new();
    let mut busy: Vec<bool> = Vec::new();
    for (row, (stmt, place)) in s.stmts().enumerate() {
        let block = match place {
            Place::Task { block, .. } => Some(block),
            Place::Top => None,
        };
        let mut r = Row { event: row, lane: None, block, text: stmt.event.to_string(), dangling: false };
        match &stmt.event {
            // The row's text shows open's flags.
            Event::Open { fd, file, .. } => {
                let column = busy.iter().position(|b| !b).unwrap_or(busy.len());
                if column == busy.len() {
                    busy.push(true);
                } else {
                    busy[column] = true;
                }
                t.lanes.push(Lane {
                    fds: vec![fd.to_string()],
                    file: file.to_string(),
                    column,
                    from: row,
                    to: None,
                });
                bound.insert(fd.to_string(), t.lanes.len() - 1);
                r.lane = Some(t.lanes.len() - 1);
            }
            Event::Dup { new, fd } => match bound.get(fd.as_str()).copied() {
                Some(l) => {
                    t.lanes[l].fds.push(new.to_string());
                    bound.insert(new.to_string(), l);
                    r.lane = Some(l);
                }
                None => r.dangling = true,
            },
            Event::Close { fd } => match bound.remove(fd.as_str()) {
                Some(l) => {
                    r.lane = Some(l);
                    if !bound.values().any(|&x| x == l) {
                        t.lanes[l].to = Some(row);
                        busy[t.lanes[l].column] = false;
                    }
                }
                None => r.dangling = true,
            },
            e => {
                if let Some(fd) = e.fd() {
                    r.lane = bound.get(fd.as_str()).copied();
                    r.dangling = r.lane.is_none();
                }
            }
        }
        t.rows.push(r);
    }
    t.columns = busy.len();
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use errseq_scenario::parse_unchecked;

    #[test]
    fn lanes_follow_descriptions() {
        let s =
            parse_unchecked("open a f\ndup b a\nclose a\nfsync b\nclose b\nopen c g\nfail g EIO\nfsync z\n")
                .expect("syntax")
                .0;
        let t = timeline(&s);
        assert_eq!(t.lanes.len(), 2);
        assert_eq!(t.lanes[0].fds, vec!["a", "b"]);
        assert_eq!((t.lanes[0].from, t.lanes[0].to), (0, Some(4)));
        assert_eq!(t.lanes[1].column, 0, "c reuses the freed column");
        assert_eq!(t.columns, 1);
        assert_eq!(t.rows[3].lane, Some(0), "b is a's description");
        assert_eq!(t.rows[6].lane, None, "fail is a kernel-lane call");
        assert!(t.rows[7].dangling, "z was never opened");
        assert_eq!(t.alive(0, 2), Some(0));
        assert_eq!(t.alive(0, 6), Some(1));
    }
}
