//! Loading an operator's cookie table (design note §1, §4.3 step 1) from CSV or JSON text.
//!
//! Both formats describe one cookie per entry with these fields (names are case-insensitive;
//! spaces, `_` and `-` in them are ignored):
//!
//! | field | also accepted as | required | meaning |
//! |---|---|---|---|
//! | `cookie` | `name`, `cookie name` | yes | the cookie name; a trailing `*` makes it a prefix |
//! | `category` | `categories` | yes | one category, or several separated by `,` `;` `\|` `+` (see below) |
//! | `domain` | `host` | no | the domain (and its subdomains) the entry is limited to; several may be listed; `*.x` and `.x` mean `x` |
//! | `function/purpose` | `function`, `purpose`, `description` | no | audit text |
//! | `provider` | `vendor`, `platform` | no | audit text |
//! | `exemption` | | no | `audience-measurement`, or empty / `none` |
//!
//! Category names are read in the common vocabularies (design note §3.2), case-insensitively,
//! with an optional trailing "cookies":
//!
//! - **necessary**: necessary, strictly necessary, essential, required, technical, security,
//!   OneTrust `C0001`;
//! - **preferences**: preferences, preference, personalization, personalisation, functional,
//!   functionality, OneTrust `C0003`;
//! - **statistics**: statistics, statistical, analytics, analytical, performance, measurement,
//!   OneTrust `C0002`;
//! - **marketing**: marketing, advertising, advertisement, ads, targeting, tracking, social
//!   media, social, OneTrust `C0004` and `C0005`;
//! - **unclassified**: unclassified, uncategorized, uncategorised, unknown.
//!
//! "Functional" is the one ambiguous word: OneTrust's group C0003 means preferences by it, the
//! Open Cookie Database means "technical or strictly necessary". An operator's table is read
//! the way that fails closed, as preferences; write "necessary" for a cookie that needs no
//! consent.
//!
//! CSV: RFC 4180, a header row naming the columns in any order; unknown columns are ignored,
//! blank lines skipped. JSON: an array of objects, or an object whose `cookies` member is such
//! an array; values are strings or `null`, and `category` and `domain` may be arrays of
//! strings; unknown members are ignored.

use std::fmt;

use super::category::{Category, CategorySet, Exemption};
use super::classify::{canonical_rule, Rule, RuleError};
use super::csv;
use super::json::{self, Node, Value};

/// Why a policy file could not be loaded: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    line: usize,
    field: Option<&'static str>,
    kind: PolicyErrorKind,
}

/// What is wrong in a policy file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PolicyErrorKind {
    /// The text is not valid CSV or JSON.
    Syntax(String),
    /// The file holds no header row (CSV) or no value (JSON).
    Empty,
    /// A required column is missing from the CSV header.
    MissingColumn,
    /// Two columns (or two members of one JSON object) name the same field.
    DuplicateField(String),
    /// A CSV row has a different number of fields than the header.
    FieldCount {
        /// Fields in the header.
        expected: usize,
        /// Fields in the row.
        found: usize,
    },
    /// A required field is empty or absent.
    MissingValue,
    /// A JSON value of the wrong type.
    WrongType(&'static str),
    /// The JSON document is neither an array of entries nor an object with a `cookies` array.
    NotAPolicy,
    /// A category name no vocabulary knows.
    UnknownCategory(String),
    /// An exemption name that is not `audience-measurement`.
    UnknownExemption(String),
    /// A `*` that is not the last character of a cookie name.
    MisplacedWildcard,
    /// The entry does not make a valid rule.
    Rule(RuleError),
}

impl PolicyError {
    fn new(line: usize, field: Option<&'static str>, kind: PolicyErrorKind) -> PolicyError {
        PolicyError { line, field, kind }
    }

