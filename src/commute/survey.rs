//! Reading a commuting survey through the shared input layer: one row per respondent.

use super::{Commuter, Group, ModeShare};
use crate::input::{
    ColumnMap, InputError, InputErrorKind, InputReader, Mapping, Record, Schema, parse_number,
};
use crate::journey::Stop;
use crate::mode::{Fuel, Mode, Size, normalise_word};
use crate::places::{Gazetteer, PlaceError, PlaceKind};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// Schema index of `id`.
pub const F_ID: usize = 0;
/// Schema index of `group`.
pub const F_GROUP: usize = 1;
/// Schema index of `postcode`.
pub const F_POSTCODE: usize = 2;
/// Schema index of `home`.
pub const F_HOME: usize = 3;
/// Schema index of `one_way_km`.
pub const F_ONE_WAY_KM: usize = 4;
/// Schema index of `mode`.
pub const F_MODE: usize = 5;
/// Schema index of `second_mode`.
pub const F_SECOND_MODE: usize = 6;
/// Schema index of `second_mode_share`.
pub const F_SECOND_MODE_SHARE: usize = 7;
/// Schema index of `days_per_week`.
pub const F_DAYS_PER_WEEK: usize = 8;
/// Schema index of `telework_days`.
pub const F_TELEWORK_DAYS: usize = 9;
/// Schema index of `weeks_per_year`.
pub const F_WEEKS_PER_YEAR: usize = 10;
/// Schema index of `occupancy`.
pub const F_OCCUPANCY: usize = 11;
/// Schema index of `fuel`.
pub const F_FUEL: usize = 12;
/// Schema index of `size`.
pub const F_SIZE: usize = 13;

/// The fields of a commuting survey (`group`, `mode` and `days_per_week` are required, and
/// one of `postcode`, `home`, `one_way_km`).
pub fn schema() -> Schema {
    Schema::new(&[
        ("id", false),
        ("group", true),
        ("postcode", false),
        ("home", false),
        ("one_way_km", false),
        ("mode", true),
        ("second_mode", false),
        ("second_mode_share", false),
        ("days_per_week", true),
        ("telework_days", false),
        ("weeks_per_year", false),
        ("occupancy", false),
        ("fuel", false),
        ("size", false),
    ])
}

/// What reading a survey needs: the gazetteer, the campus, the groups, an optional column map.
#[derive(Debug, Clone, Copy)]
pub struct SurveyContext<'a> {
    /// Resolves postcodes and places.
    pub gazetteer: &'a Gazetteer,
    /// The configured groups by name.
    pub groups: &'a BTreeMap<String, Group>,
    /// A user column map or preset.
    pub columns: Option<&'a ColumnMap>,
}

/// A survey row that cannot be used, with its reason (for counting) and the located error.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurveyReject {
    /// Short reason, the key for counting ("unknown postcode", "days per week out of range" ...).
    pub reason: &'static str,
    /// File, line, column, value, message and suggestion.
    #[serde(serialize_with = "serialize_error")]
    pub error: InputError,
}

fn serialize_error<S: serde::Serializer>(e: &InputError, s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct;
    let mut st = s.serialize_struct("InputError", 6)?;
    st.serialize_field("file", &e.file)?;
    st.serialize_field("line", &e.line)?;
    st.serialize_field("column", &e.column)?;
    st.serialize_field("value", &e.value)?;
    st.serialize_field("message", &e.message)?;
    st.serialize_field("suggestion", &e.suggestion)?;
    st.end()
}

/// The outcome of reading one survey file.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyRead {
    /// The file as named.
    pub file: String,
    /// `csv`, `xlsx` or `json`.
    pub format: &'static str,
    /// Non-blank rows read.
    pub rows_read: u64,
    /// The respondents that can be used, in file order.
    pub commuters: Vec<Commuter>,
    /// Rows that cannot be used, in file order.
    pub rejects: Vec<SurveyReject>,
}

struct RowCtx<'m> {
    file: &'m str,
    mapping: &'m Mapping,
}

impl RowCtx<'_> {
    fn err(
        &self,
        rec: &Record,
        field: usize,
        reason: &'static str,
        message: impl Into<String>,
    ) -> Box<SurveyReject> {
        Box::new(SurveyReject {
            reason,
            error: InputError::value(
                self.file,
                rec.line(),
                self.mapping.column_name(field),
                self.mapping.get(rec, field).to_string(),
                message,
            ),
        })
    }
}

