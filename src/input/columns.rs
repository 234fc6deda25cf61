//! Column mapping: which column of a file holds which canonical field.
//!
//! A consumer (business travel, commuting survey ...) declares its [`Schema`]: the canonical
//! fields it understands and which of them are required. Columns are matched by name, case-,
//! accent- and punctuation-insensitively, against the field name and its built-in aliases in
//! English, Dutch, French and German (`van`/`vertrek` → `origin`). A user [`ColumnMap`] (JSON
//! `{"origin": "Vertrekplaats"}`) or a named preset (`ges1point5`) takes precedence. A field
//! may come from several columns joined with `", "` (GES 1point5: `Ville de départ` +
//! `Pays de départ` → `Lyon, France`). Every column that holds no field is a *dimension*,
//! kept under its own name for group-by.

use super::{InputError, InputErrorKind, Record};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Normalises a column name for matching: accents removed, lowercase, only letters and
/// digits, and a trailing parenthesised remark dropped (`Motif (optionnel)` → `motif`).
pub fn normalise_header(s: &str) -> String {
    let ascii = deunicode::deunicode(s.trim());
    let mut out = String::with_capacity(ascii.len());
    let mut depth = 0usize;
    for c in ascii.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 && c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            _ => {}
        }
    }
    if out.is_empty() {
        // A header that is only a remark, e.g. "(km)": keep its letters.
        ascii
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect()
    } else {
        out
    }
}

/// Every canonical field some consumer understands.
pub const KNOWN_FIELDS: [&str; 23] = [
    "id",
    "date",
    "origin",
    "destination",
    "via",
    "mode",
    "cabin",
    "round_trip",
    "travellers",
    "occupancy",
    "size",
    "fuel",
    "distance_km",
    "group",
    "postcode",
    "home",
    "one_way_km",
    "days_per_week",
    "telework_days",
    "weeks_per_year",
    "second_mode",
    "second_mode_share",
    "cost",
];

