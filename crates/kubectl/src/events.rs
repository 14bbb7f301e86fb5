//! `kubectl events`: the newer events command. Unlike `get events` it sorts by time, names the object by its
//! kind as the API spells it (`Pod/web-0`), shows repeats as `3s (x4 over 2m)`, and filters with `--for` and
//! `--types`.

use crate::flags::{self, flag, Spec};
use crate::printers::human_duration;
use crate::{resolve_kind, table, unknown_type, Context, Outcome};
use ordinal_engine::cluster::Cluster;
use ordinal_engine::model::Event;

pub(crate) const FLAGS: &[Spec] = &[
    flag("all-namespaces", Some('A'), false),
    flag("for", None, true),
    flag("types", None, true),
    flag("no-headers", None, false),
    flag("watch", Some('w'), false),
    flag("output", Some('o'), true),
];

pub fn events(c: &mut Cluster, ctx: &Context, args: &[String]) -> Outcome {
    let p = match flags::parse(args, FLAGS, "events") {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    if p.is_set("watch") || p.get("output").is_some() {
        return Outcome::err(
            "error: \"kubectl events\" with --watch or --output is not available in this playground yet; kubectl get events supports both",
        );
    }
    let types: Vec<String> = p
        .get("types")
        .map(|t| t.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    if types
        .iter()
        .any(|t| !t.eq_ignore_ascii_case("Normal") && !t.eq_ignore_ascii_case("Warning"))
    {
        return Outcome::err("error: valid --types are Normal or Warning");
    }
    let target = match p.get("for") {
        Some(f) => match f.split_once('/') {
            Some((t, name)) if !name.is_empty() => match resolve_kind(t) {
                Some(kind) => Some((kind, name.to_string())),
                None => return Outcome::err(unknown_type(t)),
            },
            _ => return Outcome::err("error: --for must be in resource/name form"),
        },
        None => None,
    };
    let all = p.is_set("all-namespaces");
    let ns = p.get("namespace").unwrap_or(&ctx.namespace).to_string();
    let now = c.now();
    let mut list: Vec<&Event> = c
        .store()
        .list::<Event>((!all).then_some(ns.as_str()))
        .filter(|e| types.is_empty() || types.iter().any(|t| t.eq_ignore_ascii_case(&e.type_)))
        .filter(|e| {
            target.as_ref().is_none_or(|(kind, name)| {
                e.involved_object.kind.as_deref() == Some(kind.info().kind)
                    && &e.involved_object.name == name
            })
        })
        .collect();
    if list.is_empty() {
        return Outcome::warned(&if all {
            "No events found.\n".to_string()
        } else {
            format!("No events found in {ns} namespace.\n")
        });
    }
    // SortableEvents: oldest last-seen first; events of the same second in the order they were recorded.
    ordinal_api::sort::by_key(&mut list, |e| {
        (
            e.last_timestamp.or(e.first_timestamp),
            e.metadata.resource_version.parse::<u64>().unwrap_or(0),
        )
    });
    let since = |t: Option<ordinal_engine::clock::Time>| {
        t.map_or("<unknown>".to_string(), |t| human_duration(now.since(t)))
    };
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|e| {
            let first = since(e.first_timestamp);
            let interval = if e.count > 1 {
                format!("{} (x{} over {first})", since(e.last_timestamp), e.count)
            } else {
                first
            };
            let mut row = Vec::new();
            if all {
                row.push(e.metadata.namespace.clone());
            }
            row.extend([
                interval,
                e.type_.clone(),
                e.reason.clone(),
                format!(
                    "{}/{}",
                    e.involved_object.kind.as_deref().unwrap_or(""),
                    e.involved_object.name
                ),
                e.message.trim().to_string(),
            ]);
            row
        })
        .collect();
    let mut header = Vec::new();
    if all {
        header.push("NAMESPACE");
    }
    header.extend(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
    let text = table::render(&header, &rows);
    let text = if p.is_set("no-headers") {
        text.split_once('\n')
            .map_or("", |(_, rest)| rest)
            .to_string()
    } else {
        text
    };
    Outcome::ok(text)
}
