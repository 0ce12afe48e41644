//! Reading lines with a length limit, so that an input without newlines (`/dev/zero`) cannot
//! make a reader allocate without bound.

use std::io::{self, BufRead};

/// `reader.fill_buf()`, retried while it is interrupted.
fn fill_buf<R: BufRead + ?Sized>(reader: &mut R) -> io::Result<&[u8]> {
    while let Err(e) = reader.fill_buf() {
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
    reader.fill_buf()
}

/// What [`read_line`] read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Line {
    /// The input ended before any byte of a new line.
    Eof,
    /// A line (without its `\n`) is in the buffer.
    Complete {
        /// Whether it ended with `\n` (the last line of an input may not).
        newline: bool,
    },
    /// The line is longer than the limit. The buffer holds nothing useful; `ended` tells
    /// whether its `\n` was consumed too (otherwise call [`skip_line`] to go on after it).
    TooLong {
        /// Whether the rest of the line, up to and including its `\n`, was consumed.
        ended: bool,
    },
}

/// The UTF-8 byte order mark, which some Windows tools write at the start of a text file.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads one line into `buf` (cleared first, the `\n` not kept), reading at most
/// `max_bytes` bytes of it into memory: a longer line is [`Line::TooLong`] as soon as the
/// limit is passed.
pub(crate) fn read_line<R: BufRead + ?Sized>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    max_bytes: usize,
) -> io::Result<Line> {
    buf.clear();
    loop {
        let available = fill_buf(reader)?;
        if available.is_empty() {
            return Ok(if buf.is_empty() {
                Line::Eof
            } else {
                Line::Complete { newline: false }
            });
        }
        let newline = available.iter().position(|&b| b == b'\n');
        let content = newline.unwrap_or(available.len());
        if buf.len() + content > max_bytes {
            let used = newline.map_or(available.len(), |i| i + 1);
            reader.consume(used);
            buf.clear();
            return Ok(Line::TooLong {
                ended: newline.is_some(),
            });
        }
        let wanted = buf.len() + content;
        if wanted > buf.capacity() {
            // Grow geometrically, but never past the limit.
            let cap = buf
                .capacity()
                .saturating_mul(2)
                .clamp(wanted, max_bytes.max(wanted));
            buf.reserve_exact(cap - buf.len());
        }
        buf.extend_from_slice(&available[..content]);
        match newline {
            Some(i) => {
                reader.consume(i + 1);
                return Ok(Line::Complete { newline: true });
            }
            None => {
                let n = available.len();
                reader.consume(n);
            }
        }
    }
}

/// How [`skip_line`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Skipped {
    /// The line's `\n` was consumed: the next line follows.
    LineEnd,
    /// The input ended.
    Eof,
    /// No `\n` within [`MAX_SKIPPED_BYTES`](crate::limits::MAX_SKIPPED_BYTES): the rest of the
    /// input is not read (an endless line, such as `/dev/zero`, is never read to its end).
    GaveUp,
}

/// Consumes the rest of a line, up to and including its `\n`, without keeping it, reading
/// at most `max_skipped` bytes.
pub(crate) fn skip_line<R: BufRead + ?Sized>(
    reader: &mut R,
    max_skipped: u64,
) -> io::Result<Skipped> {
    let mut skipped = 0u64;
    loop {
        if skipped >= max_skipped {
            return Ok(Skipped::GaveUp);
        }
        let available = fill_buf(reader)?;
        if available.is_empty() {
            return Ok(Skipped::Eof);
        }
        let room = usize::try_from(max_skipped - skipped).unwrap_or(usize::MAX);
        let window = &available[..available.len().min(room)];
        match window.iter().position(|&b| b == b'\n') {
            Some(i) => {
                reader.consume(i + 1);
                return Ok(Skipped::LineEnd);
            }
            None => {
                let n = window.len();
                reader.consume(n);
                skipped += n as u64;
            }
        }
    }
}

/// The message for a line longer than the limit whose end was not found within
/// [`MAX_SKIPPED_BYTES`](crate::limits::MAX_SKIPPED_BYTES): reading stops there.
pub fn gave_up_message(max_bytes: usize) -> String {
    format!(
        "the line is longer than the limit of {max_bytes} bytes (--max-line-bytes) and has no end within {} MiB after it; it and the rest of the input were not read",
        crate::limits::MAX_SKIPPED_BYTES / (1024 * 1024)
    )
}

/// The message for a line longer than the limit.
pub fn too_long_message(max_bytes: usize) -> String {
    format!(
        "the line is longer than the limit of {max_bytes} bytes (--max-line-bytes); it was not read"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufReader, Read};

    fn lines(input: &[u8], max: usize, cap: usize) -> Vec<Result<String, bool>> {
        let mut r = BufReader::with_capacity(cap, input);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        loop {
            match read_line(&mut r, &mut buf, max).unwrap() {
                Line::Eof => return out,
                Line::Complete { .. } => out.push(Ok(String::from_utf8(buf.clone()).unwrap())),
                Line::TooLong { ended } => {
                    assert!(buf.capacity() <= max.max(1) * 2);
                    if !ended {
                        assert_eq!(skip_line(&mut r, 1 << 20).unwrap(), Skipped::LineEnd);
                    }
                    out.push(Err(ended));
                }
            }
        }
    }

    #[test]
    fn splits_lines_and_refuses_long_ones() {
        for cap in [1, 2, 3, 8, 1024] {
            let got = lines(b"ab\n\nabcdef\nabcd\nxyz", 4, cap);
            assert_eq!(got.len(), 5, "cap {cap}");
            assert_eq!(got[0], Ok("ab".into()));
            assert_eq!(got[1], Ok(String::new()));
            assert!(got[2].is_err());
            assert_eq!(got[3], Ok("abcd".into()));
            assert_eq!(got[4], Ok("xyz".into()));
        }
    }

    #[test]
    fn an_endless_line_is_skipped_a_bounded_amount() {
        let zeros = std::io::repeat(0).take(10_000_000);
        let mut r = BufReader::with_capacity(4096, zeros);
        assert_eq!(skip_line(&mut r, 100_000).unwrap(), Skipped::GaveUp);
        let mut rest = Vec::new();
        let n = r.read_to_end(&mut rest).unwrap();
        assert_eq!(n, 10_000_000 - 100_000);
        let mut r = BufReader::with_capacity(7, &b"abc\nd"[..]);
        assert_eq!(skip_line(&mut r, 4).unwrap(), Skipped::LineEnd);
        assert_eq!(skip_line(&mut r, 4).unwrap(), Skipped::Eof);
    }

    #[test]
    fn never_holds_more_than_the_limit() {
        let zeros = std::io::repeat(0).take(10_000_000);
        let mut r = BufReader::with_capacity(4096, zeros);
        let mut buf = Vec::new();
        assert_eq!(
            read_line(&mut r, &mut buf, 1000).unwrap(),
            Line::TooLong { ended: false }
        );
        assert!(buf.capacity() <= 2000, "{}", buf.capacity());
    }
}
