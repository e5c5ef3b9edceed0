//! The timeline's layout: one lane per open file description, a kernel
//! lane for calls on files or on the whole system, one row per event. The
//! page's timeline and the SVG pictures ([`crate::svg`]) draw it.
//!
//! Computed from the AST alone, so the timeline still draws while the text
//! has scenario errors (an fd that is not open lands in the kernel lane,
//! marked). A lane's column is reused once its description is closed, so
//! scenarios that keep reopening stay narrow.
//!
//! Flags are drawn as short labels beside a call, not in its text: open's
//! (`RDONLY`, `SYNC`, `DSYNC`, `DIRECT`, also on the lane's header), a
//! write's `RWF_SYNC`/`RWF_DSYNC`, and on a write or read through a
//! synchronous or direct description the flag that makes it report or
//! bypass the cache.

use std::collections::HashMap;

use errseq_scenario::{Event, OpenFlags, Place, Rwf, Scenario};

/// One open file description over its lifetime.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lane {
    /// Every fd name it had, in order.
    pub fds: Vec<String>,
    pub file: String,
    /// open's flags, as short labels (`RDONLY`, `DIRECT`...).
    pub flags: Vec<&'static str>,
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
    /// The call as written, without its flags.
    pub text: String,
    /// Short labels of the flags that apply to the call ([`flag_labels`]).
    pub flags: Vec<&'static str>,
    /// The call returns page content (`read`), drawn apart.
    pub read: bool,
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

/// open's flags as the timeline labels them, in canonical order.
pub fn flag_labels(f: OpenFlags) -> Vec<&'static str> {
    let set = [(f.rdonly, "RDONLY"), (f.sync, "SYNC"), (f.dsync, "DSYNC"), (f.direct, "DIRECT")];
    set.into_iter().filter(|(on, _)| *on).map(|(_, l)| l).collect()
}

/// The call's text without its flags, which are drawn as labels.
fn bare_text(e: &Event) -> String {
    match e {
        Event::Open { fd, file, .. } => {
            Event::Open { fd: fd.clone(), file: file.clone(), flags: OpenFlags::default() }.to_string()
        }
        Event::Write { fd, page, .. } => Event::Write { fd: fd.clone(), page: *page, rwf: None }.to_string(),
        e => e.to_string(),
    }
}

/// The labels of a call through lane `lane`: a write's own RWF flag, and
/// the lane's flags that change what the call does (a write through a
/// synchronous or direct description reports; a read through a direct
/// one reads the disk).
fn call_labels(e: &Event, lane: Option<&Lane>) -> Vec<&'static str> {
    let lane = lane.map_or(&[][..], |l| &l.flags[..]);
    match e {
        Event::Write { rwf, .. } => {
            let own = rwf.map(|r| match r {
                Rwf::Sync => "RWF_SYNC",
                Rwf::Dsync => "RWF_DSYNC",
            });
            own.into_iter()
                .chain(lane.iter().copied().filter(|l| matches!(*l, "SYNC" | "DSYNC" | "DIRECT")))
                .collect()
        }
        Event::Read { .. } => lane.iter().copied().filter(|l| *l == "DIRECT").collect(),
        _ => Vec::new(),
    }
}

pub fn timeline(s: &Scenario) -> Timeline {
    let mut t = Timeline::default();
    let mut bound: HashMap<String, usize> = HashMap::new();
    let mut busy: Vec<bool> = Vec::new();
    for (row, (stmt, place)) in s.stmts().enumerate() {
        let block = match place {
            Place::Task { block, .. } => Some(block),
            Place::Top => None,
        };
        let mut r = Row {
            event: row,
            lane: None,
            block,
            text: bare_text(&stmt.event),
            flags: Vec::new(),
            read: matches!(stmt.event, Event::Read { .. }),
            dangling: false,
        };
        match &stmt.event {
            Event::Open { fd, file, flags } => {
                let column = busy.iter().position(|b| !b).unwrap_or(busy.len());
                if column == busy.len() {
                    busy.push(true);
                } else {
                    busy[column] = true;
                }
                r.flags = flag_labels(*flags);
                t.lanes.push(Lane {
                    fds: vec![fd.to_string()],
                    file: file.to_string(),
                    flags: r.flags.clone(),
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
                r.flags = call_labels(e, r.lane.map(|l| &t.lanes[l]));
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

    #[test]
    fn flags_are_labels_beside_the_call() {
        let s = parse_unchecked(
            "open a f O_RDONLY O_DIRECT\nopen b f O_DSYNC\nopen c f\nwrite b 2\nwrite c RWF_SYNC\nread a 1\n\
             read c\nwrite c\nwrite z RWF_DSYNC\n",
        )
        .expect("syntax")
        .0;
        let t = timeline(&s);
        let shown: Vec<(&str, Vec<&str>)> =
            t.rows.iter().map(|r| (r.text.as_str(), r.flags.clone())).collect();
        assert_eq!(
            shown,
            vec![
                ("open a f", vec!["RDONLY", "DIRECT"]),
                ("open b f", vec!["DSYNC"]),
                ("open c f", vec![]),
                ("write b 2", vec!["DSYNC"]),
                ("write c", vec!["RWF_SYNC"]),
                ("read a 1", vec!["DIRECT"]),
                ("read c", vec![]),
                ("write c", vec![]),
                ("write z", vec!["RWF_DSYNC"]),
            ]
        );
        assert_eq!(t.lanes[0].flags, vec!["RDONLY", "DIRECT"], "the lane's header shows them too");
        assert!(t.rows[5].read && t.rows[6].read && !t.rows[7].read);
        assert!(t.rows[8].dangling, "z was never opened; its own flag still shows");
    }
}
