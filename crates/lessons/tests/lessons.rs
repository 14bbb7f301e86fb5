//! The built-in lessons, as a learner who follows them would take them: each step's check does not pass before
//! the step is done, and passes once its commands ran and the clock has moved on ("show me" does exactly this).

use ordinal_engine::{Cluster, ClusterConfig};
use ordinal_lessons::{builtin, check, parse, Checked, BUILTIN, LANGUAGES};
use ordinal_term::terminal::Terminal;

#[test]
fn every_built_in_lesson_reads_and_is_written_in_every_language() {
    assert_eq!(
        builtin().len(),
        BUILTIN.len(),
        "a built-in lesson does not parse"
    );
    for (name, text) in BUILTIN {
        let lesson = parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        for lang in LANGUAGES {
            assert!(
                lesson.title.languages().any(|l| l == lang),
                "{name}: the title has no {lang}"
            );
            for step in &lesson.steps {
                assert!(
                    step.text.languages().any(|l| l == lang),
                    "{name}: step {} has no {lang}",
                    step.id
                );
            }
        }
    }
}

#[test]
fn each_step_is_done_only_once_its_commands_ran() {
    for lesson in builtin() {
        let mut c = Cluster::new(ClusterConfig::default());
        let mut learner = Terminal::default();
        for step in &lesson.steps {
            let before = check(&mut c, "default", &learner.history, &step.check);
            assert_ne!(
                before,
                Checked::Done,
                "{}: step {} passes before it is done",
                lesson.id,
                step.id
            );
            for line in step.run.as_deref().unwrap_or("").lines() {
                let _ = learner.run(&mut c, line, &[]);
            }
            let mut done = false;
            for _ in 0..60 {
                if check(&mut c, "default", &learner.history, &step.check) == Checked::Done {
                    done = true;
                    break;
                }
                c.advance(5_000);
            }
            assert!(
                done,
                "{}: step {} is not done after its commands",
                lesson.id, step.id
            );
        }
    }
}

#[test]
fn a_lesson_file_with_a_mistake_says_what_it_is() {
    let no_english =
        "id: x\ntitle: {ja: テスト}\nsteps:\n- id: a\n  text: {en: t}\n  check: 'true'\n";
    assert_eq!(
        parse(no_english).unwrap_err(),
        "lesson x: the title has no English text"
    );
    let bad_language =
        "id: x\ntitle: {en: t, fr: t}\nsteps:\n- id: a\n  text: {en: t}\n  check: 'true'\n";
    assert_eq!(
        parse(bad_language).unwrap_err(),
        "lesson x: the title is in \"fr\", not one of en, ja, zh-TW, ko"
    );
    let twice = "id: x\ntitle: {en: t}\nsteps:\n- id: a\n  text: {en: t}\n  check: 'true'\n- id: a\n  text: {en: t}\n  check: 'true'\n";
    assert_eq!(
        parse(twice).unwrap_err(),
        "lesson x: two steps are called a"
    );
    let unknown = "id: x\ntitle: {en: t}\nstep: []\n";
    assert!(parse(unknown).is_err());
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
