//! Compiles the Open Cookie Database (`data/open-cookie-database.csv`) into static Rust tables
//! in `OUT_DIR/ocd_table.rs`, which `src/consent/ocd.rs` includes.
//!
//! Normalisation follows `data/NOTICE.md` and the data README it cites:
//! - names and domains lose surrounding white space and invisible format characters (soft
//!   hyphen, zero-width space/joiners, BOM);
//! - a name ending in `*` is a prefix, like a row with `Wildcard match = 1`;
//! - domains lose ` (3rd party)`, are split on ` or ` and `,`, lose a leading dot and are
//!   lowercased; an empty domain means "any domain";
//! - the category `Necessary` (outside the upstream vocabulary) is kept and treated like
//!   `Functional` at lookup time.
//!
//! Rows with a placeholder for a site-specific part, or with a domain that is a single label
//! (a typo upstream), are listed in [`EXCEPTIONS`], each with what is done about it. Any other row that does not fit the format fails the build with its
//! line number: a silently shortened table would weaken classification without anyone
//! noticing.
//!
//! Output layout (see `src/consent/ocd.rs`): `ROWS` holds the exact-name rows sorted by name,
//! then the prefix rows sorted by name; `EXACT_SLOTS` is an open-addressing hash table (FNV-1a,
//! linear probing, at most half full, each slot tagged with the high half of the hash) from a
//! name to its run of exact rows; `TRIE_ROOT`, `TRIE_NODES` and `TRIE_EDGES` form a byte trie
//! over the prefixes (the root's children indexed directly by byte), whose nodes point at their
//! runs of prefix rows.

#[path = "../src/consent/csv.rs"]
mod csv;

use std::collections::{BTreeMap, HashSet};
use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;
use std::process;

const CSV_PATH: &str = "data/open-cookie-database.csv";
const OUTPUT: &str = "ocd_table.rs";

const HEADER: [&str; 10] = [
    "ID",
    "Platform",
    "Category",
    "Cookie / Data Key name",
    "Domain",
    "Description",
    "Retention period",
    "Data Controller",
    "User Privacy & GDPR Rights Portals",
    "Wildcard match",
];

const CATEGORIES: [&str; 6] = [
    "Functional",
    "Personalization",
    "Analytics",
    "Marketing",
    "Security",
    "Necessary",
];

/// What to do with a row that carries a placeholder instead of a real value.
#[derive(Clone, Copy)]
enum Fix {
    /// Leave the row out: its name stands for a family of names that no prefix describes.
    Skip,
    /// The domain's first label is a placeholder (`ads-[account].adhese.com`): keep the row,
    /// constrained to the parent domain, which every real host of the family domain-matches.
    ParentDomain,
    /// The domain is a single label, which no cookie domain on the web is: keep the row as
    /// published. A one-label domain is a public suffix, so the row never applies and can only
    /// be reported as a hint (guessing the intended domain would be making data up).
    SingleLabel,
}

/// The documented exceptions: (row ID, the raw field concerned, fix). A row is only treated
/// as listed while that field still holds exactly this value.
const EXCEPTIONS: &[(&str, &str, Fix)] = &[
    // Google AdSense: "NNN" stands for a number.
    (
        "25e3aef9-eaf9-41d0-bb14-c0b45a938ae6",
        "pm_sess_NNN",
        Fix::Skip,
    ),
    (
        "a4818583-f3a0-49e6-b7f8-beeec8e9afac",
        "aboutads_sessNNN",
        Fix::Skip,
    ),
    // Indeed: "%INTEGER%" stands for a number; the key looks like a URL path, not a cookie.
    (
        "2c1380a0-ec77-4161-af73-292f48c3ced3",
        "pagead/conv/%INTEGER%",
        Fix::Skip,
    ),
    // Adhese: "[account]" stands for the customer's account name.
    (
        "74bc43ce-e880-4a84-a053-eec2ae0db194",
        "ads-[account].adhese.com",
        Fix::ParentDomain,
    ),
    (
        "3b135a58-78a6-425e-8bc0-f8e1c69a811a",
        "ads-[account].adhese.com",
        Fix::ParentDomain,
    ),
    // ID5 `gpp` and BetweenDigital `ut`: the domain column holds one label.
    (
        "89c83c41-018d-40d8-b20a-e59116440143",
        "id5-sync",
        Fix::SingleLabel,
    ),
    (
        "452ba8c5-b674-4910-803a-46d1461f75ca",
        "ut",
        Fix::SingleLabel,
    ),
];

/// Characters that render as nothing and only ever get into the data by copy and paste.
const INVISIBLE: [char; 6] = [
    '\u{00AD}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}',
];

struct Row {
    id: String,
    platform: String,
    category: &'static str,
    name: String,
    prefix: bool,
    domains: Vec<String>,
}