/// A number in a range, with a reason for each way it can fail.
fn number_in(
    ctx: &RowCtx<'_>,
    rec: &Record,
    field: usize,
    reason: &'static str,
    lo: f64,
    hi: f64,
) -> Result<Option<f64>, Box<SurveyReject>> {
    let raw = ctx.mapping.get(rec, field);
    if raw.is_empty() {
        return Ok(None);
    }
    let v = ctx
        .mapping
        .parse_number(field, &raw)
        .map_err(|m| ctx.err(rec, field, reason, m))?;
    if v < lo || v > hi {
        let name = ctx.mapping.column_name(field);
        return Err(ctx.err(
            rec,
            field,
            reason,
            format!("{name} must be between {lo} and {hi}, got {v}"),
        ));
    }
    Ok(Some(v))
}

/// A share of days: `0.4`, `0,4` or `40 %`.
fn share_value(raw: &str) -> Result<f64, String> {
    let t = raw.trim();
    let (num, pct) = match t.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (t, false),
    };
    let v = parse_number(num)?;
    let v = if pct { v / 100.0 } else { v };
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else if !pct && v > 1.0 && v <= 100.0 {
        Err(format!(
            "a share must be between 0 and 1, got {v}; write {} or {v} %",
            v / 100.0
        ))
    } else {
        Err(format!(
            "a share must be between 0 and 1 (or 0 % to 100 %), got `{t}`"
        ))
    }
}

fn closest<'a>(needle: &str, names: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    if needle.len() > crate::input::MAX_SUGGEST_BYTES {
        return None;
    }
    let n = normalise_word(needle);
    names
        .map(|c| (c, strsim::jaro_winkler(&n, &normalise_word(c))))
        .filter(|(_, s)| *s >= 0.75)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c)
}

type PlaceResult = Result<(Stop, String), (&'static str, String, Option<String>)>;

struct Reader<'a> {
    ctx: SurveyContext<'a>,
    places: HashMap<(bool, String), PlaceResult>,
}

