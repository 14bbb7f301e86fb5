//! Virtual time. The engine never reads the wall clock: time is a count of virtual milliseconds that only moves
//! when the caller moves it. Timestamps print as a real cluster's would, counted from a fixed epoch.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point on the virtual clock, in milliseconds since the simulated cluster's epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Time(pub u64);

/// The wall-clock instant that virtual time zero stands for (2026-01-05T09:00:00Z), so timestamps in `-o yaml`
/// look like a real cluster's. Seconds since the Unix epoch.
const EPOCH_UNIX_SECONDS: i64 = 1_767_603_600;

impl Time {
    pub const ZERO: Time = Time(0);

    pub fn from_secs(s: u64) -> Time {
        Time(s * 1000)
    }

    pub fn millis(self) -> u64 {
        self.0
    }

    /// `self + ms`, saturating.
    pub fn plus(self, ms: u64) -> Time {
        Time(self.0.saturating_add(ms))
    }

    /// The millisecond before (what a repeating Event stopped now last recorded), saturating at zero.
    pub fn just_before(self) -> Time {
        Time(self.0.saturating_sub(1))
    }

    /// Milliseconds from `earlier` to `self`, or 0 when `earlier` is later.
    pub fn since(self, earlier: Time) -> u64 {
        self.0.saturating_sub(earlier.0)
    }

    /// Seconds since the Unix epoch of the wall-clock instant this virtual time stands for.
    pub fn unix_seconds(self) -> i64 {
        EPOCH_UNIX_SECONDS + (self.0 / 1000) as i64
    }

    /// As `date` prints it in a UTC container: `Mon Jan  5 09:00:00 UTC 2026`.
    pub fn date_string(self) -> String {
        self.strftime("%a %b %e %H:%M:%S %Z %Y")
    }

    /// `date +FORMAT`: the conversions scripts use (`%Y %m %d %H %M %S %y %j %e %a %A %b %B %Z %z %s %F %T
    /// %D %R %n %t %%`), in UTC. Anything else is printed as it is, as GNU date does.
    pub fn strftime(self, format: &str) -> String {
        const WEEKDAYS: [&str; 7] = [
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
            "Monday",
            "Tuesday",
            "Wednesday",
        ];
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let secs = self.unix_seconds();
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let (h, mi, se) = (rem / 3600, (rem % 3600) / 60, rem % 60);
        let weekday = WEEKDAYS[days.rem_euclid(7) as usize];
        let month = MONTHS[(m - 1).clamp(0, 11) as usize];
        let yday = days - days_from_civil(y, 1, 1) + 1;
        let mut out = String::new();
        let mut chars = format.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            let Some(spec) = chars.next() else {
                out.push('%');
                break;
            };
            let piece = match spec {
                'Y' => y.to_string(),
                'y' => format!("{:02}", y % 100),
                'm' => format!("{m:02}"),
                'd' => format!("{d:02}"),
                'e' => format!("{d:>2}"),
                'H' => format!("{h:02}"),
                'M' => format!("{mi:02}"),
                'S' => format!("{se:02}"),
                'j' => format!("{yday:03}"),
                'a' => weekday[..3].to_string(),
                'A' => weekday.to_string(),
                'b' | 'h' => month[..3].to_string(),
                'B' => month.to_string(),
                'Z' => "UTC".to_string(),
                'z' => "+0000".to_string(),
                's' => secs.to_string(),
                'F' => format!("{y:04}-{m:02}-{d:02}"),
                'T' => format!("{h:02}:{mi:02}:{se:02}"),
                'R' => format!("{h:02}:{mi:02}"),
                'D' => format!("{m:02}/{d:02}/{:02}", y % 100),
                'n' => "\n".to_string(),
                't' => "\t".to_string(),
                '%' => "%".to_string(),
                other => format!("%{other}"),
            };
            out.push_str(&piece);
        }
        out
    }

    /// RFC 3339 with nanoseconds, as `kubectl logs --timestamps` prints: `2026-01-05T09:00:03.250000000Z`.
    pub fn rfc3339_nanos(self) -> String {
        let base = self.rfc3339();
        format!("{}.{:03}000000Z", base.trim_end_matches('Z'), self.0 % 1000)
    }

    /// RFC 3339 with second precision, as the API server writes `creationTimestamp`.
    pub fn rfc3339(self) -> String {
        let secs = EPOCH_UNIX_SECONDS + (self.0 / 1000) as i64;
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            rem / 3600,
            (rem % 3600) / 60,
            rem % 60
        )
    }

    /// Parses what [`Time::rfc3339`] writes (`YYYY-MM-DDTHH:MM:SSZ`, optional fraction). Instants before the
    /// simulated epoch clamp to zero.
    pub fn parse_rfc3339(s: &str) -> Option<Time> {
        let b = s.as_bytes();
        if b.len() < 20
            || b[4] != b'-'
            || b[7] != b'-'
            || b[10] != b'T'
            || b[13] != b':'
            || b[16] != b':'
        {
            return None;
        }
        let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
        let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (h, mi, se) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if !s.ends_with('Z') {
            return None;
        }
        let days = days_from_civil(y, mo, d);
        let secs = days * 86_400 + h * 3600 + mi * 60 + se - EPOCH_UNIX_SECONDS;
        Some(Time(u64::try_from(secs.max(0)).unwrap_or(0) * 1000))
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rfc3339())
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.rfc3339())
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Time::parse_rfc3339(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("invalid timestamp {s:?}")))
    }
}

// Howard Hinnant's civil-date algorithms.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// How long a `-w` watch, a waiting `delete` or a `sleep` without end runs at most when nothing stops it: 10
/// virtual minutes.
pub const MAX_WAIT_MS: u64 = 600_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_round_trips() {
        let t = Time::from_secs(3_725);
        assert_eq!(t.rfc3339(), "2026-01-05T10:02:05Z");
        assert_eq!(Time::parse_rfc3339(&t.rfc3339()), Some(t));
        assert_eq!(Time::ZERO.rfc3339(), "2026-01-05T09:00:00Z");
        assert_eq!(Time::ZERO.date_string(), "Mon Jan  5 09:00:00 UTC 2026");
    }
}