/// Built-in aliases of the canonical fields (compared after [`normalise_header`]).
pub fn builtin_aliases(field: &str) -> &'static [&'static str] {
    match field {
        "id" => &[
            "trip id",
            "trip_id",
            "ref",
            "reference",
            "nr",
            "nummer",
            "number",
            "booking",
            "booking id",
            "boekingsnummer",
            "boekingsnr",
            "declaratienummer",
            "reisnummer",
            "mission",
            "numero",
            "n mission",
            "row id",
            "respondent",
            "respondent id",
        ],
        "date" => &[
            "datum",
            "reisdatum",
            "vertrekdatum",
            "departure date",
            "travel date",
            "date de depart",
            "date depart",
            "datum vertrek",
            "abfahrtsdatum",
            "reisedatum",
            "day",
            "dag",
            "start date",
        ],
        "origin" => &[
            "from",
            "van",
            "vertrek",
            "vertrekplaats",
            "herkomst",
            "departure",
            "depart",
            "ville de depart",
            "lieu de depart",
            "von",
            "abfahrt",
            "abfahrtsort",
            "start",
            "startplaats",
            "origine",
            "from city",
            "origin city",
            "vertrekstad",
            "departure city",
            "startort",
        ],
        "destination" => &[
            "to",
            "naar",
            "bestemming",
            "aankomst",
            "aankomstplaats",
            "arrivee",
            "ville de destination",
            "ville d arrivee",
            "lieu d arrivee",
            "nach",
            "ziel",
            "zielort",
            "dest",
            "to city",
            "destination city",
            "bestemmingsplaats",
            "arrival",
            "arrival city",
        ],
        "via" => &[
            "stopover",
            "stopovers",
            "tussenstop",
            "tussenstops",
            "overstap",
            "escale",
            "escales",
            "zwischenstopp",
            "vias",
        ],
        "mode" => &[
            "transport",
            "transport mode",
            "vervoermiddel",
            "vervoerswijze",
            "modaliteit",
            "mode de transport",
            "mode de deplacement",
            "moyen de transport",
            "verkehrsmittel",
            "travel mode",
            "means of transport",
            "vervoer",
            "hoofdvervoermiddel",
            "main mode",
        ],
        "cabin" => &[
            "class",
            "klasse",
            "cabine",
            "classe",
            "cabin class",
            "reisklasse",
            "travel class",
            "flight class",
        ],
        "round_trip" => &[
            "roundtrip",
            "return",
            "retour",
            "heen en terug",
            "retourreis",
            "aller retour",
            "hin und zuruck",
            "hin und ruck",
            "ruckfahrt",
            "return trip",
            "round trip",
        ],
        "travellers" => &[
            "travelers",
            "passengers",
            "pax",
            "persons",
            "people",
            "reizigers",
            "personen",
            "aantal",
            "aantal personen",
            "aantal reizigers",
            "nb de personnes",
            "nombre de personnes",
            "voyageurs",
            "personnes",
            "reisende",
            "anzahl",
            "anzahl personen",
            "number of travellers",
            "traveller count",
        ],
        "occupancy" => &[
            "occupants",
            "inzittenden",
            "bezetting",
            "nb de personnes dans la voiture",
            "insassen",
            "besetzung",
            "persons in car",
            "people in car",
            "car occupancy",
        ],
        "size" => &[
            "car size",
            "vehicle size",
            "grootte",
            "formaat",
            "taille",
            "grosse",
            "autoklasse",
        ],
        "fuel" => &[
            "fuel type",
            "brandstof",
            "brandstofsoort",
            "aandrijving",
            "carburant",
            "energie",
            "motorisation",
            "kraftstoff",
            "treibstoff",
            "antrieb",
            "drivetrain",
        ],
        "distance_km" => &[
            "distance",
            "km",
            "kms",
            "kilometers",
            "kilometres",
            "afstand",
            "afstand km",
            "distance km",
            "entfernung",
            "strecke",
            "reisafstand",
        ],
        "group" => &[
            "groep",
            "categorie",
            "category",
            "status",
            "statut",
            "personeelscategorie",
            "role",
            "rol",
            "population group",
            "respondent group",
        ],
        "postcode" => &[
            "postal code",
            "zip",
            "zip code",
            "pc4",
            "woonpostcode",
            "code postal",
            "plz",
            "postleitzahl",
        ],
        "home" => &[
            "home location",
            "woonplaats",
            "residence",
            "domicile",
            "wohnort",
            "lieu de residence",
            "place of residence",
        ],
        "one_way_km" => &[
            "one way km",
            "oneway km",
            "afstand enkele reis",
            "enkele reis km",
            "distance one way",
            "woon werk afstand",
            "commute km",
            "km enkele reis",
        ],
        "days_per_week" => &[
            "days",
            "dagen",
            "dagen per week",
            "campus days",
            "jours par semaine",
            "tage pro woche",
            "days on campus",
            "reisdagen per week",
        ],
        "telework_days" => &[
            "thuiswerkdagen",
            "homeworking days",
            "home working days",
            "wfh days",
            "teletravail",
            "jours de teletravail",
            "homeoffice tage",
            "telework",
        ],
        "weeks_per_year" => &[
            "weeks",
            "weken",
            "weken per jaar",
            "semaines",
            "semaines par an",
            "wochen",
            "wochen pro jahr",
        ],
        "second_mode" => &[
            "mode 2",
            "tweede vervoermiddel",
            "second mode of transport",
            "mode secondaire",
        ],
        "second_mode_share" => &[
            "mode 2 share",
            "second mode days share",
            "aandeel tweede vervoermiddel",
        ],
        "cost" => &[
            "kosten",
            "bedrag",
            "amount",
            "cout",
            "montant",
            "kosten eur",
            "price",
            "prijs",
            "cost eur",
            "betrag",
        ],
        _ => &[],
    }
}

