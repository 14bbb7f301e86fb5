//! Reading a saved or shared session, which may come from an older version, be cut short, or have been written
//! by someone else on purpose: everything in it is checked before anything is replayed, and what is refused is
//! refused with a reason a learner can act on. Nothing in a session is ever shown as HTML.

use crate::state::{is_recorded, Action, Record, SavedSession};

/// The format this version writes and reads.
pub const FORMAT: u32 = 1;

/// The most text a session may hold, in bytes (what a browser's storage takes is less).
pub const MAX_BYTES: usize = 16 << 20;
/// The most entries: about two days of the clock playing without a pause.
const MAX_ENTRIES: usize = 1_000_000;
/// The longest single move of the clock, and the longest session, in virtual milliseconds.
const MAX_MOVE_MS: u64 = 3_600_000;
const MAX_SESSION_MS: u64 = 7 * 24 * 3_600_000;
/// The longest text in one action (a manifest, a pasted script).
const MAX_TEXT: usize = 1 << 20;

/// The session as text, to keep in the browser, save to a file or put in a link.
pub fn encode(session: &SavedSession) -> String {
    serde_json::to_string(session).unwrap_or_default()
}

/// Reads a session, or says why it cannot be used.
pub fn decode(text: &str) -> Result<SavedSession, String> {
    if text.len() > MAX_BYTES {
        return Err(format!(
            "it is {} MB, more than the {} MB a session may be",
            text.len() >> 20,
            MAX_BYTES >> 20
        ));
    }
    // The format first, so a session from another version is named as such rather than as broken.
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| format!("it is not a saved Ordinal session, or it was cut short ({e})"))?;
    match value.get("format").and_then(serde_json::Value::as_u64) {
        Some(f) if f == u64::from(FORMAT) => {}
        Some(f) => {
            return Err(format!(
                "it was saved by another version of Ordinal (format {f}; this version reads format {FORMAT})"
            ))
        }
        None => return Err("it is not a saved Ordinal session".into()),
    }
    let session: SavedSession = serde_json::from_value(value)
        .map_err(|e| format!("it is not a saved Ordinal session ({e})"))?;
    check(&session)?;
    Ok(session)
}

/// What a session must be before it is replayed: what this version records, in order, within bounds.
fn check(s: &SavedSession) -> Result<(), String> {
    if s.entries.len() > MAX_ENTRIES {
        return Err(format!("it has more than {MAX_ENTRIES} entries"));
    }
    if s.yaml.len() > MAX_TEXT {
        return Err("its manifest is larger than 1 MB".into());
    }
    let (mut epoch, mut at) = (0u32, 0u64);
    let mut total = 0u64;
    for (i, e) in s.entries.iter().enumerate() {
        let bad = |what: &str| Err(format!("entry {} {what}", i + 1));
        if e.epoch < epoch || (e.epoch == epoch && e.at_ms < at) {
            return bad("goes back in time");
        }
        if e.epoch > epoch.saturating_add(1) {
            return bad("skips a reset");
        }
        (epoch, at) = (e.epoch, e.at_ms);
        match &e.record {
            Record::Clock(ms) => {
                if *ms > MAX_MOVE_MS {
                    return bad("moves the clock more than an hour at once");
                }
                total += ms;
                if total > MAX_SESSION_MS || e.at_ms > MAX_SESSION_MS {
                    return bad("takes the session past a week of the clock");
                }
            }
            Record::Did(action) => {
                if !is_recorded(action) {
                    return bad("is not something a session records");
                }
                if let Action::Scale(d) = action {
                    if d.abs() != 1 {
                        return bad("scales by more than the buttons do");
                    }
                }
                if text_of(action) > MAX_TEXT {
                    return bad("holds a text larger than 1 MB");
                }
            }
        }
    }
    Ok(())
}

/// The length of the text an action carries.
fn text_of(action: &Action) -> usize {
    match action {
        Action::Edit(t)
        | Action::DeletePod(t)
        | Action::Namespace(t)
        | Action::Command(t)
        | Action::Run(t)
        | Action::Interrupt(t)
        | Action::OpenFile(t)
        | Action::BreakReadiness(t, _)
        | Action::Crash(t, _)
        | Action::Cordon(t, _)
        | Action::NodeReady(t, _) => t.len(),
        Action::PutFile(name, text) => name.len() + text.len(),
        Action::Paste {
            before,
            text,
            after,
        } => before.len() + text.len() + after.len(),
        _ => 0,
    }
}
