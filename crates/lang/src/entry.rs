//! The entry points a scheme defines: the word-level functions of
//! lib/errseq.c and the VFS glue of mm/filemap.c, with the kernel's
//! signatures.

use crate::ast::Ty;

/// One entry point.
pub struct Entry {
    pub name: &'static str,
    pub ret: Ty,
    /// 4.13 to 4.15 declared `errseq_set` as a `void` inline wrapper
    /// around `__errseq_set`; callers ignore the value either way.
    pub ret_may_be_void: bool,
    pub params: &'static [Ty],
    pub prototype: &'static str,
}

/// Index of each entry in [`ENTRIES`].
pub const SET: usize = 0;
pub const SAMPLE: usize = 1;
pub const CHECK: usize = 2;
pub const CHECK_AND_ADVANCE: usize = 3;
pub const FILE_CHECK_AND_ADVANCE: usize = 4;

pub const ENTRIES: [Entry; 5] = [
    Entry {
        name: "errseq_set",
        ret: Ty::U32,
        ret_may_be_void: true,
        params: &[Ty::PWord, Ty::I32],
        prototype: "errseq_t errseq_set(errseq_t *eseq, int err)` (or `void errseq_set(...)",
    },
    Entry {
        name: "errseq_sample",
        ret: Ty::U32,
        ret_may_be_void: false,
        params: &[Ty::PWord],
        prototype: "errseq_t errseq_sample(errseq_t *eseq)",
    },
    Entry {
        name: "errseq_check",
        ret: Ty::I32,
        ret_may_be_void: false,
        params: &[Ty::PWord, Ty::U32],
        prototype: "int errseq_check(errseq_t *eseq, errseq_t since)",
    },
    Entry {
        name: "errseq_check_and_advance",
        ret: Ty::I32,
        ret_may_be_void: false,
        params: &[Ty::PWord, Ty::PWord],
        prototype: "int errseq_check_and_advance(errseq_t *eseq, errseq_t *since)",
    },
    Entry {
        name: "file_check_and_advance_wb_err",
        ret: Ty::I32,
        ret_may_be_void: false,
        params: &[Ty::PFile],
        prototype: "int file_check_and_advance_wb_err(struct file *file)",
    },
];