/// One canonical field a consumer understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// Canonical name, e.g. `origin`.
    pub name: &'static str,
    /// The file is refused when no column holds this field.
    pub required: bool,
}

/// The fields a consumer understands, in a fixed order: a field is addressed by its
/// position in this list (its index), so hot loops never look names up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema {
    /// The fields.
    pub fields: Vec<FieldSpec>,
}

impl Schema {
    /// A schema from `(name, required)` pairs.
    pub fn new(fields: &[(&'static str, bool)]) -> Schema {
        Schema {
            fields: fields
                .iter()
                .map(|&(name, required)| FieldSpec { name, required })
                .collect(),
        }
    }

    /// Index of a field by canonical name.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }
}

/// A user's or a preset's choice of columns per field, overriding the built-in aliases.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ColumnMap {
    /// Where the map comes from (`preset ges1point5`, `column map cols.json`), for messages.
    pub origin: String,
    /// Field → the column(s) holding it (several are joined with `", "`).
    pub fields: BTreeMap<String, Vec<String>>,
}

/// Names of the bundled column-map presets.
pub const PRESETS: [&str; 1] = ["ges1point5"];

impl ColumnMap {
    /// Parses a JSON object `{"field": "Column"}` or `{"field": ["Column A", "Column B"]}`.
    pub fn from_json(origin: &str, text: &str) -> Result<ColumnMap, String> {
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("{origin}: {e}"))?;
        let obj = v.as_object().ok_or_else(|| {
            format!("{origin}: expected a JSON object such as {{\"origin\": \"Vertrekplaats\"}}")
        })?;
        let mut fields = BTreeMap::new();
        for (k, v) in obj {
            let cols = match v {
                serde_json::Value::String(s) => vec![s.clone()],
                serde_json::Value::Array(a) => a
                    .iter()
                    .map(|x| x.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| {
                        format!("{origin}: field `{k}`: expected a column name or a list of names")
                    })?,
                _ => {
                    return Err(format!(
                        "{origin}: field `{k}`: expected a column name or a list of names"
                    ));
                }
            };
            fields.insert(k.clone(), cols);
        }
        Ok(ColumnMap {
            origin: origin.to_string(),
            fields,
        })
    }

    /// A bundled preset by name (see [`PRESETS`]).
    ///
    /// `ges1point5`: the mission export of the French GES 1point5 tool (labos1point5),
    /// tab-separated with French headers; city and country columns are combined into
    /// `City, Country` place queries, and `Nb de personnes dans la voiture` is the car
    /// occupancy (each row is one traveller's mission).
    pub fn preset(name: &str) -> Option<ColumnMap> {
        let pairs: &[(&str, &[&str])] = match normalise_header(name).as_str() {
            "ges1point5" | "labos1point5" => &[
                ("id", &["# mission"]),
                ("date", &["Date de départ"]),
                ("origin", &["Ville de départ", "Pays de départ"]),
                (
                    "destination",
                    &["Ville de destination", "Pays de destination"],
                ),
                ("mode", &["Mode de déplacement"]),
                ("occupancy", &["Nb de personnes dans la voiture"]),
                (
                    "round_trip",
                    &["Aller Retour (OUI si identiques, NON si différents)"],
                ),
            ],
            _ => return None,
        };
        Some(ColumnMap {
            origin: format!("preset {name}"),
            fields: pairs
                .iter()
                .map(|(f, cols)| (f.to_string(), cols.iter().map(|c| c.to_string()).collect()))
                .collect(),
        })
    }
}

/// The header row of a file: column names as written (trimmed).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Header {
    /// Column names.
    pub names: Vec<String>,
    /// How the file writes decimals (set by the reader from the delimiter).
    pub number_style: super::NumberStyle,
}

impl Header {
    /// A header from names.
    pub fn new<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> Header {
        Header {
            names: names
                .into_iter()
                .map(|s| s.as_ref().trim().to_string())
                .collect(),
            number_style: super::NumberStyle::default(),
        }
    }