/// Reads the CSV, writes the table into `OUT_DIR`, and stops the build with every problem
/// found when the data does not fit the format.
pub fn generate() {
    println!("cargo:rerun-if-changed={CSV_PATH}");
    println!("cargo:rerun-if-changed=build/ocd.rs");
    println!("cargo:rerun-if-changed=src/consent/csv.rs");

    let crate_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("set by cargo")).join(OUTPUT);
    let text = match fs::read_to_string(crate_dir.join(CSV_PATH)) {
        Ok(text) => text,
        Err(e) => fail(&[format!("{CSV_PATH}: cannot read: {e}")]),
    };
    let rows = match parse(&text) {
        Ok(rows) => rows,
        Err(errors) => fail(&errors),
    };
    // The generated tables index rows and trie nodes with u16.
    if rows.len() >= usize::from(u16::MAX) / 2 {
        fail(&[format!(
            "{} rows: too many for the u16 indexes of the table",
            rows.len()
        )]);
    }
    let source = emit(&rows);
    if fs::read_to_string(&out).ok().as_deref() != Some(source.as_str()) {
        if let Err(e) = fs::write(&out, source) {
            fail(&[format!("cannot write {}: {e}", out.display())]);
        }
    }
}

fn fail(errors: &[String]) -> ! {
    eprintln!("error: the Open Cookie Database could not be compiled ({CSV_PATH}):");
    for e in errors {
        eprintln!("  {e}");
    }
    eprintln!(
        "Fix the data, or document the row in EXCEPTIONS in build/ocd.rs; \
         data/NOTICE.md says where the copy comes from."
    );
    process::exit(1);
}

fn parse(text: &str) -> Result<Vec<Row>, Vec<String>> {
    let mut errors = Vec::new();
    let mut rows = Vec::new();
    let mut ids = HashSet::new();
    let mut records = csv::Reader::new(text);
    match records.next() {
        Some(Ok(header)) if header.fields == HEADER => {}
        Some(Ok(header)) => {
            return Err(vec![format!(
                "line {}: the header is not the expected one ({})",
                header.line,
                HEADER.join(",")
            )])
        }
        Some(Err(e)) => return Err(vec![format!("line {}: {e}", e.line())]),
        None => return Err(vec!["the file is empty".to_owned()]),
    }
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                errors.push(format!("line {}: {e}", e.line()));
                break;
            }
        };
        let line = record.line;
        if record.is_blank() {
            errors.push(format!("line {line}: blank line"));
            continue;
        }
        if record.fields.len() != HEADER.len() {
            errors.push(format!(
                "line {line}: {} fields instead of {}",
                record.fields.len(),
                HEADER.len()
            ));
            continue;
        }
        match row(&record.fields) {
            Ok(Some(row)) => {
                if ids.insert(row.id.clone()) {
                    rows.push(row);
                } else {
                    errors.push(format!("line {line}: duplicate ID {}", row.id));
                }
            }
            Ok(None) => {}
            Err(message) => errors.push(format!("line {line}: {message}")),
        }
    }
    let skipped = EXCEPTIONS
        .iter()
        .filter(|(_, _, fix)| matches!(fix, Fix::Skip))
        .count();
    if errors.is_empty() && rows.is_empty() {
        errors.push(format!("no rows (besides {skipped} placeholders)"));
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// One data row, normalised; `None` for a documented placeholder that is left out.
fn row(f: &[String]) -> Result<Option<Row>, String> {
    let id = f[0].trim();
    if id.is_empty() {
        return Err("empty ID".to_owned());
    }
    let exception = EXCEPTIONS
        .iter()
        .find(|(pid, raw, _)| *pid == id && (f[3] == *raw || f[4] == *raw))
        .map(|(_, _, fix)| *fix);
    if let Some(Fix::Skip) = exception {
        return Ok(None);
    }

    let category = CATEGORIES
        .iter()
        .find(|c| **c == f[2].trim())
        .ok_or_else(|| format!("unknown category {:?} (ID {id})", f[2]))?;

    let prefix_flag = match f[9].trim() {
        "0" => false,
        "1" => true,
        other => return Err(format!("Wildcard match is {other:?}, not 0 or 1 (ID {id})")),
    };
    let mut name = clean(&f[3]);
    let prefix = match name.strip_suffix('*') {
        Some(stem) => {
            name = stem.to_owned();
            true
        }
        None => prefix_flag,
    };
    check_name(&name).map_err(|why| format!("cookie name {:?}: {why} (ID {id})", f[3]))?;

    let mut domains = Vec::new();
    let raw_domain = clean(&f[4]);
    if !raw_domain.is_empty() {
        // Host names hold no white space, so white space, commas and the word "or" are all
        // separators ("a.com (3rd party) or .b.com (3rd party)", " or c.net", "d.com, e.com").
        let without_notes = raw_domain.replace("(3rd party)", " ");
        for part in without_notes
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|p| !p.is_empty() && *p != "or")
        {
            let mut d = part.trim_start_matches('.').to_ascii_lowercase();
            if d.ends_with('.') {
                d.pop();
            }
            if let Some(Fix::ParentDomain) = exception {
                if let Some((first, parent)) = d.split_once('.') {
                    if first.contains('[') {
                        d = parent.to_owned();
                    }
                }
            }
            check_domain(&d).map_err(|why| format!("domain {:?}: {why} (ID {id})", f[4]))?;
            if !d.contains('.') && !matches!(exception, Some(Fix::SingleLabel)) {
                return Err(format!(
                    "domain {:?} is a single label: list it in EXCEPTIONS (ID {id})",
                    f[4]
                ));
            }
            if !domains.contains(&d) {
                domains.push(d);
            }
        }
        if domains.is_empty() {
            return Err(format!("domain {:?} names no domain (ID {id})", f[4]));
        }
    }

    Ok(Some(Row {
        id: id.to_owned(),
        platform: clean(&f[1]),
        category,
        name,
        prefix,
        domains,
    }))
}

