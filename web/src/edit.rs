//! Timeline edits on the scenario's AST: insert, delete and move events.
//!
//! Events are numbered in text order, `par` tasks included (as
//! `Scenario::stmts` numbers them). An edit keeps the block structure:
//! moving an event swaps it with its neighbour in that order, whichever
//! container each is in; deleting the last task of a `par` block removes
//! the block. The caller prints the result as the new canonical text.

use errseq_scenario::{Item, Scenario, Stmt};

/// Where statement number `n` lives: the top-level item, and the index
/// inside a `par` block if it is a task.
fn locate(s: &Scenario, n: usize) -> Option<(usize, Option<usize>)> {
    let mut count = 0;
    for (i, item) in s.body.iter().enumerate() {
        match item {
            Item::Stmt(_) if count == n => return Some((i, None)),
            Item::Stmt(_) => count += 1,
            Item::Par(p) => {
                for (j, inner) in p.items.iter().enumerate() {
                    if let Item::Stmt(_) = inner {
                        if count == n {
                            return Some((i, Some(j)));
                        }
                        count += 1;
                    }
                }
            }
            _ => {}
        }
    }
    None
}

fn stmt_mut(s: &mut Scenario, at: (usize, Option<usize>)) -> Option<&mut Stmt> {
    match (s.body.get_mut(at.0)?, at.1) {
        (Item::Stmt(st), None) => Some(st),
        (Item::Par(p), Some(j)) => match p.items.get_mut(j)? {
            Item::Stmt(st) => Some(st),
            _ => None,
        },
        _ => None,
    }
}

/// Inserts `stmt` right after event `after` (in the same block), or at the
/// end when `after` is `None` or out of range.
pub fn insert_after(s: &mut Scenario, after: Option<usize>, stmt: Stmt) {
    match after.and_then(|n| locate(s, n)) {
        Some((i, None)) => s.body.insert(i + 1, Item::Stmt(stmt)),
        Some((i, Some(j))) => {
            if let Item::Par(p) = &mut s.body[i] {
                p.items.insert(j + 1, Item::Stmt(stmt));
            }
        }
        None => s.body.push(Item::Stmt(stmt)),
    }
}

/// Removes event `n`; a `par` block left without tasks goes too.
pub fn delete(s: &mut Scenario, n: usize) -> bool {
    let Some((i, inner)) = locate(s, n) else { return false };
    match inner {
        None => {
            s.body.remove(i);
        }
        Some(j) => {
            let empty = match &mut s.body[i] {
                Item::Par(p) => {
                    p.items.remove(j);
                    !p.items.iter().any(|x| matches!(x, Item::Stmt(_)))
                }
                _ => false,
            };
            if empty {
                s.body.remove(i);
            }
        }
    }
    true
}

/// Swaps event `n` with event `n - 1` (up) or `n + 1` (down). Returns the
/// event's new number.
pub fn move_event(s: &mut Scenario, n: usize, up: bool) -> Option<usize> {
    let other = if up { n.checked_sub(1)? } else { n + 1 };
    let (a, b) = (locate(s, n)?, locate(s, other)?);
    let first = stmt_mut(s, a)?.clone();
    let second = stmt_mut(s, b)?.clone();
    *stmt_mut(s, a)? = second;
    *stmt_mut(s, b)? = first;
    Some(other)
}

#[cfg(test)]
mod tests {
    use super::*;
    use errseq_scenario::parse_unchecked;

    fn sc(text: &str) -> Scenario {
        parse_unchecked(text).expect("valid").0
    }

    #[test]
    fn insert_delete_and_move_keep_blocks() {
        let mut s = sc("open a f\npar\n  fsync a\n  sync\nend\nclose a\n");
        insert_after(&mut s, Some(1), Stmt::new(errseq_scenario::Event::Sync));
        assert_eq!(s.to_string(), "open a f\npar\n  fsync a\n  sync\n  sync\nend\nclose a\n");
        assert_eq!(move_event(&mut s, 4, true), Some(3));
        assert_eq!(s.to_string(), "open a f\npar\n  fsync a\n  sync\n  close a\nend\nsync\n");
        assert!(delete(&mut s, 1) && delete(&mut s, 1) && delete(&mut s, 1));
        assert_eq!(s.to_string(), "open a f\nsync\n", "the emptied block goes");
        assert_eq!(move_event(&mut s, 0, true), None);
        assert_eq!(move_event(&mut s, 1, false), None);
        assert!(!delete(&mut s, 7));
        insert_after(&mut s, None, Stmt::new(errseq_scenario::Event::Sync));
        assert_eq!(s.to_string(), "open a f\nsync\nsync\n");
    }

    #[test]
    fn comments_stay_where_they_are() {
        let mut s = sc("# setup\nopen a f  # first\nsync\n");
        move_event(&mut s, 0, false);
        assert_eq!(s.to_string(), "# setup\nsync\nopen a f  # first\n");
    }
}
