use errseq::{Addr, Cells, Errno, Scheme, complete};
use errseq_lang::*;

#[test]
fn bases_compile() {
    for s in STARTERS {
        match compile("", 1, s.base) {
            Ok(p) => {
                for w in p.warnings() { println!("{}: {w}", s.base); }
                let mut m = Cells::new(4);
                complete(p.set(&mut m, Addr(0), Errno::EIO)).unwrap();
                println!("{} after set: {:#x}", s.base, m.0[0]);
            }
            Err(d) => { for x in &d { println!("{}: {x}", s.base); } panic!("base fails"); }
        }
    }
}