    /// Number of columns.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when there are no columns.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}

/// A column that holds no field: kept by name for group-by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dimension {
    /// The column name as written in the header.
    pub name: String,
    /// Its position in the header.
    pub column: usize,
}

/// Where a schema field's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// No column: the value is empty.
    Absent,
    /// One column.
    One(usize),
    /// Several columns, joined with `", "`.
    Joined,
}

/// Which columns of one file hold which fields of a [`Schema`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    header: Header,
    /// Per schema field: the column(s) holding it, empty when absent.
    fields: Vec<Vec<usize>>,
    /// Per schema field: where [`Mapping::get`] finds it (the fast paths need no `Vec`).
    slots: Vec<Slot>,
    names: Vec<&'static str>,
    dims: Vec<Dimension>,
    /// Per schema field: its plausible bound ([`super::field_bound`]).
    bounds: Vec<Option<super::Bound>>,
}

/// A column-map error of `file`.
fn columns_error(file: &str, message: String) -> InputError {
    InputError::new(InputErrorKind::Columns, file, message)
}

/// The columns found, for messages. A header of which no column is a known field or alias
/// may not be a table at all (a path pointing at another file): then only a short, escaped
/// excerpt of its first column is shown, never the file's content.
fn found_columns(header: &Header, schema: &Schema) -> String {
    let known = |h: &str| {
        let n = normalise_header(h);
        schema.fields.iter().any(|f| {
            normalise_header(f.name) == n
                || builtin_aliases(f.name)
                    .iter()
                    .any(|a| normalise_header(a) == n)
        })
    };
    if !header.names.iter().any(|h| known(h)) {
        return format!(
            "{} column{}, none of them a known field (not shown): is this the right file?",
            header.len(),
            if header.len() == 1 { "" } else { "s" },
        );
    }
    let mut list: Vec<String> = header
        .names
        .iter()
        .take(40)
        .map(|n| format!("`{}`", super::excerpt(n, 40)))
        .collect();
    if header.len() > 40 {
        list.push(format!("… ({} columns)", header.len()));
    }
    list.join(", ")
}

/// The user's column map (`--columns`, a configuration's `columns`) applied to `fields`.
fn apply_user_map(
    file: &str,
    header: &Header,
    schema: &Schema,
    map: &ColumnMap,
    norm: &[String],
    taken: &mut [bool],
    fields: &mut [Vec<usize>],
) -> Result<(), InputError> {
    for (field, cols) in &map.fields {
        let Some(fi) = schema.index(field) else {
            // A map may serve several consumers (business travel and commuting):
            // fields this one does not use are left alone; typos are errors.
            if KNOWN_FIELDS.contains(&field.as_str()) {
                continue;
            }
            let mut e = columns_error(
                file,
                format!(
                    "{}: unknown field `{field}`; fields: {}",
                    map.origin,
                    KNOWN_FIELDS.join(", ")
                ),
            );
            if let Some(best) = KNOWN_FIELDS.iter().max_by(|a, b| {
                strsim::jaro_winkler(a, field).total_cmp(&strsim::jaro_winkler(b, field))
            }) {
                e = e.with_suggestion(format!("did you mean `{best}`?"));
            }
            return Err(e);
        };
        let mut idx = Vec::new();
        for c in cols {
            let nc = normalise_header(c);
            match norm.iter().position(|h| *h == nc) {
                Some(i) => {
                    idx.push(i);
                    taken[i] = true;
                }
                None => {
                    let mut e = columns_error(
                        file,
                        format!(
                            "{}: field `{field}` names column `{c}`, which is not in the file; columns found: {}",
                            map.origin,
                            found_columns(header, schema)
                        ),
                    );
                    if let Some(best) = closest(&nc, norm) {
                        e = e.with_suggestion(format!("did you mean `{}`?", header.names[best]));
                    }
                    return Err(e);
                }
            }
        }
        fields[fi] = idx;
    }
    Ok(())
}