    /// The 1-based line of the problem.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The field concerned (`cookie`, `category`, `domain`, `exemption`, …), if one is.
    pub fn field(&self) -> Option<&'static str> {
        self.field
    }

    /// What is wrong.
    pub fn kind(&self) -> &PolicyErrorKind {
        &self.kind
    }
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(field) = self.field {
            write!(f, ", field `{field}`")?;
        }
        f.write_str(": ")?;
        match &self.kind {
            PolicyErrorKind::Syntax(m) => f.write_str(m),
            PolicyErrorKind::Empty => f.write_str("the file is empty"),
            PolicyErrorKind::MissingColumn => f.write_str("the header has no such column"),
            PolicyErrorKind::DuplicateField(name) => write!(f, "{name:?} names the field twice"),
            PolicyErrorKind::FieldCount { expected, found } => {
                write!(f, "{found} fields, but the header has {expected}")
            }
            PolicyErrorKind::MissingValue => f.write_str("a value is required"),
            PolicyErrorKind::WrongType(kind) => {
                write!(f, "{kind} where a string (or null) was expected")
            }
            PolicyErrorKind::NotAPolicy => f.write_str(
                "expected an array of cookie entries, or an object with a \"cookies\" array",
            ),
            PolicyErrorKind::UnknownCategory(v) => write!(
                f,
                "unknown category {v:?} (expected necessary, preferences, statistics, marketing \
                 or a synonym such as analytics, advertising, C0001-C0005)"
            ),
            PolicyErrorKind::UnknownExemption(v) => {
                write!(
                    f,
                    "unknown exemption {v:?} (expected audience-measurement or none)"
                )
            }
            PolicyErrorKind::MisplacedWildcard => {
                f.write_str("'*' may only end a cookie name (it makes the name a prefix)")
            }
            PolicyErrorKind::Rule(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl std::error::Error for PolicyError {}

/// The fields of an entry.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Field {
    Provider,
    Purpose,
    Cookie,
    Domain,
    Category,
    Exemption,
}

impl Field {
    fn name(self) -> &'static str {
        match self {
            Field::Provider => "provider",
            Field::Purpose => "function/purpose",
            Field::Cookie => "cookie",
            Field::Domain => "domain",
            Field::Category => "category",
            Field::Exemption => "exemption",
        }
    }

    /// The field a column header or member name stands for.
    fn from_label(label: &str) -> Option<Field> {
        let key: String = label
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect();
        Some(match key.as_str() {
            "provider" | "vendor" | "platform" => Field::Provider,
            "function/purpose" | "function" | "purpose" | "description" => Field::Purpose,
            "cookie" | "name" | "cookiename" => Field::Cookie,
            "domain" | "host" => Field::Domain,
            "category" | "categories" => Field::Category,
            "exemption" => Field::Exemption,
            _ => return None,
        })
    }
}

/// One entry's raw values, each with its line.
#[derive(Default)]
struct Entry {
    line: usize,
    values: [Option<(String, usize)>; 6],
}

impl Entry {
    fn get(&self, field: Field) -> Option<(&str, usize)> {
        self.values[field as usize]
            .as_ref()
            .map(|(v, line)| (v.trim(), *line))
            .filter(|(v, _)| !v.is_empty())
    }

    fn required(&self, field: Field) -> Result<(&str, usize), PolicyError> {
        self.get(field).ok_or_else(|| {
            PolicyError::new(self.line, Some(field.name()), PolicyErrorKind::MissingValue)
        })
    }

    /// The rules this entry stands for: one per listed domain, or one for any domain.
    fn rules(&self, out: &mut Vec<Rule>) -> Result<(), PolicyError> {
        let (raw_name, name_line) = self.required(Field::Cookie)?;
        let (name, prefix) = match raw_name.strip_suffix('*') {
            Some(stem) => (stem, true),
            None => (raw_name, false),
        };
        if name.contains('*') {
            return Err(PolicyError::new(
                name_line,
                Some(Field::Cookie.name()),
                PolicyErrorKind::MisplacedWildcard,
            ));
        }
        let (raw_category, category_line) = self.required(Field::Category)?;
        let categories = parse_categories(raw_category)
            .map_err(|kind| PolicyError::new(category_line, Some(Field::Category.name()), kind))?;
        let exemption = match self.get(Field::Exemption) {
            None => None,
            Some((v, line)) => parse_exemption(v)
                .map_err(|kind| PolicyError::new(line, Some(Field::Exemption.name()), kind))?,
        };
        let text = |f: Field| self.get(f).map(|(v, _)| v.to_owned());
        let base = Rule {
            domain: None,
            name: name.to_owned(),
            name_is_prefix: prefix,
            categories,
            exemption,
            purpose: text(Field::Purpose),
            provider: text(Field::Provider),
        };
        let domains: Vec<(&str, usize)> = match self.get(Field::Domain) {
            None => vec![],
            Some((v, line)) => v
                .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
                .filter(|d| !d.is_empty() && !d.eq_ignore_ascii_case("or"))
                .map(|d| (d.strip_prefix("*.").unwrap_or(d), line))
                .collect(),
        };
        let variants: Vec<(Option<&str>, usize)> = if domains.is_empty() {
            vec![(None, self.line)]
        } else {
            domains.into_iter().map(|(d, l)| (Some(d), l)).collect()
        };
        for (domain, domain_line) in variants {
            let rule = Rule {
                domain: domain.map(str::to_owned),
                ..base.clone()
            };
            let rule = canonical_rule(rule).map(|(r, _)| r).map_err(|e| {
                let (line, field) = match e {
                    RuleError::NoCategory => (category_line, Field::Category),
                    RuleError::EmptyName | RuleError::InvalidName => (name_line, Field::Cookie),
                    RuleError::InvalidDomain(_) => (domain_line, Field::Domain),
                    RuleError::ExemptionWithoutStatistics => (
                        self.get(Field::Exemption).map_or(self.line, |(_, l)| l),
                        Field::Exemption,
                    ),
                };
                PolicyError::new(line, Some(field.name()), PolicyErrorKind::Rule(e))
            })?;
            out.push(rule);
        }
        Ok(())
    }
}

