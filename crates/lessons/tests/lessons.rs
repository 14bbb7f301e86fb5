//! The built-in lessons, as a learner who follows them would take them: each step's check does not pass before
//! the step is done, and passes once its commands ran and the clock has moved on ("show me" does exactly this).
//! `LESSON=basics cargo test -p ordinal-lessons` plays one lesson only, while it is being written.

use ordinal_engine::{Cluster, ClusterConfig};
use ordinal_lessons::{
    builtin, check, parse, perform, read, read_all, settle, Checked, Lesson, Source, Text, BUILTIN,
    LANGUAGES,
};
use ordinal_term::terminal::Terminal;

fn chosen() -> Vec<Lesson> {
    let (lessons, errors) = builtin();
    assert!(errors.is_empty(), "lessons that do not read: {errors:?}");
    let only = std::env::var("LESSON").ok();
    lessons
        .into_iter()
        .filter(|l| only.as_deref().is_none_or(|o| o == l.id))
        .collect()
}

#[test]
fn every_built_in_lesson_reads_and_is_written_in_every_language() {
    let (lessons, errors) = builtin();
    assert!(errors.is_empty(), "lessons that do not read: {errors:?}");
    assert_eq!(lessons.len(), BUILTIN.len());
    let every = |what: String, t: &Text| {
        for lang in LANGUAGES {
            assert!(
                t.languages().any(|l| l == lang) && !t.get(lang).trim().is_empty(),
                "{what} has no {lang}"
            );
        }
    };
    for lesson in &lessons {
        every(format!("{}: the title", lesson.id), &lesson.title);
        for part in lesson.parts.iter().filter(|p| !p.id.is_empty()) {
            every(
                format!("{} part {}: the title", lesson.id, part.id),
                &part.title,
            );
        }
        for step in &lesson.steps {
            let at = format!("{} step {}", lesson.id, step.id);
            every(format!("{at}: the text"), &step.text);
            if let Some(h) = &step.hint {
                every(format!("{at}: the hint"), h);
            }
            if let Some(n) = &step.note {
                every(format!("{at}: the note"), n);
            }
        }
    }
}

#[test]
fn each_step_is_done_only_once_its_commands_ran() {
    for lesson in chosen() {
        let mut c = Cluster::new(ClusterConfig::default());
        let mut learner = Terminal::default();
        for step in &lesson.steps {
            let before = check(
                &mut c,
                &learner.ctx.namespace.clone(),
                &learner.history,
                &step.check,
            );
            assert_ne!(
                before,
                Checked::Done,
                "{}: step {} passes before it is done",
                lesson.id,
                step.id
            );
            perform(&mut c, &mut learner, step);
            assert!(
                settle(&mut c, &learner, step),
                "{}: step {} is not done after its commands",
                lesson.id,
                step.id
            );
        }
    }
}

#[test]
fn a_lesson_file_with_a_mistake_says_what_it_is_and_where() {
    let no_english =
        "id: x\ntitle: {ja: テスト}\nsteps:\n- id: a\n  text: {en: t}\n  check: 'true'\n";
    assert_eq!(
        parse(no_english).unwrap_err().to_string(),
        "lesson.yaml:2: the title has no English text"
    );
    let bad_language =
        "id: x\ntitle: {en: t}\nsteps:\n- id: a\n  text: {en: t, fr: t}\n  check: 'true'\n";
    assert_eq!(
        parse(bad_language).unwrap_err().to_string(),
        "lesson.yaml:4: step a: its text is in \"fr\", not one of en, ja, zh-TW, ko"
    );
    let twice = "id: x\ntitle: {en: t}\nsteps:\n- id: a\n  text: {en: t}\n  check: 'true'\n- id: a\n  text: {en: t}\n  check: 'true'\n";
    assert_eq!(
        parse(twice).unwrap_err().to_string(),
        "lesson.yaml:4: step a: two steps have this id"
    );
    let unknown = "id: x\ntitle: {en: t}\nstep: []\n";
    let e = parse(unknown).unwrap_err();
    assert_eq!(e.line, Some(3), "{e}");
    assert!(e.message.contains("unknown field `step`"), "{e}");
    let missing = "id: x\ntitle: {en: t}\nsteps:\n- id: a\n  text: {en: t}\n  check: 'true'\n- id: b\n  text: {en: t}\n";
    let e = parse(missing).unwrap_err();
    assert_eq!(
        (e.line, e.message.contains("missing field `check`")),
        (Some(7), true),
        "{e}"
    );
    let not_yaml = "id: x\ntitle: {en: t\nsteps: []\n";
    let e = parse(not_yaml).unwrap_err();
    assert!(e.line.is_some(), "{e}");
}

#[test]
fn a_lesson_folder_is_its_lesson_file_and_its_parts_in_order() {
    let lesson = read(&[
        ("l/lesson.yaml", "id: l\ntitle: {en: L}\n"),
        ("l/1-a.yaml", "id: a\ntitle: {en: A}\nsteps:\n- {id: one, text: {en: t}, check: 'true'}\n"),
        ("l/2-b.yaml", "id: b\ntitle: {en: B}\nsteps:\n- {id: two, text: {en: t}, check: 'true'}\n- {id: three, text: {en: t}, check: 'true'}\n"),
    ])
    .unwrap();
    let ids: Vec<_> = lesson.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["one", "two", "three"]);
    assert_eq!(lesson.part_of(2).map(|p| p.id.as_str()), Some("b"));
    assert_eq!(lesson.part_of(0).map(|p| p.title.get("ja")), Some("A"));
    let e = read(&[
        ("l/1-a.yaml", "id: a\ntitle: {en: A}\nsteps: []\n"),
        ("l/2-b.yaml", "id: b\n"),
    ])
    .unwrap_err();
    assert!(e.message.contains("lesson.yaml"), "{e}");
    let e = read(&[
        ("l/lesson.yaml", "id: l\ntitle: {en: L}\n"),
        ("l/1-a.yaml", "id: a\ntitle: {en: A}\nsteps:\n- id: one\n  text: {en: t}\n  check: 'true'\n  chek: 'x'\n"),
    ])
    .unwrap_err();
    assert_eq!((e.file.as_str(), e.line), ("l/1-a.yaml", Some(7)), "{e}");
}