impl Reader<'_> {
    /// Resolves a postcode (`postcode` column: must be a Dutch PC4/PC6) or a place.
    fn place(&mut self, raw: &str, postcode: bool) -> PlaceResult {
        let key = (postcode, raw.to_string());
        if let Some(r) = self.places.get(&key) {
            return r.clone();
        }
        let r = self.resolve(raw, postcode);
        self.places.insert(key, r.clone());
        r
    }

    fn resolve(&self, raw: &str, postcode: bool) -> PlaceResult {
        let g = self.ctx.gazetteer;
        let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if postcode {
            let digits =
                compact.len() >= 4 && compact.as_bytes()[..4].iter().all(u8::is_ascii_digit);
            let rest_ok = compact.len() == 4
                || (compact.len() == 6 && compact[4..].bytes().all(|b| b.is_ascii_alphabetic()));
            if !digits || !rest_ok {
                return Err((
                    "unknown postcode",
                    format!("`{raw}` is not a Dutch postcode (four digits, e.g. 7522 or 7522 NB)"),
                    Some("put places outside the Netherlands in a `home` column".into()),
                ));
            }
        }
        match g.resolve(raw) {
            Ok(p) if postcode && p.kind != PlaceKind::Postcode => Err((
                "unknown postcode",
                format!("`{raw}` is not a Dutch postcode"),
                None,
            )),
            Ok(p) => Ok((Stop::from_place(&p), p.id.clone())),
            Err(e @ PlaceError::UnknownPostcode { .. }) => {
                Err(("unknown postcode", e.to_string(), None))
            }
            Err(e) => Err(("unknown place", e.to_string(), None)),
        }
    }

    /// The respondent's group (matched without case and accents), or a reject naming the
    /// configured groups.
    fn group(&self, rc: &RowCtx<'_>, rec: &Record) -> Result<&Group, Box<SurveyReject>> {
        let raw_group = rc.mapping.get(rec, F_GROUP);
        if raw_group.is_empty() {
            return Err(rc.err(rec, F_GROUP, "missing group", "empty group"));
        }
        let wanted = normalise_word(&raw_group);
        if let Some(group) = self
            .ctx
            .groups
            .values()
            .find(|g| normalise_word(&g.name) == wanted)
        {
            return Ok(group);
        }
        let names: Vec<&str> = self.ctx.groups.keys().map(String::as_str).collect();
        let mut r = rc.err(
            rec,
            F_GROUP,
            "unknown group",
            format!(
                "group `{raw_group}` has no population in the configuration; groups: {}",
                names.join(", ")
            ),
        );
        if let Some(best) = closest(&raw_group, names.iter().copied()) {
            r.error = r.error.with_suggestion(format!("did you mean `{best}`?"));
        }
        Err(r)
    }

    /// The home (postcode first, then a place), or `None` when neither column is filled.
    fn home(
        &mut self,
        rc: &RowCtx<'_>,
        rec: &Record,
    ) -> Result<Option<(Stop, String)>, Box<SurveyReject>> {
        for (field, is_pc) in [(F_POSTCODE, true), (F_HOME, false)] {
            let raw = rc.mapping.get(rec, field);
            if raw.is_empty() {
                continue;
            }
            return match self.place(&raw, is_pc) {
                Ok(h) => Ok(Some(h)),
                Err((reason, message, suggestion)) => {
                    let mut r = rc.err(rec, field, reason, message);
                    if let Some(s) = suggestion {
                        r.error = r.error.with_suggestion(s);
                    }
                    Err(r)
                }
            };
        }
        Ok(None)
    }

    fn row(
        &mut self,
        rc: &RowCtx<'_>,
        rec: &Record,
        file: &Arc<str>,
        respondent: u32,
    ) -> Result<Commuter, Box<SurveyReject>> {
        let m = rc.mapping;
        let group = self.group(rc, rec)?;
        let (group_name, group_weeks) = (group.name.clone(), group.weeks_per_year);
        let modes = modes(rc, rec)?;
        let (days, telework, weeks) = days(rc, rec, group_weeks)?;
        let occupancy =
            number_in(rc, rec, F_OCCUPANCY, "invalid occupancy", 1.0, 100.0)?.unwrap_or(1.0);
        let fuel = m
            .get(rec, F_FUEL)
            .parse::<Fuel>()
            .map_err(|e| rc.err(rec, F_FUEL, "unknown fuel", e.to_string()))?;
        let size = m
            .get(rec, F_SIZE)
            .parse::<Size>()
            .map_err(|e| rc.err(rec, F_SIZE, "unknown size", e.to_string()))?;
        let one_way_km = one_way_km(rc, rec)?;
        let home = self.home(rc, rec)?;
        if home.is_none() && one_way_km.is_none() {
            let mut r = rc.err(
                rec,
                F_POSTCODE,
                "no home location",
                "no postcode, home place or one_way_km",
            );
            r.error.column = None;
            return Err(r);
        }
        let dimensions = m
            .dims()
            .iter()
            .map(|d| (d.name.clone(), rec.get(d.column).trim().to_string()))
            .collect();
        let (home, home_id) = match home {
            Some((s, id)) => (Some(s), Some(id)),
            None => (None, None),
        };
        Ok(Commuter {
            file: file.clone(),
            line: rec.line(),
            id: m.get(rec, F_ID).to_string(),
            respondent,
            share: 1.0,
            group: group_name,
            home,
            home_id,
            one_way_km,
            modes,
            days_per_week: days,
            telework_days: telework,
            weeks_per_year: weeks,
            occupancy,
            fuel,
            size,
            dimensions,
        })
    }
}

/// The main mode and the optional second mode with its share of days.
fn modes(rc: &RowCtx<'_>, rec: &Record) -> Result<Vec<ModeShare>, Box<SurveyReject>> {
    let m = rc.mapping;
    let parse_mode =
        |field: usize, reason: &'static str| -> Result<Option<Mode>, Box<SurveyReject>> {
            let raw = m.get(rec, field);
            if raw.is_empty() {
                return Ok(None);
            }
            raw.parse::<Mode>()
                .map(Some)
                .map_err(|e| rc.err(rec, field, reason, e.to_string()))
        };
    let Some(mode) = parse_mode(F_MODE, "unknown mode")? else {
        return Err(rc.err(rec, F_MODE, "missing mode", "empty mode"));
    };
    let second = parse_mode(F_SECOND_MODE, "unknown second mode")?;
    let raw_share = m.get(rec, F_SECOND_MODE_SHARE);
    let only = |mode| {
        vec![ModeShare {
            mode,
            share_of_days: 1.0,
        }]
    };
    let Some(m2) = second else {
        if !raw_share.is_empty() && share_value(&raw_share).is_ok_and(|s| s > 0.0) {
            return Err(rc.err(
                rec,
                F_SECOND_MODE_SHARE,
                "second mode share without second mode",
                "a share of days for a second mode, but no second mode",
            ));
        }
        return Ok(only(mode));
    };
    if raw_share.is_empty() {
        return Err(rc.err(
            rec,
            F_SECOND_MODE_SHARE,
            "second mode without share",
            format!("second mode `{m2}` without its share of days (e.g. 0.4 or 40 %)"),
        ));
    }
    let s = share_value(&raw_share)
        .map_err(|e| rc.err(rec, F_SECOND_MODE_SHARE, "invalid second mode share", e))?;
    Ok(if m2 == mode || s == 0.0 {
        only(mode)
    } else if s == 1.0 {
        only(m2)
    } else {
        vec![
            ModeShare {
                mode,
                share_of_days: 1.0 - s,
            },
            ModeShare {
                mode: m2,
                share_of_days: s,
            },
        ]
    })
}

