//! The model's page-cache indexes (`errseq_model::index`) stay a function
//! of the kernel cells through interleaved steps too: after every step of
//! every outcome's interleaving, under every scheme, of scenarios that
//! race writeback, waits, sync, syncfs, eviction and reads.

use errseq_explorer::{check, trace, Bounds};
use errseq_model::index::rebuilt;
use errseq_scenario::parse;

const RACES: [&str; 5] = [
    "schemes: linux-4.12 linux-4.13 linux-5.8\nopen a f\nopen b g\nwrite a 1\nwrite a 2\nwrite b 5\nfail f EIO 2\n\
     par\n  fsync a\n  sync\n  write a 3\nend\nfsync a\nfsync b\n",
    "schemes: linux-4.12 linux-5.8\nopen a f\nopen b f\nwrite a 1\nwrite a 2\nfail f EIO\npar\n  fsync a\n  \
     writeback f\n  fdatasync b\nend\nsyncfs a\npar\n  sync_file_range a\n  write b 2\n  write a 9\nend\nfsync b\n",
    "schemes: linux-4.12 linux-5.8\nopen a f\nopen b g\nopen c h\nwrite a 1\nwrite b 2\nwrite c 3\nfail g EIO\n\
     par\n  sync\n  syncfs a\n  write a 4\nend\nclose a\nclose b\nclose c\npar\n  evict f\n  sync\nend\n",
    // Reads: ext4's atime dirtying the inode, and 4.12's btrfs page left
    // not uptodate by a failed write, its PG_error cleared by a read.
    "schemes: linux-4.12 linux-5.8\nopen a f\nopen b g\nwrite a 1\nread b\nwrite b 2\nfail f EIO\npar\n  fsync a\n  \
     read a 1\n  sync\nend\nread a 1\npar\n  read b 2\n  syncfs a\nend\n",
    "schemes: linux-4.12 linux-5.8\nfs: btrfs\nopen a f\nwrite a 1\nwrite a 2\nfail f EIO\npar\n  writeback f\n  \
     read a 1\n  fsync a\nend\nheal f\nread a 2\nfsync a\n",
];

#[test]
fn the_indexes_follow_the_cells_at_every_step_of_every_outcome() {
    let mut steps = 0;
    for text in RACES {
        let p = parse(text).unwrap_or_else(|d| panic!("{d:?}"));
        let r = check(&p, Bounds::default()).expect("explores");
        for c in &r.columns {
            let scheme = c.exploration.scheme;
            for o in &c.exploration.outcomes {
                let t = trace::replay(&r.program, scheme, p.scenario.fs(), &o.schedule).expect("replays");
                for s in &t.steps {
                    assert_eq!(rebuilt(&s.cells, &r.program.layout), s.cells, "{scheme}, event {}", s.event);
                    steps += 1;
                }
            }
        }
    }
    assert!(steps > 500, "{steps} steps checked");
}