/// The fields still without a column get the first free column named like them: exact
/// canonical names first, then aliases, so "origin" beats "from".
fn match_by_name(
    header: &Header,
    schema: &Schema,
    norm: &[String],
    taken: &mut [bool],
    fields: &mut [Vec<usize>],
) {
    for pass in 0..2 {
        for (fi, spec) in schema.fields.iter().enumerate() {
            if !fields[fi].is_empty() {
                continue;
            }
            let hit = (0..header.len()).find(|&i| {
                !taken[i]
                    && if pass == 0 {
                        norm[i] == normalise_header(spec.name)
                    } else {
                        builtin_aliases(spec.name)
                            .iter()
                            .any(|a| normalise_header(a) == norm[i])
                    }
            });
            if let Some(i) = hit {
                fields[fi] = vec![i];
                taken[i] = true;
            }
        }
    }
}

/// The error for a required field without a column: the columns found and the closest free
/// column, or the field's first alias.
fn missing_required(
    file: &str,
    header: &Header,
    schema: &Schema,
    spec: &FieldSpec,
    norm: &[String],
    taken: &[bool],
) -> InputError {
    let e = columns_error(
        file,
        format!(
            "no column for the required field `{}`; columns found: {}",
            spec.name,
            found_columns(header, schema)
        ),
    );
    let candidates: Vec<String> = std::iter::once(spec.name)
        .chain(builtin_aliases(spec.name).iter().copied())
        .map(normalise_header)
        .collect();
    // Only names a user could mean get compared (bounded cost on a hostile header).
    let free: Vec<usize> = (0..header.len())
        .filter(|&i| !taken[i] && norm[i].len() <= super::MAX_SUGGEST_BYTES)
        .collect();
    let best = free
        .iter()
        .map(|&i| {
            (
                i,
                candidates
                    .iter()
                    .map(|a| strsim::jaro_winkler(a, &norm[i]))
                    .fold(0.0, f64::max),
            )
        })
        .max_by(|a, b| a.1.total_cmp(&b.1));
    let hint = match best {
        Some((i, score)) if score >= 0.8 => format!(
            "column `{}` looks like `{}`: map it with --columns '{{\"{}\": \"{}\"}}'",
            header.names[i], spec.name, spec.name, header.names[i]
        ),
        _ => format!(
            "name a column `{}` (or an alias such as `{}`), or map one with --columns '{{\"{}\": \"<column>\"}}'",
            spec.name,
            builtin_aliases(spec.name).first().unwrap_or(&spec.name),
            spec.name
        ),
    };
    e.with_suggestion(hint)
}

impl Mapping {
    /// Maps `header` to `schema`. Precedence: the user map, then a column named exactly
    /// like the field, then the built-in aliases; the first column wins.
    ///
    /// # Errors
    /// A missing required field (the message lists the columns found and the closest
    /// alias), a column map naming an unknown field or a column that is not there.
    pub fn new(
        file: &str,
        header: &Header,
        schema: &Schema,
        user: Option<&ColumnMap>,
    ) -> Result<Mapping, InputError> {
        let norm: Vec<String> = header.names.iter().map(|h| normalise_header(h)).collect();
        let mut taken = vec![false; header.len()];
        let mut fields: Vec<Vec<usize>> = vec![Vec::new(); schema.fields.len()];
        if let Some(map) = user {
            apply_user_map(file, header, schema, map, &norm, &mut taken, &mut fields)?;
        }
        match_by_name(header, schema, &norm, &mut taken, &mut fields);
        if let Some((_, spec)) = schema
            .fields
            .iter()
            .enumerate()
            .find(|(fi, spec)| spec.required && fields[*fi].is_empty())
        {
            return Err(missing_required(file, header, schema, spec, &norm, &taken));
        }
        let user_fields: Vec<&str> = user
            .map(|m| m.fields.keys().map(|f| f.as_str()).collect())
            .unwrap_or_default();
        check_duplicates(file, header, &norm, schema, &fields, &taken, &user_fields)?;
        let dims = (0..header.len())
            .filter(|&i| !taken[i] && !header.names[i].is_empty())
            .map(|i| Dimension {
                name: header.names[i].clone(),
                column: i,
            })
            .collect();
        Ok(Mapping {
            header: header.clone(),
            slots: fields
                .iter()
                .map(|cols| match cols.as_slice() {
                    [] => Slot::Absent,
                    [i] => Slot::One(*i),
                    _ => Slot::Joined,
                })
                .collect(),
            fields,
            names: schema.fields.iter().map(|f| f.name).collect(),
            dims,
            bounds: schema
                .fields
                .iter()
                .map(|f| super::field_bound(f.name))
                .collect(),
        })
    }

