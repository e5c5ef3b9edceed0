//! The end line's check: CRC-32 (IEEE 802.3, as zlib's `crc32` and
//! Python's `zlib.crc32`) over the block's text, so a reader can tell
//! the text it put together again from a mail is the text that was sent,
//! comments and title included (the link checks only the rest).

/// The CRC-32 of `text`'s UTF-8 bytes.
pub fn crc32(text: &str) -> u32 {
    let mut crc = !0u32;
    for &b in text.as_bytes() {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_check_value() {
        // The CRC catalogue's check: CRC-32 of "123456789".
        assert_eq!(crc32("123456789"), 0xCBF4_3926);
        assert_eq!(crc32(""), 0);
    }
}
