//! A scenario in mail, and back: what the mail text carries, and how a
//! mail, a quoted reply or a rewrapped copy gives its scenarios back.
//!
//! Mailing-list archives outlive every web site, so the mail text
//! ([`block`], used by `errseq render` and the page's Email copy) carries
//! the scenario's canonical text itself, between two marker lines, and a
//! link that leaves out what the text already says:
//!
//! ```text
//! ----- errseq scenario -----
//! title: the fsync retry returns 0 after data loss (PostgreSQL, 2018)
//! open a f
//! fsync a => 0 rfc-v1=EIO  # healthy again, and still nothing \
//!   rewrites the page
//! ----- end of scenario -----
//! <https://errseq.example.org/#2A4JWChRoAYW...
//! ...>
//! ```
//!
//! # Writing
//!
//! - Every line of the block is at most [`BLOCK_WIDTH`] (72) columns, as
//!   wide as the mail. A reply's quote marks push lines past that; a mail
//!   program that then rewraps them with format=flowed marks its breaks,
//!   which the reader joins (the end line's check confirms it), and one
//!   that rewraps without marks is caught by the check. A longer line is
//!   folded: each piece but the
//!   last ends with a backslash, and the next piece is indented two
//!   columns more than the line. A fold at blanks keeps the blanks before
//!   the backslash (`nothing \`); a word longer than a line is cut inside
//!   (`abc\`), and the pieces join with nothing between them. A line that
//!   itself ends in a backslash is folded before it, so that its last
//!   piece is a lone `\`, which is never a fold.
//! - The block is inert ([`errseq_scenario::inert`]): a control character
//!   in a title or comment shows as `\x1b`. The link then carries the
//!   whole scenario, control characters and all.
//! - The link ([`link`]) leaves out the title and the comments when the
//!   scenario has any (the block says them); it is written between `<`
//!   and `>`, as RFC 3986 (appendix C) suggests for URLs in plain text,
//!   and broken into lines of at most 72 columns ([`link_lines`]), which
//!   the reader joins again, dropping the blanks.
//!
//! # Reading
//!
//! [`read`] takes whatever was pasted: a whole mail, a reply quoting it
//! (`> `, `>> `, `> > `, with other people's lines in between), a copy
//! rewrapped by a mail program (format=flowed, RFC 3676), or just the
//! block. It finds each block and each playground link; a block's lines
//! are those at the begin marker's quote depth (lines of other depths
//! between them are someone else's), unquoted and unfolded. A block and
//! the first link after it, at the same depth, are one scenario; the link
//! checks the text: both must say the same calls, expectations, claims
//! and headers (the title and comments only the text has). When the text
//! as written does not read, or differs from its link, the reader also
//! tries it with format=flowed's soft breaks joined (a line ending in a
//! blank continues), and, with a link to check against, with each line
//! that does not parse joined to the one before it (a line a mail program
//! broke without a mark); it keeps the first reading the link confirms.
//! A text that does not read and has a link gives the link's scenario,
//! saying that the title and comments are missing; a text without a link
//! is taken as it is, and its problems are the caller's to show. The same
//! scenario found twice (quoted at several depths) is given once.
//!
//! Callers read a text as mail only when it does not parse as a scenario
//! ([`read`] says [`Reading::NotMail`] when it finds nothing of a mail in
//! it), so a scenario file keeps its meaning whatever its comments say.

mod crc;
mod link;
#[cfg(any(test, feature = "test-support"))]
pub mod mangle;
mod quote;
mod read;
mod scan;
mod unfold;
mod write;

pub use crc::crc32;
pub use link::{link, link_lines, MailLink};
pub use read::{read, Found, Origin, Reading};
pub use write::{bare, block, end_line, fold};

/// The line before the scenario's text.
pub const BEGIN: &str = "----- errseq scenario -----";
/// The line after it, before its check: the end line is
/// `----- end of scenario (crc32 5c1e9a2b) -----` ([`end_line`]).
pub const END: &str = "----- end of scenario -----";
/// The widest line of the block.
pub const BLOCK_WIDTH: usize = 72;
/// The widest line of a mail.
pub const MAIL_WIDTH: usize = 72;