    /// Parses the value `text` of schema field `field` as a number under the file's
    /// [`super::NumberStyle`], refusing a value beyond the field's plausible bound
    /// ([`super::field_bound`]) with the reason.
    #[inline]
    pub fn parse_number(&self, field: usize, text: &str) -> Result<f64, String> {
        // A whole number of one to three digits (traveller counts): the same value in every
        // style, and within every field's bound (the smallest is 1,000).
        let b = text.as_bytes();
        if (1..=3).contains(&b.len()) && b.iter().all(u8::is_ascii_digit) {
            return Ok(f64::from(
                b.iter().fold(0u32, |a, &c| a * 10 + u32::from(c - b'0')),
            ));
        }
        let v = super::parse_number_styled(text, self.header.number_style)?;
        if let Some(Some(b)) = self.bounds.get(field)
            && v.abs() > b.max
        {
            return Err(format!(
                "{} `{}` is not plausible: {}",
                self.names[field],
                text.trim(),
                b.why
            ));
        }
        Ok(v)
    }

    /// True when some column holds the field at schema index `field`.
    pub fn has(&self, field: usize) -> bool {
        !self.fields[field].is_empty()
    }

    /// The value of a field in a record, trimmed; empty when the field is absent.
    /// Several columns are joined with `", "`, leaving out empty ones.
    #[inline(always)]
    pub fn get<'r>(&self, rec: &'r Record, field: usize) -> Cow<'r, str> {
        match self.slots[field] {
            Slot::One(i) => Cow::Borrowed(super::trim_value(rec.get(i))),
            Slot::Absent => Cow::Borrowed(""),
            Slot::Joined => self.get_joined(rec, field),
        }
    }

    /// [`Mapping::get`] of a field held by several columns.
    #[cold]
    fn get_joined<'r>(&self, rec: &'r Record, field: usize) -> Cow<'r, str> {
        let parts: Vec<&str> = self.fields[field]
            .iter()
            .map(|&i| rec.get(i).trim())
            .filter(|s| !s.is_empty())
            .collect();
        Cow::Owned(parts.join(", "))
    }

    /// The column name(s) holding a field, for messages (`Ville de départ + Pays de départ`),
    /// or the canonical name when absent.
    pub fn column_name(&self, field: usize) -> String {
        if self.fields[field].is_empty() {
            return self.names[field].to_string();
        }
        self.fields[field]
            .iter()
            .map(|&i| self.header.names[i].as_str())
            .collect::<Vec<_>>()
            .join(" + ")
    }

    /// The columns that hold no field, in header order.
    pub fn dims(&self) -> &[Dimension] {
        &self.dims
    }

    /// The header this mapping was made for.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// A dimension by name (case-, accent- and punctuation-insensitive).
    pub fn dim(&self, name: &str) -> Option<&Dimension> {
        let n = normalise_header(name);
        self.dims.iter().find(|d| normalise_header(&d.name) == n)
    }
}