/// Days on campus and telework days a week (together at most 7), weeks a year (the
/// group's when empty).
fn days(
    rc: &RowCtx<'_>,
    rec: &Record,
    group_weeks: f64,
) -> Result<(f64, f64, f64), Box<SurveyReject>> {
    let Some(days) = number_in(
        rc,
        rec,
        F_DAYS_PER_WEEK,
        "days per week out of range",
        0.0,
        7.0,
    )?
    else {
        return Err(rc.err(
            rec,
            F_DAYS_PER_WEEK,
            "missing days per week",
            "empty days_per_week",
        ));
    };
    let telework = number_in(
        rc,
        rec,
        F_TELEWORK_DAYS,
        "telework days out of range",
        0.0,
        7.0,
    )?
    .unwrap_or(0.0);
    if days + telework > 7.0 {
        return Err(rc.err(
            rec,
            F_TELEWORK_DAYS,
            "telework days out of range",
            format!("{days} days on campus plus {telework} telework days exceed 7 days a week"),
        ));
    }
    let weeks = number_in(
        rc,
        rec,
        F_WEEKS_PER_YEAR,
        "weeks per year out of range",
        0.0,
        53.0,
    )?
    .unwrap_or(group_weeks);
    Ok((days, telework, weeks))
}

/// The stated one-way km, if given (0 or more).
fn one_way_km(rc: &RowCtx<'_>, rec: &Record) -> Result<Option<f64>, Box<SurveyReject>> {
    let m = rc.mapping;
    let raw = m.get(rec, F_ONE_WAY_KM);
    if raw.is_empty() {
        return Ok(None);
    }
    let v = m
        .parse_number(F_ONE_WAY_KM, &raw)
        .map_err(|e| rc.err(rec, F_ONE_WAY_KM, "invalid distance", e))?;
    if v < 0.0 {
        return Err(rc.err(
            rec,
            F_ONE_WAY_KM,
            "negative distance",
            format!("one_way_km must be 0 or more, got {v}"),
        ));
    }
    Ok(Some(v))
}