fn clean(field: &str) -> String {
    field
        .chars()
        .filter(|c| !INVISIBLE.contains(c))
        .collect::<String>()
        .trim()
        .to_owned()
}

fn check_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("empty");
    }
    if name.chars().any(|c| c.is_control()) {
        return Err("contains a control character");
    }
    if name.contains([';', '=', ',', '"']) {
        return Err("contains a character that cannot be in a cookie name");
    }
    if name.contains('*') {
        return Err("contains '*' before its end");
    }
    // Placeholders for a variable part, which no real cookie name contains.
    if name.ends_with("NNN") || name.split('%').count() > 2 {
        return Err("looks like a placeholder: list it in EXCEPTIONS");
    }
    Ok(())
}

fn check_domain(domain: &str) -> Result<(), &'static str> {
    if domain.contains('[') {
        return Err("contains a placeholder: list it in EXCEPTIONS");
    }
    if domain.is_empty() || domain.split('.').any(str::is_empty) {
        return Err("has an empty label");
    }
    if !domain
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
    {
        return Err("is not a host name");
    }
    Ok(())
}

/// One string holding every distinct name, ID, platform and domain once.
#[derive(Default)]
struct Strings {
    text: String,
    at: std::collections::HashMap<String, usize>,
}

impl Strings {
    /// The Rust expression for `s` in the generated table: `Str(offset, len)`.
    fn add(&mut self, s: &str) -> String {
        let offset = match self.at.get(s) {
            Some(&o) => o,
            None => {
                let o = self.text.len();
                self.text.push_str(s);
                self.at.insert(s.to_owned(), o);
                o
            }
        };
        if s.len() > usize::from(u16::MAX) {
            fail(&[format!("a field of {} bytes is too long", s.len())]);
        }
        format!("Str({offset}, {})", s.len())
    }
}