/// Refuses a header where two columns hold the same field (`destination` twice, `origin` and
/// its alias `from`) or two unmapped columns have the same name up to case and spacing
/// (`department`, `Department`): reading the first and ignoring the second would be a
/// silent choice. A column map (`--columns`) decides which one holds the field.
fn check_duplicates(
    file: &str,
    header: &Header,
    norm: &[String],
    schema: &Schema,
    fields: &[Vec<usize>],
    taken: &[bool],
    user_fields: &[&str],
) -> Result<(), InputError> {
    let both = |a: usize, b: usize, what: String, field: Option<&str>| {
        Err(InputError::new(
            InputErrorKind::Columns,
            file,
            format!(
                "columns {} `{}` and {} `{}` both hold {what}",
                a + 1,
                header.names[a],
                b + 1,
                header.names[b]
            ),
        )
        .with_suggestion(match field {
            Some(field) => format!(
                "remove or rename one, or choose with --columns '{{\"{field}\": \"{}\"}}'",
                header.names[a]
            ),
            None => "remove or rename one".to_string(),
        }))
    };
    for (fi, spec) in schema.fields.iter().enumerate() {
        let [used] = fields[fi].as_slice() else {
            continue;
        };
        if user_fields.contains(&spec.name) {
            continue;
        }
        let own = normalise_header(spec.name);
        let aliases: Vec<String> = builtin_aliases(spec.name)
            .iter()
            .map(|a| normalise_header(a))
            .collect();
        let other = (0..header.len()).find(|&i| {
            i != *used
                && !taken[i]
                && !norm[i].is_empty()
                && (norm[i] == own || aliases.contains(&norm[i]))
        });
        if let Some(o) = other {
            let (a, b) = (*used.min(&o), *used.max(&o));
            return both(a, b, format!("the field `{}`", spec.name), Some(spec.name));
        }
    }
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for i in (0..header.len()).filter(|&i| !taken[i] && !norm[i].is_empty()) {
        if let Some(&first) = seen.get(norm[i].as_str()) {
            return both(first, i, "the same column name".into(), None);
        }
        seen.insert(norm[i].as_str(), i);
    }
    Ok(())
}