/// Reads a survey: every usable row becomes a [`Commuter`] numbered from `first_respondent`;
/// every other row a [`SurveyReject`] with its line and reason. Rows are never dropped silently.
///
/// # Errors
/// A file whose columns do not fit (no `group`, `mode` or `days_per_week` column, or none of
/// `postcode`, `home`, `one_way_km`), or a file that cannot be read.
pub fn read_survey(
    reader: InputReader,
    ctx: SurveyContext<'_>,
    first_respondent: u32,
) -> Result<SurveyRead, InputError> {
    let name = reader.name().to_string();
    let format = reader.format().as_str();
    let mapping = Mapping::new(&name, reader.header(), &schema(), ctx.columns)?;
    if ![F_POSTCODE, F_HOME, F_ONE_WAY_KM]
        .iter()
        .any(|&f| mapping.has(f))
    {
        return Err(InputError::new(
            InputErrorKind::Columns,
            &name,
            format!(
                "no home location column: expected `postcode` (Dutch PC4), `home` (a place) or `one_way_km`; columns found: {}",
                reader
                    .header()
                    .names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    let file: Arc<str> = Arc::from(name.as_str());
    let rc = RowCtx {
        file: &name,
        mapping: &mapping,
    };
    let mut r = Reader {
        ctx,
        places: HashMap::new(),
    };
    let mut out = SurveyRead {
        file: name.clone(),
        format,
        rows_read: 0,
        commuters: Vec::new(),
        rejects: Vec::new(),
    };
    let mut next = first_respondent;
    for rec in reader.records() {
        match rec {
            Ok(rec) => {
                out.rows_read += 1;
                match r.row(&rc, &rec, &file, next) {
                    Ok(c) => {
                        out.commuters.push(c);
                        next += 1;
                    }
                    Err(rej) => out.rejects.push(*rej),
                }
            }
            Err(e) if e.line.is_some() => {
                out.rows_read += 1;
                out.rejects.push(SurveyReject {
                    reason: "malformed row",
                    error: e,
                });
            }
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commute::{PopulationUnit, Role};
    use crate::input::InputOptions;

    fn groups() -> BTreeMap<String, Group> {
        [("staff", 44.0), ("student", 36.0)]
            .into_iter()
            .map(|(n, w)| {
                (
                    n.to_string(),
                    Group {
                        name: n.into(),
                        population: 100.0,
                        unit: PopulationUnit::Headcount,
                        weeks_per_year: w,
                        role: Role::Staff,
                        assume: None,
                    },
                )
            })
            .collect()
    }

    fn read(text: &str) -> SurveyRead {
        let g = groups();
        let reader = InputReader::from_reader(
            "survey.csv",
            std::io::Cursor::new(text.to_string()),
            &InputOptions::default(),
        )
        .unwrap();
        let ctx = SurveyContext {
            gazetteer: Gazetteer::bundled(),
            groups: &g,
            columns: None,
        };
        read_survey(reader, ctx, 0).unwrap()
    }

    #[test]
    fn dutch_headers_decimal_comma_and_defaults() {
        let s = read(
            "Groep;Woonpostcode;Vervoermiddel;Dagen per week;Thuiswerkdagen;Brandstof;Afdeling\n\
             Staff;7522 NB;auto;3,5;1;benzine;EEMCS\n\
             student;7511;fiets;4;;;TNW\n",
        );
        assert_eq!(s.rejects, []);
        let c = &s.commuters[0];
        assert_eq!(c.group, "staff");
        assert_eq!(c.days_per_week, 3.5);
        assert_eq!(c.weeks_per_year, 44.0);
        assert_eq!(c.fuel, Fuel::Petrol);
        assert_eq!(c.home_id.as_deref(), Some("pc4:7522"));
        assert_eq!(
            c.dimensions,
            [("Afdeling".to_string(), "EEMCS".to_string())]
        );
        assert_eq!(s.commuters[1].weeks_per_year, 36.0);
        assert_eq!(s.commuters[1].respondent, 1);
    }

    #[test]
    fn broken_rows_are_rejected_with_line_and_reason() {
        let s = read(
            "group,postcode,home,one_way_km,mode,second_mode,second_mode_share,days_per_week\n\
             staff,7522,,,car,,,4\n\
             staff,0999,,,car,,,4\n\
             staff,7522,,,car,,,8\n\
             staff,,,-3,bike,,,4\n\
             staff,,Enschedee,,bike,,,4\n\
             staff,,,5,vliegtuig2,,,4\n\
             stuff,,,5,bike,,,4\n\
             staff,,,,bike,,,4\n\
             staff,,,5,bike,train,,4\n\
             staff,,,12,bike,train,40 %,4\n",
        );
        let got: Vec<(u64, &str)> = s
            .rejects
            .iter()
            .map(|r| (r.error.line.unwrap(), r.reason))
            .collect();
        assert_eq!(
            got,
            [
                (3, "unknown postcode"),
                (4, "days per week out of range"),
                (5, "negative distance"),
                (6, "unknown place"),
                (7, "unknown mode"),
                (8, "unknown group"),
                (9, "no home location"),
                (10, "second mode without share"),
            ]
        );
        assert_eq!(s.rows_read, 10);
        assert_eq!(s.commuters.len(), 2);
        let e = s.rejects[1].error.to_string();
        assert!(e.starts_with("survey.csv:4: column `days_per_week`"), "{e}");
        assert!(
            s.rejects[5]
                .error
                .to_string()
                .contains("did you mean `staff`?")
        );
        assert_eq!(s.commuters[1].modes[1].share_of_days, 0.4);
    }

    #[test]
    fn shares() {
        assert_eq!(share_value("0,25"), Ok(0.25));
        assert_eq!(share_value("25%"), Ok(0.25));
        assert!(share_value("25").unwrap_err().contains("write 0.25"));
    }
}
