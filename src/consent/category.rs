//! The five consent categories, sets of them, and the one exemption (design note §3.1).

use std::fmt;
use std::str::FromStr;

/// What a cookie is for, in the five buckets every surveyed vocabulary maps onto (design note
/// §3.2). The numbers are fixed: they are the bit positions in a [`CategorySet`] and the values
/// of `cj_category` in the C API.
#[repr(u8)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    /// Needed for the service the user asked for (session, login, security, consent record,
    /// load balancing). Never needs consent.
    Necessary = 0,
    /// Remembers choices that change how the site looks or behaves (language, layout).
    Preferences = 1,
    /// Measures how visitors use the site.
    Statistics = 2,
    /// Tracks visitors across sites, for advertising or social media.
    Marketing = 3,
    /// No rule says; treated per the [`UnclassifiedPolicy`](super::UnclassifiedPolicy).
    Unclassified = 4,
}

impl Category {
    /// All categories, in numeric order.
    pub const ALL: [Category; 5] = [
        Category::Necessary,
        Category::Preferences,
        Category::Statistics,
        Category::Marketing,
        Category::Unclassified,
    ];

    /// The categories a user decides on (the others are fixed or decided by policy).
    pub const OPTIONAL: [Category; 3] = [
        Category::Preferences,
        Category::Statistics,
        Category::Marketing,
    ];

    /// The category numbered `value`, if there is one.
    pub const fn from_u8(value: u8) -> Option<Category> {
        match value {
            0 => Some(Category::Necessary),
            1 => Some(Category::Preferences),
            2 => Some(Category::Statistics),
            3 => Some(Category::Marketing),
            4 => Some(Category::Unclassified),
            _ => None,
        }
    }

    /// The category's number (its bit position in a [`CategorySet`]).
    pub const fn as_u8(self) -> u8 {
        self as u8
    }

    /// The lowercase name that [`Display`](fmt::Display) prints and [`FromStr`] reads.
    pub const fn name(self) -> &'static str {
        match self {
            Category::Necessary => "necessary",
            Category::Preferences => "preferences",
            Category::Statistics => "statistics",
            Category::Marketing => "marketing",
            Category::Unclassified => "unclassified",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A string that names no [`Category`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseCategoryError(pub(crate) Box<str>);

impl fmt::Display for ParseCategoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown consent category {:?} (expected necessary, preferences, statistics, \
             marketing or unclassified)",
            self.0
        )
    }
}

impl std::error::Error for ParseCategoryError {}

impl FromStr for Category {
    type Err = ParseCategoryError;

    /// Reads a category's own name, in any case. Other vocabularies (OneTrust, Cookiebot, the
    /// Open Cookie Database) are read by the policy loader, which knows their quirks.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        Category::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(t))
            .ok_or_else(|| ParseCategoryError(s.into()))
    }
}

/// A set of categories: bit *i* stands for the category numbered *i*. Almost always one bit.
///
/// A cookie is allowed only when *every* category in its set is (WP29: a multi-purpose cookie
/// is exempt only if each of its purposes is).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct CategorySet(u8);

impl CategorySet {
    /// No category.
    pub const EMPTY: CategorySet = CategorySet(0);
    /// All five categories.
    pub const ALL: CategorySet = CategorySet(0b1_1111);

    /// The set holding only `c`.
    pub const fn single(c: Category) -> CategorySet {
        CategorySet(1 << c as u8)
    }

    /// The set whose bits are `bits`, or `None` when a bit names no category.
    pub const fn from_bits(bits: u8) -> Option<CategorySet> {
        if bits & !Self::ALL.0 == 0 {
            Some(CategorySet(bits))
        } else {
            None
        }
    }

    /// The bits of the set.
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// How many categories the set holds.
    pub const fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether `c` is in the set.
    pub const fn contains(self, c: Category) -> bool {
        self.0 & (1 << c as u8) != 0
    }

    /// The categories in either set.
    #[must_use]
    pub const fn union(self, other: CategorySet) -> CategorySet {
        CategorySet(self.0 | other.0)
    }

    /// The set with `c` added.
    #[must_use]
    pub const fn with(self, c: Category) -> CategorySet {
        CategorySet(self.0 | (1 << c as u8))
    }

    /// The set with `c` removed.
    #[must_use]
    pub const fn without(self, c: Category) -> CategorySet {
        CategorySet(self.0 & !(1 << c as u8))
    }

    /// Whether every category of `self` is in `other`.
    pub const fn is_subset_of(self, other: CategorySet) -> bool {
        self.0 & !other.0 == 0
    }

    /// The categories in the set, in numeric order.
    pub fn iter(self) -> impl Iterator<Item = Category> {
        Category::ALL.into_iter().filter(move |c| self.contains(*c))
    }
}