fn closest(needle: &str, hay: &[String]) -> Option<usize> {
    if needle.len() > super::MAX_SUGGEST_BYTES {
        return None;
    }
    hay.iter()
        .enumerate()
        .filter(|(_, h)| h.len() <= super::MAX_SUGGEST_BYTES)
        .map(|(i, h)| (i, strsim::jaro_winkler(needle, h)))
        .filter(|(_, s)| *s >= 0.75)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_digit_numbers_are_within_every_bound() {
        // `Mapping::parse_number` returns 1-3 digit whole numbers without the bound check.
        for f in KNOWN_FIELDS {
            if let Some(b) = crate::input::field_bound(f) {
                assert!(b.max >= 999.0, "{f}: {}", b.max);
            }
        }
    }

    fn schema() -> Schema {
        Schema::new(&[
            ("id", false),
            ("origin", true),
            ("destination", true),
            ("mode", true),
            ("travellers", false),
        ])
    }

    #[test]
    fn aliases_in_four_languages() {
        for (cols, dims) in [
            (
                vec!["Van", "Naar", "Vervoermiddel", "Aantal", "Afdeling"],
                vec!["Afdeling"],
            ),
            (
                vec![
                    "Ville de départ",
                    "Arrivée",
                    "Mode de déplacement",
                    "Nb de personnes",
                ],
                vec![],
            ),
            (
                vec!["Von", "Nach", "Verkehrsmittel", "Kostenstelle"],
                vec!["Kostenstelle"],
            ),
            (
                vec!["FROM", "to", "Mode", "department", "purpose"],
                vec!["department", "purpose"],
            ),
        ] {
            let h = Header::new(&cols);
            let m = Mapping::new("t.csv", &h, &schema(), None).unwrap();
            assert!(m.has(1) && m.has(2) && m.has(3), "{cols:?}");
            assert_eq!(
                m.dims().iter().map(|d| d.name.as_str()).collect::<Vec<_>>(),
                dims
            );
        }
    }

    #[test]
    fn a_field_in_two_columns_is_an_error_unless_a_map_chooses() {
        // Issue 11 class 9: `origin` and its alias `from` both hold the origin; reading one
        // and keeping the other as a dimension would be a silent choice.
        let h = Header::new(["from", "origin", "destination", "mode"]);
        let e = Mapping::new("t.csv", &h, &schema(), None).unwrap_err();
        assert!(
            e.to_string()
                .contains("columns 1 `from` and 2 `origin` both hold the field `origin`"),
            "{e}"
        );
        let map = ColumnMap::from_json("map", r#"{"origin": "origin"}"#).unwrap();
        let m = Mapping::new("t.csv", &h, &schema(), Some(&map)).unwrap();
        assert_eq!(m.column_name(1), "origin");
        assert_eq!(m.dims()[0].name, "from");
        for names in [
            ["destination", "destination", "origin", "mode"],
            ["Dept", "origin", "destination", "mode"],
        ] {
            let h = Header::new(names.iter().chain(["dept "].iter()));
            assert!(
                Mapping::new("t.csv", &h, &schema(), None).is_err(),
                "{names:?}"
            );
        }
    }

    #[test]
    fn missing_column_lists_columns_and_suggests() {
        let h = Header::new(["Vertrekplaatz", "Naar", "Vervoermiddel"]);
        let e = Mapping::new("trips.csv", &h, &schema(), None).unwrap_err();
        let s = e.to_string();
        assert!(
            s.starts_with("trips.csv: no column for the required field `origin`"),
            "{s}"
        );
        assert!(
            s.contains("columns found: `Vertrekplaatz`, `Naar`, `Vervoermiddel`"),
            "{s}"
        );
        assert!(
            s.contains("column `Vertrekplaatz` looks like `origin`"),
            "{s}"
        );
    }

    #[test]
    fn user_map_and_preset() {
        let h = Header::new(["Start", "Eind", "Hoe"]);
        let map = ColumnMap::from_json(
            "cols.json",
            r#"{"origin": "start", "destination": "EIND", "mode": ["Hoe"]}"#,
        )
        .unwrap();
        let m = Mapping::new("t.csv", &h, &schema(), Some(&map)).unwrap();
        assert_eq!(m.column_name(2), "Eind");
        let bad = ColumnMap::from_json("cols.json", r#"{"origin": "Strat"}"#).unwrap();
        let e = Mapping::new("t.csv", &h, &schema(), Some(&bad))
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean `Start`?"), "{e}");
        let unknown = ColumnMap::from_json("cols.json", r#"{"orign": "Start"}"#).unwrap();
        assert!(Mapping::new("t.csv", &h, &schema(), Some(&unknown)).is_err());

        let ges = Header::new([
            "# mission",
            "Date de départ",
            "Ville de départ",
            "Pays de départ",
            "Ville de destination",
            "Pays de destination",
            "Mode de déplacement",
            "Nb de personnes dans la voiture",
            "Aller Retour (OUI si identiques, NON si différents)",
            "Motif du déplacement (optionnel)",
            "Statut de l'agent (optionnel)",
        ]);
        let s = Schema::new(&[
            ("id", false),
            ("origin", true),
            ("destination", true),
            ("mode", true),
            ("round_trip", false),
            ("occupancy", false),
        ]);
        let m = Mapping::new("m.tsv", &ges, &s, ColumnMap::preset("ges1point5").as_ref()).unwrap();
        let rec = Record::from_fields(
            2,
            [
                "1",
                "2025-01-02",
                "Lyon",
                "France",
                "Berlin",
                "Allemagne",
                "train",
                "",
                "OUI",
                "Colloque",
                "ITA",
            ],
        );
        assert_eq!(m.get(&rec, 1), "Lyon, France");
        assert_eq!(m.get(&rec, 4), "OUI");
        assert_eq!(
            m.dims().len(),
            3,
            "the date is not in this schema: a dimension"
        );
        assert!(m.dim("motif du deplacement").is_some());
    }
}