/// One category word, in any of the vocabularies listed in the module documentation.
fn category_word(word: &str) -> Option<Category> {
    let mut w = word.trim().to_ascii_lowercase().replace(['_', '-'], " ");
    for tail in [" cookies", " cookie"] {
        if let Some(stem) = w.strip_suffix(tail) {
            w = stem.to_owned();
        }
    }
    let w = w.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(match w.as_str() {
        "necessary" | "strictly necessary" | "essential" | "strictly essential" | "required"
        | "technical" | "security" | "c0001" => Category::Necessary,
        "preferences" | "preference" | "personalization" | "personalisation" | "functional"
        | "functionality" | "c0003" => Category::Preferences,
        "statistics" | "statistic" | "statistical" | "analytics" | "analytical" | "performance"
        | "measurement" | "c0002" => Category::Statistics,
        "marketing" | "advertising" | "advertisement" | "ads" | "targeting" | "tracking"
        | "social media" | "social" | "c0004" | "c0005" => Category::Marketing,
        "unclassified" | "uncategorized" | "uncategorised" | "unknown" => Category::Unclassified,
        _ => return None,
    })
}

fn parse_categories(value: &str) -> Result<CategorySet, PolicyErrorKind> {
    let mut set = CategorySet::EMPTY;
    for word in value.split([',', ';', '|', '+']) {
        if word.trim().is_empty() {
            continue;
        }
        let c = category_word(word)
            .ok_or_else(|| PolicyErrorKind::UnknownCategory(word.trim().to_owned()))?;
        set = set.with(c);
    }
    if set.is_empty() {
        return Err(PolicyErrorKind::MissingValue);
    }
    Ok(set)
}

fn parse_exemption(value: &str) -> Result<Option<Exemption>, PolicyErrorKind> {
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "none" | "no" | "-" => Ok(None),
        _ => value
            .parse::<Exemption>()
            .map(Some)
            .map_err(|_| PolicyErrorKind::UnknownExemption(value.trim().to_owned())),
    }
}

/// Loads an operator's cookie table from CSV (RFC 4180, header row required).
pub fn rules_from_csv(text: &str) -> Result<Vec<Rule>, PolicyError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let syntax =
        |e: csv::CsvError| PolicyError::new(e.line(), None, PolicyErrorKind::Syntax(e.to_string()));
    let mut records = csv::Reader::new(text).filter(|r| !matches!(r, Ok(r) if r.is_blank()));
    let header = match records.next() {
        None => return Err(PolicyError::new(1, None, PolicyErrorKind::Empty)),
        Some(r) => r.map_err(syntax)?,
    };
    let mut columns: Vec<Option<Field>> = Vec::with_capacity(header.fields.len());
    for label in &header.fields {
        let field = Field::from_label(label);
        if let Some(f) = field {
            if columns.contains(&Some(f)) {
                return Err(PolicyError::new(
                    header.line,
                    Some(f.name()),
                    PolicyErrorKind::DuplicateField(label.clone()),
                ));
            }
        }
        columns.push(field);
    }
    for required in [Field::Cookie, Field::Category] {
        if !columns.contains(&Some(required)) {
            return Err(PolicyError::new(
                header.line,
                Some(required.name()),
                PolicyErrorKind::MissingColumn,
            ));
        }
    }
    let mut rules = Vec::new();
    for record in records {
        let record = record.map_err(syntax)?;
        if record.fields.len() != columns.len() {
            return Err(PolicyError::new(
                record.line,
                None,
                PolicyErrorKind::FieldCount {
                    expected: columns.len(),
                    found: record.fields.len(),
                },
            ));
        }
        let mut entry = Entry {
            line: record.line,
            ..Entry::default()
        };
        for (field, value) in columns.iter().zip(record.fields) {
            if let Some(f) = field {
                entry.values[*f as usize] = Some((value, record.line));
            }
        }
        entry.rules(&mut rules)?;
    }
    Ok(rules)
}