/// FNV-1a, 64-bit; `src/consent/ocd.rs` computes the same hash at lookup time.
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn emit(rows: &[Row]) -> String {
    // Exact rows first, then prefix rows; each part sorted by name, keeping file order for
    // equal names (the sort is stable), so that rows sharing a name are one run.
    let mut order: Vec<&Row> = rows.iter().collect();
    order.sort_by(|a, b| (a.prefix, &a.name).cmp(&(b.prefix, &b.name)));
    let exact_end = order.iter().position(|r| r.prefix).unwrap_or(order.len());

    let mut out = String::new();
    out.push_str(
        "// @generated by build/ocd.rs from data/open-cookie-database.csv. Do not edit.\n\n",
    );
    let _ = writeln!(
        out,
        "/// Rows before this index have exact names; the rest are prefixes."
    );
    let _ = writeln!(out, "#[allow(dead_code)] // read by the tests");
    let _ = writeln!(out, "const EXACT_END: usize = {exact_end};\n");
    // The tables hold integers only (offsets into one string), so they need no relocations
    // and stay in read-only, shareable pages.
    let mut strings = Strings::default();
    let mut domains: Vec<String> = Vec::new();
    let mut rows_text = String::new();
    for r in &order {
        let first_domain = domains.len();
        for d in &r.domains {
            domains.push(strings.add(d));
        }
        let _ = writeln!(
            rows_text,
            "    OcdEntry {{ id: {}, platform: {}, name: {}, domains: ({first_domain}, {}), \
             category: OcdCategory::{}, prefix: {} }},",
            strings.add(&r.id),
            strings.add(&r.platform),
            strings.add(&r.name),
            r.domains.len(),
            r.category,
            r.prefix
        );
    }
    if strings.text.len() > u32::MAX as usize || domains.len() > usize::from(u16::MAX) {
        fail(&["the string table is too large for its u32/u16 offsets".to_owned()]);
    }
    let _ = writeln!(out, "static STRINGS: &str = {:?};\n", strings.text);
    let _ = writeln!(out, "static DOMAINS: [Str; {}] = [", domains.len());
    for chunk in domains.chunks(4) {
        out.push_str("   ");
        for d in chunk {
            let _ = write!(out, " {d},");
        }
        out.push('\n');
    }
    out.push_str("];\n\n");
    let _ = writeln!(out, "static ROWS: [OcdEntry; {}] = [", order.len());
    out.push_str(&rows_text);
    out.push_str("];\n\n");

    // Runs of exact rows by name: (start, len).
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for (i, r) in order[..exact_end].iter().enumerate() {
        match runs.last_mut() {
            Some((start, len)) if order[*start].name == r.name => *len += 1,
            _ => runs.push((i, 1)),
        }
    }
    let slots_len = (runs.len() * 2).next_power_of_two().max(16);
    let mut slots = vec![(0usize, 0usize, 0u32); slots_len];
    for &(start, len) in &runs {
        let hash = fnv1a(order[start].name.as_bytes());
        let mut i = (hash as usize) & (slots_len - 1);
        while slots[i].1 != 0 {
            i = (i + 1) & (slots_len - 1);
        }
        slots[i] = (start, len, (hash >> 32) as u32);
    }
    let _ = writeln!(
        out,
        "/// (first row, row count, high half of the name's hash); a count of 0 is an empty slot."
    );
    let _ = writeln!(
        out,
        "static EXACT_SLOTS: [(u16, u16, u32); {slots_len}] = ["
    );
    for chunk in slots.chunks(4) {
        out.push_str("   ");
        for (start, len, tag) in chunk {
            let _ = write!(out, " ({start}, {len}, {tag:#010x}),");
        }
        out.push('\n');
    }
    out.push_str("];\n\n");

    // The prefix trie, built with maps, then laid out breadth-first so that each node's edges
    // are one sorted run.
    struct Node {
        children: BTreeMap<u8, usize>,
        rows: (usize, usize),
    }
    let mut nodes = vec![Node {
        children: BTreeMap::new(),
        rows: (0, 0),
    }];
    for (i, r) in order.iter().enumerate().skip(exact_end) {
        let mut n = 0;
        for &b in r.name.as_bytes() {
            n = match nodes[n].children.get(&b) {
                Some(&child) => child,
                None => {
                    nodes.push(Node {
                        children: BTreeMap::new(),
                        rows: (0, 0),
                    });
                    let child = nodes.len() - 1;
                    nodes[n].children.insert(b, child);
                    child
                }
            };
        }
        let run = &mut nodes[n].rows;
        if run.1 == 0 {
            *run = (i, 1);
        } else {
            run.1 += 1;
        }
    }
    let mut bfs = vec![0usize];
    let mut position = vec![0usize; nodes.len()];
    let mut k = 0;
    while k < bfs.len() {
        let n = bfs[k];
        position[n] = k;
        bfs.extend(nodes[n].children.values().copied());
        k += 1;
    }
    if bfs.len() > usize::from(u16::MAX) {
        fail(&[format!(
            "{} trie nodes: too many for u16 indexes",
            bfs.len()
        )]);
    }
    let mut edges = Vec::new();
    let _ = writeln!(out, "static TRIE_NODES: [TrieNode; {}] = [", bfs.len());
    for &n in &bfs {
        let first = edges.len();
        for (&b, &child) in &nodes[n].children {
            edges.push((b, position[child]));
        }
        let _ = writeln!(
            out,
            "    TrieNode {{ edges: ({first}, {}), rows: ({}, {}) }},",
            edges.len() - first,
            nodes[n].rows.0,
            nodes[n].rows.1
        );
    }
    out.push_str("];\n\n");
    // The root's children, indexed by byte: most names stop here, with one load.
    let mut root = [0usize; 256];
    for (&b, &child) in &nodes[0].children {
        root[usize::from(b)] = position[child];
    }
    let _ = writeln!(
        out,
        "/// The root's child for each first byte; 0 (the root itself) means none."
    );
    let _ = writeln!(out, "static TRIE_ROOT: [u16; 256] = [");
    for chunk in root.chunks(16) {
        out.push_str("   ");
        for child in chunk {
            let _ = write!(out, " {child},");
        }
        out.push('\n');
    }
    out.push_str("];\n\n");
    let _ = writeln!(out, "static TRIE_EDGES: [(u8, u16); {}] = [", edges.len());
    for chunk in edges.chunks(8) {
        out.push_str("   ");
        for (b, child) in chunk {
            let _ = write!(out, " ({b}, {child}),");
        }
        out.push('\n');
    }
    out.push_str("];\n");
    out
}