#[test]
fn a_folded_japanese_or_chinese_text_has_no_space_where_its_lines_were_joined() {
    let yaml = "id: x\ntitle: {en: t}\nsteps:\n- id: a\n  text:\n    en: >-\n      two\n      lines\n    ja: >-\n      Pod を順序\n      インデックスの順に\n      作成します。\n      Pod は\n    zh-TW: >-\n      穩定\n      的身分\n    ko: >-\n      순서대로\n      만듭니다\n  check: 'true'\n";
    let step = &parse(yaml).unwrap().steps[0];
    assert_eq!(step.text.get("en"), "two lines");
    assert_eq!(
        step.text.get("ja"),
        "Pod を順序インデックスの順に作成します。Pod は"
    );
    assert_eq!(step.text.get("zh-TW"), "穩定的身分");
    assert_eq!(step.text.get("ko"), "순서대로 만듭니다");
}

#[test]
fn a_check_that_would_wait_has_not_passed_and_moves_no_clock() {
    let mut c = Cluster::new(ClusterConfig::default());
    let now = c.now();
    assert_eq!(
        check(&mut c, "default", &[], "sleep 5; true"),
        Checked::Later
    );
    assert_eq!(
        check(&mut c, "default", &[], "kubectl get pods -w"),
        Checked::Later
    );
    assert_eq!(c.now(), now);
    assert_eq!(check(&mut c, "default", &[], "true"), Checked::Done);
    assert_eq!(check(&mut c, "default", &[], "false"), Checked::NotYet);
}

#[test]
fn the_readmes_example_lesson_reads_and_plays() {
    let readme = include_str!("../../../README.md");
    let from = readme
        .find("**Writing a lesson.**")
        .expect("the README explains how to write a lesson");
    let block = &readme[from..];
    let start = block.find("```yaml\n").expect("with an example") + 8;
    let end = start + block[start..].find("```").unwrap();
    let lesson = parse(&block[start..end]).unwrap_or_else(|e| panic!("{e}"));
    let mut c = Cluster::new(ClusterConfig::default());
    let mut learner = Terminal::default();
    for step in &lesson.steps {
        assert_ne!(
            check(&mut c, "default", &learner.history, &step.check),
            Checked::Done
        );
        perform(&mut c, &mut learner, step);
        assert!(settle(&mut c, &learner, step), "step {}", step.id);
    }
}

#[test]
fn a_broken_lesson_file_is_reported_and_the_others_still_load() {
    let good: &[(&str, &str)] = &[(
        "01-good.yaml",
        "id: good\ntitle: {en: Good}\nsteps:\n- {id: a, text: {en: t}, check: 'true'}\n",
    )];
    let broken: &[(&str, &str)] = &[(
        "02-broken.yaml",
        "id: broken\ntitle: {en: Broken}\nsteps:\n- id: a\n  text: {en: t}\n  chekc: 'true'\n",
    )];
    let twice: &[(&str, &str)] = &[(
        "03-again.yaml",
        "id: good\ntitle: {en: Again}\nsteps:\n- {id: a, text: {en: t}, check: 'true'}\n",
    )];
    let (lessons, errors) = read_all(&[
        Source {
            name: "01-good.yaml",
            files: good,
        },
        Source {
            name: "02-broken.yaml",
            files: broken,
        },
        Source {
            name: "03-again.yaml",
            files: twice,
        },
    ]);
    assert_eq!(
        lessons.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(),
        ["good"]
    );
    let said: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(
        said[0].starts_with("02-broken.yaml:6: unknown field `chekc`"),
        "{said:?}"
    );
    assert_eq!(
        said[1],
        "03-again.yaml: another lesson already has the id good"
    );
}

#[test]
fn no_step_is_done_on_a_fresh_cluster_by_a_learner_who_has_typed_nothing() {
    // A link can open any step: a clean-up step's check must see the clean-up, not a cluster that never had
    // anything in it.
    for lesson in chosen() {
        let mut c = Cluster::new(ClusterConfig::default());
        for step in &lesson.steps {
            assert_ne!(
                check(&mut c, "default", &[], &step.check),
                Checked::Done,
                "{}: step {} passes on a fresh cluster",
                lesson.id,
                step.id
            );
        }
    }
}

#[test]
fn the_bundle_the_browser_fetches_reads_to_the_built_in_lessons() {
    let bundle = ordinal_lessons::builtin_bundle();
    let read = ordinal_lessons::read_bundle(&bundle).expect("the bundle reads");
    assert_eq!(read, ordinal_lessons::builtin());
    assert!(read.0.len() >= 8, "{} lessons", read.0.len());
    // A truncated or altered download is refused with a reason, not read as fewer lessons.
    let cut = &bundle[..bundle.len() / 2];
    let refused = ordinal_lessons::read_bundle(cut).expect_err("half a bundle is refused");
    assert!(
        refused.starts_with("the lessons' files cannot be read: EOF"),
        "{refused}"
    );
    assert!(ordinal_lessons::read_bundle("{\"basics\": 1}").is_err());
}
