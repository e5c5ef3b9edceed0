//! Any fragment into the link decoder (`errseq_share::decode`, every
//! version and `text=`): no panic, hang or unbounded memory, and a link
//! it reads encodes again to one that reads back to the same scenario.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let fragment = String::from_utf8_lossy(data);
    let Ok(shared) = errseq_share::decode(&fragment) else { return };
    let Ok(again) = errseq_share::try_encode(&shared.scenario, shared.replay.as_deref()) else { return };
    let back = errseq_share::decode(&again).unwrap_or_else(|e| panic!("its own link does not decode: {e}"));
    assert_eq!(back.scenario, shared.scenario);
});
