//! No text hurts it: arbitrary and mutated scheme texts compile to a
//! program or to diagnostics, and every program's every entry point
//! returns, faults or stops, without a panic and within the loop budget.

use errseq::{Action, Addr, Cells, Errno, File, Memory, Scheme};
use errseq_lang::{compile, Program, STARTERS};
use proptest::prelude::*;

/// Pieces a mutation inserts: the language's own tokens, and some traps.
const PIECES: [&str; 28] = [
    ";",
    "{",
    "}",
    "(",
    ")",
    "*",
    "&",
    "->",
    "return ",
    "return 0;",
    "for (;;) ",
    "while (1) ",
    "break;",
    "continue;",
    "cmpxchg(eseq, old, new);",
    "spin_lock(&file->f_lock);",
    "spin_unlock(&file->f_lock);",
    " << 40",
    " / 0",
    "#define ERRSEQ_SHIFT 31\n",
    "static int h(int x) { return h(x); }\n",
    "int ",
    "errseq_t ",
    "READ_ONCE(*eseq)",
    "/*",
    "\"",
    "errseq_check(",
    "-2147483648",
];

const FILE: File = File { wb_err: Addr(1), sb_err: Addr(3), lock: Addr(2) };

/// Answers loads and cmpxchgs from a seed; stops after a few hundred steps.
struct Noisy {
    x: u64,
    steps: u32,
}

impl Memory for Noisy {
    type Stop = ();
    fn step(&mut self, a: Action) -> Result<u32, ()> {
        self.steps += 1;
        if self.steps > 300 {
            return Err(());
        }
        self.x ^= self.x << 13;
        self.x ^= self.x >> 7;
        self.x ^= self.x << 17;
        Ok(match a {
            Action::Cmpxchg { old, .. } if self.x & 1 == 0 => old,
            _ => (self.x >> 20) as u32 & 0xffff_f0ff,
        })
    }
}

/// Runs every entry point on plain cells and on the noisy memory.
fn exercise(p: &Program, seed: u64) {
    let mut m = Cells::new(4);
    let _ = errseq::complete(p.set(&mut m, Addr(0), Errno::EIO));
    let _ = errseq::complete(p.sample(&mut m, Addr(0)));
    let _ = errseq::complete(p.check(&mut m, Addr(0), 5));
    let _ = errseq::complete(p.check_and_advance(&mut m, Addr(0), Addr(1)));
    let _ = errseq::complete(p.file_check_and_advance_wb_err(&mut m, Addr(0), FILE));
    let mut n = Noisy { x: seed | 1, steps: 0 };
    let _ = p.set(&mut n, Addr(0), Errno::ENOSPC);
    let _ = p.sample(&mut n, Addr(0));
    let _ = p.check(&mut n, Addr(0), 0x1005);
    let _ = p.check_and_advance(&mut n, Addr(0), Addr(1));
    let _ = p.file_check_and_advance_wb_err(&mut n, Addr(0), FILE);
}

fn mutate(src: &str, edits: &[(u16, u16, u8)]) -> String {
    let mut s: Vec<char> = src.chars().collect();
    for &(at, len, what) in edits {
        let at = usize::from(at) % (s.len() + 1);
        let end = (at + usize::from(len) % 24).min(s.len());
        match what % 3 {
            0 => {
                s.drain(at..end);
            }
            1 => {
                let piece = PIECES[usize::from(what) % PIECES.len()];
                s.splice(at..at, piece.chars());
            }
            _ => {
                let dup: Vec<char> = s[at..end].to_vec();
                s.splice(at..at, dup);
            }
        }
    }
    s.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_is_a_value(src in ".{0,400}", base in 0usize..5) {
        if let Ok(p) = compile(&src, 1, STARTERS[base].base) {
            exercise(&p, src.len() as u64);
        }
    }

    #[test]
    fn mutated_sources_are_values(base in 0usize..5, edits in prop::collection::vec((any::<u16>(), any::<u16>(), any::<u8>()), 1..6), seed in any::<u64>()) {
        let src = mutate(STARTERS[base].source, &edits);
        match compile(&src, 7, STARTERS[base].base) {
            Ok(p) => exercise(&p, seed),
            Err(d) => prop_assert!(d.iter().any(|d| d.is_error())),
        }
    }
}

/// Tokens soup from the language's own pieces, long.
#[test]
fn token_soup_is_a_value() {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..300 {
        let mut src = String::new();
        for _ in 0..200 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            src.push_str(PIECES[(x % PIECES.len() as u64) as usize]);
        }
        if let Ok(p) = compile(&src, 1, Scheme::Linux417) {
            exercise(&p, x);
        }
    }
}

/// Deep nesting of every kind stops at the limit, not the stack.
#[test]
fn deep_nesting_is_an_error() {
    let n = 100_000;
    let texts = [
        format!("int errseq_check(errseq_t *e, errseq_t s) {{ return {}1; }}", "-".repeat(n)),
        format!("int errseq_check(errseq_t *e, errseq_t s) {{ return 1{}; }}", " + 1".repeat(n / 4)),
        format!("int errseq_check(errseq_t *e, errseq_t s) {{ {} return 0; }}", "{".repeat(n)),
        format!("int errseq_check(errseq_t *e, errseq_t s) {{ {} return 0; }}", "if (s) ".repeat(n / 8)),
        format!(
            "int file_check_and_advance_wb_err(struct file *f) {{ return f{}; }}",
            "->f_mapping".repeat(n / 12)
        ),
    ];
    for t in texts {
        let t = &t[..t.len().min(errseq_lang::MAX_SOURCE)];
        assert!(compile(t, 1, Scheme::Linux417).is_err());
    }
}