/// Loads an operator's cookie table from JSON: an array of entries, or `{"cookies": [...]}`.
pub fn rules_from_json(text: &str) -> Result<Vec<Rule>, PolicyError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(PolicyError::new(1, None, PolicyErrorKind::Empty));
    }
    let root = json::parse(text).map_err(|e| {
        PolicyError::new(e.line, None, PolicyErrorKind::Syntax(e.message.to_owned()))
    })?;
    let not_a_policy = |line| PolicyError::new(line, None, PolicyErrorKind::NotAPolicy);
    let items = match root.value {
        Value::Array(items) => items,
        Value::Object(members) => {
            let cookies = members
                .into_iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("cookies"))
                .ok_or_else(|| not_a_policy(root.line))?
                .1;
            match cookies.value {
                Value::Array(items) => items,
                _ => return Err(not_a_policy(cookies.line)),
            }
        }
        _ => return Err(not_a_policy(root.line)),
    };
    let mut rules = Vec::new();
    for item in items {
        let Value::Object(members) = item.value else {
            return Err(not_a_policy(item.line));
        };
        let mut entry = Entry {
            line: item.line,
            ..Entry::default()
        };
        for (key, node) in members {
            let Some(field) = Field::from_label(&key) else {
                continue;
            };
            if entry.values[field as usize].is_some() {
                return Err(PolicyError::new(
                    node.line,
                    Some(field.name()),
                    PolicyErrorKind::DuplicateField(key),
                ));
            }
            let lists = matches!(field, Field::Category | Field::Domain);
            entry.values[field as usize] = json_text(&node, lists)
                .map_err(|kind| PolicyError::new(node.line, Some(field.name()), kind))?
                .map(|v| (v, node.line));
        }
        entry.rules(&mut rules)?;
    }
    Ok(rules)
}

