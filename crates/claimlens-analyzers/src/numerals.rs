//! Numbers written with digits ("1,000.5", "2.3") or words ("three", "twenty-five"), and the
//! measurement units written after them, shared by the temporal and amounts stages.
//!
//! Values are exact decimals kept as an integer mantissa and a count of decimal places, so
//! "2.3bn" becomes 2300000000 without float rounding. Every operation is checked: an absurd
//! number ("10,000 digits") yields `None`, never a panic or a wrong wrap-around.

/// A token's lower-case form, borrowed when it already is lower case (most tokens), so the
/// per-token scanners allocate only for capitalised words.
pub(crate) fn lower(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase() || b >= 0x80) {
        std::borrow::Cow::Owned(s.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// An exact non-negative decimal: `mantissa / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Decimal {
    mantissa: u128,
    scale: u32,
}

/// Largest number of decimal places kept; more are a sign of garbage, not of precision.
const MAX_SCALE: u32 = 12;

impl Decimal {
    /// An integer.
    pub(crate) fn int(v: u64) -> Decimal {
        Decimal {
            mantissa: v as u128,
            scale: 0,
        }
    }

    /// Parses digits with optional thousands commas and one decimal point ("1,000.50").
    /// Commas must group three digits, so "1,2" is not a number.
    pub(crate) fn parse(s: &str) -> Option<Decimal> {
        let (int_part, frac) = match s.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (s, None),
        };
        if int_part.is_empty() || !int_part.as_bytes()[0].is_ascii_digit() {
            return None;
        }
        let groups: Vec<&str> = int_part.split(',').collect();
        if groups.len() > 1 && (groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3)) {
            return None;
        }
        let mut mantissa: u128 = 0;
        for b in groups.iter().flat_map(|g| g.bytes()) {
            if !b.is_ascii_digit() {
                return None;
            }
            mantissa = mantissa.checked_mul(10)?.checked_add((b - b'0') as u128)?;
        }
        let mut scale = 0;
        if let Some(f) = frac {
            if f.is_empty() || f.len() > MAX_SCALE as usize {
                return None;
            }
            for b in f.bytes() {
                if !b.is_ascii_digit() {
                    return None;
                }
                mantissa = mantissa.checked_mul(10)?.checked_add((b - b'0') as u128)?;
                scale += 1;
            }
        }
        Some(Decimal { mantissa, scale })
    }

    /// Adds another decimal of the same scale (both integers in practice).
    pub(crate) fn plus(self, other: Decimal) -> Option<Decimal> {
        (self.scale == other.scale).then_some(())?;
        Some(Decimal {
            mantissa: self.mantissa.checked_add(other.mantissa)?,
            scale: self.scale,
        })
    }

    /// Multiplies by a whole factor (a million, a dozen).
    pub(crate) fn times(self, factor: u64) -> Option<Decimal> {
        Some(Decimal {
            mantissa: self.mantissa.checked_mul(factor as u128)?,
            scale: self.scale,
        })
    }
}

impl std::fmt::Display for Decimal {
    /// Plain decimal notation without trailing zeros: `5000000`, `2.3`, `0.05`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let digits = self.mantissa.to_string();
        let scale = self.scale as usize;
        if scale == 0 {
            return f.write_str(&digits);
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (int, frac) = padded.split_at(padded.len() - scale);
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() {
            f.write_str(int)
        } else {
            write!(f, "{int}.{frac}")
        }
    }
}

/// Word numbers up to nineteen, and the tens (a `match`, which compiles to a length switch:
/// this runs on every token).
fn unit_word(w: &str) -> Option<u64> {
    Some(match w {
        "zero" => 0,
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        _ => return None,
    })
}

/// The value of one lower-case number word ("three", "twenty-five", "dozen"), if it is one.
pub(crate) fn word_number(w: &str) -> Option<u64> {
    if w.len() < 3 || w.len() > 15 {
        return None;
    }
    if let Some(v) = unit_word(w) {
        return Some(v);
    }
    if w == "dozen" {
        return Some(12);
    }
    // "twenty-five"
    let (tens, unit) = w.split_once('-')?;
    let t = unit_word(tens)?;
    let u = unit_word(unit)?;
    (t >= 20 && t % 10 == 0 && (1..10).contains(&u)).then_some(t + u)
}

