//! The scenario mode's SharedArrayBuffer, and a call's result as a word.
//!
//! One buffer per `par` block run, as 32-bit words:
//!
//! | words | what |
//! |---|---|
//! | [`GO`] | how many runs the leader has released: run `r` starts when it becomes `r + 1` |
//! | [`ARRIVED`] | arrivals at the barrier over all runs: each task adds 1 before each run and once after the last |
//! | [`PAGE_LOCK`] | the lock that makes a page step atomic: 0, or the holder (task number from 1) |
//! | [`RESERVED`] | kept 0 |
//! | results | one word per task: its call's result in the current run ([`result_word`]) |
//! | initial | the model's cells before the block, as the page computed them |
//! | cells | the model's cells the tasks run on, reset from `initial` before each run |
//!
//! The model's cells are the flat `[u32]` of `errseq_model::Layout`, at
//! the same indices, so a model address is an index into the `cells`
//! view.

use errseq::Ret;

/// Runs released so far.
pub const GO: u32 = 0;
/// Arrivals at the barrier, over all runs.
pub const ARRIVED: u32 = 1;
/// The page-step lock.
pub const PAGE_LOCK: u32 = 2;
/// Unused, so the control words fill 16 bytes.
pub const RESERVED: u32 = 3;
const CONTROL: u32 = 4;

/// At most this many tasks in a block (the explorer's own limit).
pub const MAX_TASKS: u32 = 16;
/// At most this many runs per block.
pub const MAX_RUNS: u32 = 100_000;
/// At most this many model cells (a scenario is far smaller).
pub const MAX_CELLS: u32 = 1 << 16;

/// Where each part of a block run's buffer is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ScenarioMap {
    tasks: u32,
    cells_len: u32,
}

impl ScenarioMap {
    /// The map for `tasks` tasks on `cells_len` model cells, if within bounds.
    pub fn new(tasks: u32, cells_len: u32) -> Result<ScenarioMap, String> {
        if !(1..=MAX_TASKS).contains(&tasks) {
            return Err(format!("a par block of {tasks} tasks; workers run 1 to {MAX_TASKS}"));
        }
        if cells_len > MAX_CELLS {
            return Err(format!("{cells_len} model cells; at most {MAX_CELLS} fit the buffer"));
        }
        Ok(ScenarioMap { tasks, cells_len })
    }

    pub fn tasks(self) -> u32 {
        self.tasks
    }

    pub fn cells_len(self) -> u32 {
        self.cells_len
    }

    /// Byte offset of the results, one word per task.
    pub fn results_at(self) -> u32 {
        CONTROL * 4
    }

    /// Byte offset of the initial cells (`cells_len` words).
    pub fn initial_at(self) -> u32 {
        self.results_at() + self.tasks * 4
    }

    /// Byte offset of the cells the tasks run on (`cells_len` words).
    pub fn cells_at(self) -> u32 {
        self.initial_at() + self.cells_len * 4
    }

    /// The buffer's length in bytes.
    pub fn bytes(self) -> u32 {
        self.cells_at() + self.cells_len * 4
    }

    /// Words of control at the start of the buffer.
    pub fn control_len(self) -> u32 {
        CONTROL
    }
}

/// A call's result as a word: `u32::MAX` for an event that returns
/// nothing, else [`Ret::code`] (0 for success, an errno, or a read's
/// version). The explorer keeps results in its states the same way.
pub fn result_word(result: Option<Ret>) -> u32 {
    result.map_or(u32::MAX, Ret::code)
}

/// The result a [`result_word`] stands for.
pub fn word_result(word: u32) -> Option<Ret> {
    (word != u32::MAX).then(|| Ret::from_code(word))
}

#[cfg(test)]
mod tests {
    use super::*;
    use errseq::Errno;

    #[test]
    fn the_parts_follow_each_other_without_overlap() {
        let m = ScenarioMap::new(3, 40).expect("in bounds");
        assert_eq!(m.results_at(), 16);
        assert_eq!(m.initial_at(), 16 + 12);
        assert_eq!(m.cells_at(), 28 + 160);
        assert_eq!(m.bytes(), 188 + 160);
        assert!(ScenarioMap::new(0, 40).is_err());
        assert!(ScenarioMap::new(17, 40).is_err());
        assert!(ScenarioMap::new(2, MAX_CELLS + 1).is_err());
    }

    #[test]
    fn results_survive_a_word() {
        for r in [
            None,
            Some(Ret::OK),
            Some(Ret::err(Errno::EIO)),
            Some(Ret::err(Errno::ENOSPC)),
            Some(Ret::version(2)),
        ] {
            assert_eq!(word_result(result_word(r)), r);
        }
    }
}