/// A member's value as text: a string, `null` (absent), or for list fields an array of
/// strings (joined with commas, which the field parsers split on).
fn json_text(node: &Node, lists: bool) -> Result<Option<String>, PolicyErrorKind> {
    match &node.value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        Value::Array(items) if lists => {
            let mut parts = Vec::with_capacity(items.len());
            for item in items {
                match &item.value {
                    Value::String(s) => parts.push(s.as_str()),
                    other => return Err(PolicyErrorKind::WrongType(other.kind())),
                }
            }
            Ok(Some(parts.join(",")))
        }
        other => Err(PolicyErrorKind::WrongType(other.kind())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_columns_are_found_by_name_in_any_order_and_case() {
        let rules = rules_from_csv(
            "Category,Cookie Name,Notes,Domain\r\nAnalytics,_pk_id.*,x,.Example.ORG\r\n",
        )
        .unwrap();
        assert_eq!(
            rules,
            vec![Rule::prefix("_pk_id.", Category::Statistics).on_domain("example.org")]
        );
    }

    #[test]
    fn vocabularies_map_onto_the_five_categories() {
        for (word, c) in [
            ("Strictly Necessary Cookies", Category::Necessary),
            ("C0001", Category::Necessary),
            ("security", Category::Necessary),
            ("Functional", Category::Preferences),
            ("c0003", Category::Preferences),
            ("Personalization", Category::Preferences),
            ("Performance Cookies", Category::Statistics),
            ("statistical", Category::Statistics),
            ("analytics", Category::Statistics),
            ("Targeting Cookies", Category::Marketing),
            ("Social Media", Category::Marketing),
            ("C0005", Category::Marketing),
            ("advertising", Category::Marketing),
            ("uncategorized", Category::Unclassified),
        ] {
            assert_eq!(category_word(word), Some(c), "{word}");
        }
        assert_eq!(
            parse_categories("statistics; marketing"),
            Ok(CategorySet::single(Category::Statistics) | Category::Marketing)
        );
        assert!(matches!(
            parse_categories("cookies for fun"),
            Err(PolicyErrorKind::UnknownCategory(_))
        ));
    }

    #[test]
    fn errors_name_the_line_and_field() {
        let e = rules_from_csv("cookie,category\na,necessary\nb,tasty\n").unwrap_err();
        assert_eq!((e.line(), e.field()), (3, Some("category")));
        assert_eq!(
            e.to_string(),
            "line 3, field `category`: unknown category \"tasty\" (expected necessary, \
             preferences, statistics, marketing or a synonym such as analytics, advertising, \
             C0001-C0005)"
        );
        let e = rules_from_csv("cookie,category\n,necessary\n").unwrap_err();
        assert_eq!((e.line(), e.field()), (2, Some("cookie")));
        let e = rules_from_csv("name,provider\nx,y\n").unwrap_err();
        assert_eq!(
            (e.line(), e.field(), e.kind()),
            (1, Some("category"), &PolicyErrorKind::MissingColumn)
        );
        let e = rules_from_csv("cookie,category\nx,necessary,extra\n").unwrap_err();
        assert_eq!(
            e.kind(),
            &PolicyErrorKind::FieldCount {
                expected: 2,
                found: 3
            }
        );
        let e = rules_from_csv("cookie,category,exemption\nx,marketing,audience measurement\n")
            .unwrap_err();
        assert_eq!(e.field(), Some("exemption"));
        assert_eq!(
            e.kind(),
            &PolicyErrorKind::Rule(RuleError::ExemptionWithoutStatistics)
        );
        let e = rules_from_csv("cookie,category\na*b,necessary\n").unwrap_err();
        assert_eq!(e.kind(), &PolicyErrorKind::MisplacedWildcard);
        let e = rules_from_csv("cookie,category,domain\na,necessary,bad/domain\n").unwrap_err();
        assert_eq!(e.field(), Some("domain"));
        let e = rules_from_csv("cookie,category\n\"a,necessary\n").unwrap_err();
        assert!(matches!(e.kind(), PolicyErrorKind::Syntax(_)));
        assert_eq!(
            rules_from_csv("").unwrap_err().kind(),
            &PolicyErrorKind::Empty
        );
    }

    #[test]
    fn a_listed_domain_set_gives_one_rule_per_domain() {
        let rules =
            rules_from_csv("cookie,category,domain\nsid,necessary,\"a.com, *.b.org\"\n").unwrap();
        let domains: Vec<_> = rules.iter().map(|r| r.domain.as_deref()).collect();
        assert_eq!(domains, vec![Some("a.com"), Some("b.org")]);
    }

    #[test]
    fn json_accepts_arrays_of_entries_and_a_cookies_member() {
        let a = rules_from_json(r#"[{"cookie": "x", "category": ["statistics", "marketing"]}]"#)
            .unwrap();
        let b = rules_from_json(
            r#"{"version": 2, "cookies": [{"Cookie": "x", "Category": "statistics+marketing", "domain": null}]}"#,
        )
        .unwrap();
        assert_eq!(a, b);
        assert_eq!(
            a[0].categories,
            CategorySet::single(Category::Statistics) | Category::Marketing
        );
    }

    #[test]
    fn json_errors_name_the_line_and_field() {
        let e = rules_from_json("[\n {\"cookie\": \"x\",\n  \"category\": 3}\n]").unwrap_err();
        assert_eq!((e.line(), e.field()), (3, Some("category")));
        assert_eq!(e.kind(), &PolicyErrorKind::WrongType("a number"));
        let e = rules_from_json("[\n {\"category\": \"necessary\"}\n]").unwrap_err();
        assert_eq!((e.line(), e.field()), (2, Some("cookie")));
        let e = rules_from_json("{\"rules\": []}").unwrap_err();
        assert_eq!(e.kind(), &PolicyErrorKind::NotAPolicy);
        let e = rules_from_json("[{\"cookie\": \"x\", \"name\": \"y\", \"category\": \"ads\"}]")
            .unwrap_err();
        assert!(matches!(e.kind(), PolicyErrorKind::DuplicateField(_)));
        let e = rules_from_json("[\n\n{").unwrap_err();
        assert_eq!(e.line(), 3);
    }

    #[test]
    fn exemption_column_accepts_none_and_audience_measurement() {
        let rules = rules_from_csv(
            "cookie,category,exemption\n_pk_id*,statistics,audience-measurement\n_ga,analytics,none\n",
        )
        .unwrap();
        assert_eq!(rules[0].exemption, Some(Exemption::AudienceMeasurement));
        assert_eq!(rules[1].exemption, None);
        let e = rules_from_csv("cookie,category,exemption\nx,statistics,cnil-ish\n").unwrap_err();
        assert!(matches!(e.kind(), PolicyErrorKind::UnknownExemption(_)));
    }
}