impl From<Category> for CategorySet {
    fn from(c: Category) -> Self {
        CategorySet::single(c)
    }
}

impl FromIterator<Category> for CategorySet {
    fn from_iter<I: IntoIterator<Item = Category>>(iter: I) -> Self {
        iter.into_iter().fold(CategorySet::EMPTY, CategorySet::with)
    }
}

impl std::ops::BitOr for CategorySet {
    type Output = CategorySet;
    fn bitor(self, rhs: CategorySet) -> CategorySet {
        self.union(rhs)
    }
}

impl std::ops::BitOr<Category> for CategorySet {
    type Output = CategorySet;
    fn bitor(self, rhs: Category) -> CategorySet {
        self.with(rhs)
    }
}

impl fmt::Display for CategorySet {
    /// The names joined with `+` (`statistics+marketing`), or `none`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("none");
        }
        for (i, c) in self.iter().enumerate() {
            if i > 0 {
                f.write_str("+")?;
            }
            f.write_str(c.name())?;
        }
        Ok(())
    }
}

impl fmt::Debug for CategorySet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CategorySet({self})")
    }
}

/// A reason a cookie may be stored without consent although its category normally needs it.
///
/// Only valid with [`Category::Statistics`], only granted by operator rules, and only honoured
/// for first-party cookies under a profile that has it (design note §3 item 3, §4.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Exemption {
    /// CNIL's audience-measurement exemption (also the UK DUAA statistics exception): anonymous
    /// first-party statistics for the publisher's own use, lifetime capped at 13 months, and the
    /// user can object.
    AudienceMeasurement,
}

impl Exemption {
    /// The name that [`Display`](fmt::Display) prints and [`FromStr`] reads.
    pub const fn name(self) -> &'static str {
        match self {
            Exemption::AudienceMeasurement => "audience-measurement",
        }
    }
}

impl fmt::Display for Exemption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A string that names no [`Exemption`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseExemptionError(pub(crate) Box<str>);

impl fmt::Display for ParseExemptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown exemption {:?} (expected audience-measurement)",
            self.0
        )
    }
}

impl std::error::Error for ParseExemptionError {}

impl FromStr for Exemption {
    type Err = ParseExemptionError;

    /// Reads `audience-measurement` in any case, with `-`, `_` or a space between the words.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        match t.as_str() {
            "audience-measurement" => Ok(Exemption::AudienceMeasurement),
            _ => Err(ParseExemptionError(s.into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_round_trip_through_their_numbers_and_names() {
        for c in Category::ALL {
            assert_eq!(Category::from_u8(c.as_u8()), Some(c));
            assert_eq!(c.to_string().parse::<Category>(), Ok(c));
            assert_eq!(c.name().to_uppercase().parse::<Category>(), Ok(c));
        }
        assert_eq!(Category::from_u8(5), None);
        assert!("targeting".parse::<Category>().is_err());
    }

    #[test]
    fn category_numbers_are_the_c_api_values() {
        assert_eq!(Category::Necessary as u8, 0);
        assert_eq!(Category::Preferences as u8, 1);
        assert_eq!(Category::Statistics as u8, 2);
        assert_eq!(Category::Marketing as u8, 3);
        assert_eq!(Category::Unclassified as u8, 4);
    }

    #[test]
    fn sets_hold_one_bit_per_category() {
        let s = CategorySet::single(Category::Statistics) | Category::Marketing;
        assert_eq!(s.bits(), 0b1100);
        assert!(s.contains(Category::Marketing));
        assert!(!s.contains(Category::Necessary));
        assert_eq!(s.len(), 2);
        assert_eq!(
            s.iter().collect::<Vec<_>>(),
            vec![Category::Statistics, Category::Marketing]
        );
        assert_eq!(s.to_string(), "statistics+marketing");
        assert!(CategorySet::single(Category::Marketing).is_subset_of(s));
        assert!(!s.is_subset_of(CategorySet::single(Category::Marketing)));
        assert!(CategorySet::EMPTY.is_subset_of(s));
        assert_eq!(s.without(Category::Marketing), Category::Statistics.into());
    }

    #[test]
    fn sets_refuse_bits_beyond_the_five_categories() {
        assert_eq!(CategorySet::from_bits(0b1_1111), Some(CategorySet::ALL));
        assert_eq!(CategorySet::from_bits(0b10_0000), None);
    }

    #[test]
    fn exemption_names_are_forgiving_about_separators() {
        for s in [
            "audience-measurement",
            "Audience Measurement",
            "AUDIENCE_MEASUREMENT",
        ] {
            assert_eq!(s.parse::<Exemption>(), Ok(Exemption::AudienceMeasurement));
        }
        assert!("analytics".parse::<Exemption>().is_err());
    }
}
