//! Writes what `index.html`'s first paint needs to show a linked lesson before the app's wasm has arrived (a
//! course page's link, `?lesson=basics&step=3&lang=ja`, opened on a slow classroom network): for each built-in
//! lesson and language, `DIR/lessons/ID.LANG.json` with the lesson's title, parts, each step's text, note,
//! file name and command, and the panel's own words, as the app shows them; and `DIR/words/LANG.json`, the
//! interface's words in that language by their English (the static page is drawn in English). `www/first-paint.js`
//! reads the ones a link asks for, draws the lesson panel into the static page and puts its words in the link's
//! language; the app replaces all of it when it starts. And `DIR/lessons/builtin.json`, every built-in lesson's
//! files, which the app itself fetches when a lesson is first opened (they are not compiled into its wasm).
//!
//! Run by the build (`scripts/post-build.mjs`): `cargo run --bin first-paint -- dist`.

use ordinal_web::i18n::t;
use serde_json::{json, Map, Value};

/// The panel's words the first paint shows, by the keys the lesson panel asks for.
const WORDS: [&str; 16] = [
    "all-lessons",
    "close",
    "parts",
    "part",
    "step",
    "catch-up",
    "note",
    "open-file",
    "copy",
    "goal",
    "stuck",
    "show",
    "waiting",
    "back",
    "next",
    "source",
];

fn lesson_json(lesson: &ordinal_lessons::Lesson, lang: &str) -> Value {
    let words: Map<String, Value> = WORDS
        .iter()
        .map(|k| ((*k).to_string(), Value::from(t(lang, k))))
        .collect();
    json!({
        "id": lesson.id,
        "lang": lang,
        "title": lesson.title.get(lang),
        "source": lesson.source,
        "parts": lesson.parts.iter().filter(|p| !p.id.is_empty()).map(|p| json!({
            "first": p.first,
            "title": p.title.get(lang),
        })).collect::<Vec<_>>(),
        "steps": lesson.steps.iter().map(|s| json!({
            "id": s.id,
            "text": s.text.get(lang),
            "note": s.note.as_ref().map(|n| n.get(lang)),
            "file": s.file.as_ref().map(|f| &f.name),
            "run": s.run,
            "show": s.run.is_some() || s.file.is_some(),
            "hint": s.hint.as_ref().map(|h| h.get(lang)),
        })).collect::<Vec<_>>(),
        "words": words,
    })
}

/// The interface's words in `lang`, by their English: what the static page shows, and what the app shows instead
/// (`words`), and the texts with a number in them (`counted`: `{n} pods`, longest first). An English text two keys
/// share but translate differently is left out (the page cannot tell which it is).
fn by_english(lang: &str) -> Value {
    let mut map = Map::new();
    let mut counted: Vec<(&str, &str)> = Vec::new();
    let mut ambiguous = std::collections::BTreeSet::new();
    for key in ordinal_web::i18n::keys() {
        let (english, there) = (t("en", key), t(lang, key));
        if english.is_empty() || english == there || ambiguous.contains(english) {
            continue;
        }
        if english.contains('{') {
            if english.matches('{').count() == 1 && english.contains("{n}") {
                counted.push((english, there));
            }
            continue;
        }
        match map.get(english) {
            Some(Value::String(other)) if other != there => {
                map.remove(english);
                ambiguous.insert(english);
            }
            _ => {
                map.insert(english.to_string(), Value::from(there));
            }
        }
    }
    ordinal_engine::sort::by_key(&mut counted, |(english, _)| {
        std::cmp::Reverse(english.len())
    });
    json!({ "words": map, "counted": counted })
}

fn main() -> std::process::ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!(
            "usage: first-paint DIR (writes DIR/lessons/ID.LANG.json and DIR/lessons/builtin.json)"
        );
        return std::process::ExitCode::from(2);
    };
    let out = std::path::Path::new(&dir).join("lessons");
    if let Err(e) = std::fs::create_dir_all(&out) {
        eprintln!("first-paint: cannot make {}: {e}", out.display());
        return std::process::ExitCode::FAILURE;
    }
    // A lesson file that cannot be read is reported by the app, in its list; here it has nothing to show.
    let (lessons, _errors) = ordinal_lessons::builtin();
    let mut written = 0;
    for lesson in &lessons {
        for lang in ordinal_lessons::LANGUAGES {
            let path = out.join(format!("{}.{lang}.json", lesson.id));
            let text = lesson_json(lesson, lang).to_string();
            if let Err(e) = std::fs::write(&path, text) {
                eprintln!("first-paint: cannot write {}: {e}", path.display());
                return std::process::ExitCode::FAILURE;
            }
            written += 1;
        }
    }
    // Every lesson's files, which the app fetches when a lesson is first opened (not part of the code a first
    // visit downloads).
    let bundle = out.join("builtin.json");
    if let Err(e) = std::fs::write(&bundle, ordinal_lessons::builtin_bundle()) {
        eprintln!("first-paint: cannot write {}: {e}", bundle.display());
        return std::process::ExitCode::FAILURE;
    }
    let words = std::path::Path::new(&dir).join("words");
    if let Err(e) = std::fs::create_dir_all(&words) {
        eprintln!("first-paint: cannot make {}: {e}", words.display());
        return std::process::ExitCode::FAILURE;
    }
    for lang in ordinal_lessons::LANGUAGES {
        let path = words.join(format!("{lang}.json"));
        if let Err(e) = std::fs::write(&path, by_english(lang).to_string()) {
            eprintln!("first-paint: cannot write {}: {e}", path.display());
            return std::process::ExitCode::FAILURE;
        }
    }
    println!(
        "first-paint: {written} lesson files in {}, the interface's words in {}",
        out.display(),
        words.display()
    );
    std::process::ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_static_page_s_english_words_map_to_the_learner_s_language() {
        let ja = by_english("ja");
        assert_eq!(ja["words"]["Apply"], "適用 (Apply)");
        assert_eq!(ja["words"]["The cluster is empty"], t("ja", "empty-title"));
        let counted = ja["counted"].as_array().cloned().unwrap_or_default();
        assert!(
            counted
                .iter()
                .any(|c| c[0] == "{n} pods" && c[1] == "Pod {n} 個"),
            "{counted:?}"
        );
        // English needs nothing.
        assert_eq!(by_english("en")["words"].as_object().map(Map::len), Some(0));
    }

    #[test]
    fn a_lesson_s_first_paint_has_every_step_in_the_language() {
        let (lessons, errors) = ordinal_lessons::builtin();
        assert!(errors.is_empty(), "{errors:?}");
        let basics = lessons.iter().find(|l| l.id == "basics");
        let Some(basics) = basics else {
            panic!("no basics lesson")
        };
        let ko = lesson_json(basics, "ko");
        assert_eq!(ko["title"], basics.title.get("ko"));
        let steps = ko["steps"].as_array().cloned().unwrap_or_default();
        assert_eq!(steps.len(), basics.steps.len());
        assert_eq!(steps[2]["text"], basics.steps[2].text.get("ko"));
        assert_eq!(ko["words"]["step"], "단계");
        assert_eq!(ko["parts"][1]["first"], basics.parts[1].first);
    }
}