/// The factor of a scale word or abbreviation ("million", "bn", "k").
pub(crate) fn scale_word(w: &str) -> Option<u64> {
    Some(match w {
        "hundred" => 100,
        "thousand" | "k" => 1_000,
        "million" | "millions" | "mln" | "mn" | "m" => 1_000_000,
        "billion" | "billions" | "bn" | "bln" | "b" => 1_000_000_000,
        "trillion" | "trillions" | "tn" | "trn" => 1_000_000_000_000,
        _ => return None,
    })
}

/// Ordinals as written in dates and centuries: "5th", "fifth", "21st".
pub(crate) fn ordinal(w: &str) -> Option<u64> {
    const WORDS: &[&str] = &[
        "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
        "tenth", "eleventh", "twelfth",
    ];
    if let Some(i) = WORDS.iter().position(|x| *x == w) {
        return Some(i as u64 + 1);
    }
    let digits = w
        .strip_suffix("st")
        .or_else(|| w.strip_suffix("nd"))
        .or_else(|| w.strip_suffix("rd"))
        .or_else(|| w.strip_suffix("th"))?;
    if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Measurement units written after the number (or glued to it: "10km"), with the code
/// reported in `attrs.unit`.
pub(crate) fn unit_of(w: &str) -> Option<&'static str> {
    Some(match w {
        "km" | "kilometer" | "kilometers" | "kilometre" | "kilometres" => "km",
        "m" | "meter" | "meters" | "metre" | "metres" => "m",
        "cm" | "centimeter" | "centimeters" | "centimetre" | "centimetres" => "cm",
        "mm" | "millimeter" | "millimeters" | "millimetre" | "millimetres" => "mm",
        "mile" | "miles" | "mi" => "mi",
        "foot" | "feet" | "ft" => "ft",
        "inch" | "inches" => "in",
        "kg" | "kilogram" | "kilograms" | "kilo" | "kilos" => "kg",
        "g" | "gram" | "grams" => "g",
        "ton" | "tons" | "tonne" | "tonnes" | "t" => "t",
        "pound" | "pounds" | "lb" | "lbs" => "lb",
        "acre" | "acres" => "acre",
        "hectare" | "hectares" | "ha" => "ha",
        "liter" | "liters" | "litre" | "litres" | "l" => "l",
        "gallon" | "gallons" => "gal",
        "barrel" | "barrels" | "bbl" => "bbl",
        "degree" | "degrees" => "deg",
        "mw" | "megawatt" | "megawatts" => "MW",
        "gw" | "gigawatt" | "gigawatts" => "GW",
        "kw" | "kilowatt" | "kilowatts" => "kW",
        "kwh" => "kWh",
        "mph" => "mph",
        "km/h" | "kph" => "km/h",
        "bcm" => "bcm",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_decimals() {
        assert_eq!(Decimal::parse("1,000.50").unwrap().to_string(), "1000.5");
        assert_eq!(
            Decimal::parse("2.3")
                .unwrap()
                .times(1_000_000_000)
                .unwrap()
                .to_string(),
            "2300000000"
        );
        assert_eq!(Decimal::parse("0.05").unwrap().to_string(), "0.05");
        assert!(Decimal::parse("1,2").is_none());
        assert!(Decimal::parse("abc").is_none());
        assert!(Decimal::parse("1.").is_none());
        assert!(Decimal::parse(&"9".repeat(10_000)).is_none());
        assert!(Decimal::parse(&"9".repeat(38))
            .unwrap()
            .times(1_000_000_000)
            .is_none());
    }

    #[test]
    fn reads_number_words() {
        assert_eq!(word_number("three"), Some(3));
        assert_eq!(word_number("twenty-five"), Some(25));
        assert_eq!(word_number("five-twenty"), None);
        assert_eq!(scale_word("bn"), Some(1_000_000_000));
        assert_eq!(ordinal("21st"), Some(21));
        assert_eq!(ordinal("fifth"), Some(5));
        assert_eq!(ordinal("th"), None);
    }
}
