//! A small RFC 4180 CSV reader, shared by the build script (`build/ocd.rs`, which compiles the
//! Open Cookie Database) and the policy-file loader ([`super::policy`]).
//!
//! This file must stay free of crate imports: the build script includes it with `#[path]`.
//!
//! RFC 4180 §2, as read here:
//! - records end with CRLF; a bare LF is accepted too, and the last record may lack one;
//! - fields are separated by commas; spaces are part of the field;
//! - a field may be enclosed in double quotes, and then may contain commas, line breaks and
//!   doubled quotes (`""` stands for one `"`);
//! - a quote inside an unquoted field, or anything but a comma or a line break after a closing
//!   quote, is an error rather than a guess.

use std::fmt;

/// Why the text is not valid CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvError {
    /// A quoted field is still open at the end of the text.
    UnterminatedQuote {
        /// The 1-based line where the field starts.
        line: usize,
    },
    /// A `"` appears inside a field that does not start with one (RFC 4180 §2 rule 5).
    QuoteInUnquotedField {
        /// The 1-based line of the quote.
        line: usize,
    },
    /// Something other than a comma or a line break follows a closing quote.
    TextAfterClosingQuote {
        /// The 1-based line of the unexpected character.
        line: usize,
    },
}

impl CsvError {
    /// The 1-based line the error is on.
    pub fn line(&self) -> usize {
        match *self {
            CsvError::UnterminatedQuote { line }
            | CsvError::QuoteInUnquotedField { line }
            | CsvError::TextAfterClosingQuote { line } => line,
        }
    }
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CsvError::UnterminatedQuote { .. } => f.write_str("a quoted field is never closed"),
            CsvError::QuoteInUnquotedField { .. } => {
                f.write_str("a double quote inside an unquoted field (quote the whole field)")
            }
            CsvError::TextAfterClosingQuote { .. } => {
                f.write_str("text after the closing quote of a field")
            }
        }
    }
}

/// One record: its fields and the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The line of the record's first character.
    pub line: usize,
    /// The fields, unquoted.
    pub fields: Vec<String>,
}

impl Record {
    /// Whether the record is an empty line (one empty field).
    pub fn is_blank(&self) -> bool {
        self.fields.len() == 1 && self.fields[0].is_empty()
    }
}

/// An iterator over the records of a CSV text. After an error it yields nothing more.
pub struct Reader<'a> {
    rest: &'a str,
    line: usize,
    failed: bool,
}

impl<'a> Reader<'a> {
    /// Reads `text`, which starts at line 1.
    pub fn new(text: &'a str) -> Self {
        Reader {
            rest: text,
            line: 1,
            failed: false,
        }
    }

    fn record(&mut self) -> Result<Record, CsvError> {
        let start_line = self.line;
        let mut fields = Vec::new();
        let mut chars = self.rest.char_indices().peekable();
        let mut field = String::new();
        let mut consumed = self.rest.len();
        loop {
            // At the start of a field.
            if let Some(&(_, '"')) = chars.peek() {
                let open_line = self.line;
                chars.next();
                loop {
                    match chars.next() {
                        None => return Err(CsvError::UnterminatedQuote { line: open_line }),
                        Some((_, '"')) => {
                            if let Some(&(_, '"')) = chars.peek() {
                                chars.next();
                                field.push('"');
                            } else {
                                break;
                            }
                        }
                        Some((_, c)) => {
                            if c == '\n' {
                                self.line += 1;
                            }
                            field.push(c);
                        }
                    }
                }
                // After the closing quote: a separator, a line break or the end.
                match chars.peek() {
                    None | Some(&(_, ',')) | Some(&(_, '\n')) => {}
                    Some(&(i, '\r')) if self.rest[i + 1..].starts_with('\n') => {}
                    Some(_) => return Err(CsvError::TextAfterClosingQuote { line: self.line }),
                }
            }
            // The unquoted part (all of an unquoted field, nothing after a quoted one).
            let mut end_of_record = false;
            loop {
                match chars.next() {
                    None => {
                        end_of_record = true;
                        break;
                    }
                    Some((_, ',')) => break,
                    Some((i, '\n')) => {
                        consumed = i + 1;
                        self.line += 1;
                        end_of_record = true;
                        break;
                    }
                    Some((i, '\r')) if self.rest[i + 1..].starts_with('\n') => {
                        chars.next();
                        consumed = i + 2;
                        self.line += 1;
                        end_of_record = true;
                        break;
                    }
                    Some((_, '"')) => {
                        return Err(CsvError::QuoteInUnquotedField { line: self.line })
                    }
                    Some((_, c)) => field.push(c),
                }
            }
            fields.push(std::mem::take(&mut field));
            if end_of_record {
                break;
            }
        }
        self.rest = &self.rest[consumed.min(self.rest.len())..];
        Ok(Record {
            line: start_line,
            fields,
        })
    }
}

impl Iterator for Reader<'_> {
    type Item = Result<Record, CsvError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.rest.is_empty() {
            return None;
        }
        let result = self.record();
        if result.is_err() {
            self.failed = true;
        }
        Some(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<Vec<String>>, CsvError> {
        Reader::new(text)
            .map(|r| r.map(|r| r.fields))
            .collect::<Result<Vec<_>, _>>()
    }

    #[test]
    fn plain_records_split_on_commas_and_line_breaks() {
        assert_eq!(
            read("a,b,c\n1,,3\n").unwrap(),
            vec![vec!["a", "b", "c"], vec!["1", "", "3"]]
        );
        assert_eq!(
            read("a,b\r\nc,d").unwrap(),
            vec![vec!["a", "b"], vec!["c", "d"]]
        );
        assert_eq!(read("").unwrap(), Vec::<Vec<String>>::new());
    }

    #[test]
    fn quoted_fields_keep_commas_quotes_and_line_breaks() {
        let text = "x,\"one, two\",\"say \"\"hi\"\"\"\n\"multi\nline\",\"\"\n";
        assert_eq!(
            read(text).unwrap(),
            vec![vec!["x", "one, two", "say \"hi\""], vec!["multi\nline", ""]]
        );
    }

    #[test]
    fn records_know_the_line_they_start_on() {
        let lines: Vec<usize> = Reader::new("a\n\"b\nc\"\nd\n")
            .map(|r| r.unwrap().line)
            .collect();
        assert_eq!(lines, vec![1, 2, 4]);
    }

    #[test]
    fn trailing_comma_gives_an_empty_last_field() {
        assert_eq!(read("a,\n").unwrap(), vec![vec!["a", ""]]);
    }

    #[test]
    fn malformed_quoting_is_an_error_with_its_line() {
        assert_eq!(
            read("a\n\"open\n"),
            Err(CsvError::UnterminatedQuote { line: 2 })
        );
        assert_eq!(
            read("a\nb\"c\n"),
            Err(CsvError::QuoteInUnquotedField { line: 2 })
        );
        assert_eq!(
            read("\"a\"b\n"),
            Err(CsvError::TextAfterClosingQuote { line: 1 })
        );
    }

    #[test]
    fn blank_lines_are_visible_as_blank_records() {
        let records: Vec<Record> = Reader::new("a\n\nb\n").map(|r| r.unwrap()).collect();
        assert!(!records[0].is_blank());
        assert!(records[1].is_blank());
        assert_eq!(records[2].line, 3);
    }
}
