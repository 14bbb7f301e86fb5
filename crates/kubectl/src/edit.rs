//! `kubectl edit TYPE NAME`: the object as YAML in an editor, and what was saved applied back. The browser
//! opens it in the page's editor; in a script, `KUBE_EDITOR="sed -i …"` edits it as it would on a real
//! machine. Saving unchanged text cancels; an invalid object is refused with kubectl's messages.

use serde_json::Value;

use crate::{to_yaml_text, Context, Outcome};
use ordinal_engine::cluster::Cluster;
use ordinal_engine::manifest;
use ordinal_engine::model::Object;
use ordinal_engine::store::ObjectKey;

/// An object open in the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub key: ObjectKey,
    /// What the editor shows: kubectl's header comment and the object's YAML (or, with `-o json`, the
    /// object's JSON without a header).
    pub text: String,
    /// `-o`: how the saved object is printed (`edited` when not given).
    pub output: Option<String>,
    /// `--save-config`: the saved object is recorded in the last-applied annotation.
    pub save_config: bool,
}

const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

const HEADER: &str = "# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\n";

pub(crate) const EDIT_FLAGS: &[super::flags::Spec] = &[
    super::flags::flag("output", Some('o'), true),
    super::flags::flag("record", None, false),
    super::flags::flag("save-config", None, false),
];

/// `kubectl edit TYPE NAME` / `TYPE/NAME`: the object to open, or kubectl's error.
pub(crate) fn open(c: &Cluster, ctx: &Context, args: &[String]) -> Result<Edit, String> {
    let p = super::flags::parse(args, EDIT_FLAGS, "edit")?;
    if p.is_set("record") {
        return Err(
            "error: \"kubectl edit --record\" (deprecated) is not available in this playground yet"
                .into(),
        );
    }
    let output = p.get("output").map(str::to_string);
    if let Some(o) = output.as_deref() {
        super::printer::Format::parse(Some(o), None, ctx, true)?;
    }
    let ns = p.namespace(&ctx.namespace).to_string();
    let keys = super::patch::object_keys(c, &p.args, &ns, None, false)?;
    let [key] = keys.as_slice() else {
        return Err(
            "error: edit takes exactly one object in this playground: TYPE NAME or TYPE/NAME"
                .into(),
        );
    };
    let obj = c
        .store()
        .get(key)
        .ok_or_else(|| ordinal_engine::api::ApiError::not_found(key.kind, &key.name).to_string())?;
    // editoptions.go: JSON is shown as JSON, without the commented header; anything else as YAML.
    let text = if output.as_deref() == Some("json") {
        format!(
            "{}\n",
            ordinal_engine::gojson::go_json_indent(&obj.to_json())
        )
    } else {
        format!("{HEADER}{}", to_yaml_text(&obj.to_json()))
    };
    Ok(Edit {
        key: key.clone(),
        text,
        output,
        save_config: p.is_set("save-config"),
    })
}

/// Saves the edited text: kubectl's answer (`statefulset.apps/web edited`, `Edit cancelled, no changes made.`,
/// or the API server's refusal).
pub fn save(c: &mut Cluster, edit: &Edit, edited: &str) -> Outcome {
    let strip = |t: &str| -> String {
        t.lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .map(|l| format!("{l}\n"))
            .collect()
    };
    let before = strip(&edit.text);
    let after = strip(edited);
    if after.trim().is_empty() {
        return Outcome::ok("Edit cancelled, saved file was empty.\n".into());
    }
    if before == after {
        return Outcome::ok("Edit cancelled, no changes made.\n".into());
    }
    let name = format!("{}/{}", edit.key.kind.qualified_singular(), edit.key.name);
    let objects = match manifest::parse(&after, "edited") {
        Ok(o) => o,
        Err(errors) => {
            let first = errors.first().map(ToString::to_string).unwrap_or_default();
            return Outcome::err(format!(
                "error: {}\nerror: Edit cancelled, no valid changes were saved.",
                first.trim_start_matches("error: ")
            ));
        }
    };
    let [doc] = objects.as_slice() else {
        return Outcome::err("error: the edited file must hold exactly one object\nerror: Edit cancelled, no valid changes were saved.");
    };
    if doc.kind != edit.key.kind || doc.name != edit.key.name {
        return Outcome::err("error: At least one of apiVersion, kind and name was changed\nerror: Edit cancelled, no valid changes were saved.");
    }
    let mut value = doc.body.clone();
    if let Some(o) = value.as_object_mut() {
        if !edit.key.namespace.is_empty() {
            if let Some(meta) = o.get_mut("metadata").and_then(Value::as_object_mut) {
                meta.entry("namespace")
                    .or_insert_with(|| Value::String(edit.key.namespace.clone()));
            }
        }
    }
    let obj = match Object::from_json(edit.key.kind, value) {
        Ok(o) => o,
        Err(e) => {
            return Outcome::err(format!(
            "error: {} \"{}\" is invalid: {e}\nerror: Edit cancelled, no valid changes were saved.",
            edit.key.kind.qualified_plural(),
            edit.key.name
        ))
        }
    };
    match c.update(obj) {
        Ok(true) => {
            if edit.save_config {
                // util.CreateOrUpdateAnnotation: the object as saved, recorded for a later apply.
                // GetModifiedConfiguration: its annotations minus this one (an empty map when none are left
                // to it), as Go's JSON encoder writes it, ending the line.
                let mut recorded = doc.raw.clone();
                if let Some(meta) = recorded.get_mut("metadata").and_then(Value::as_object_mut) {
                    let annotations = meta
                        .entry("annotations")
                        .or_insert_with(|| Value::Object(Default::default()));
                    if let Some(a) = annotations.as_object_mut() {
                        a.remove(LAST_APPLIED);
                    }
                }
                let text = format!("{}\n", ordinal_engine::gojson::go_json(&recorded));
                let _ = super::patch::modify_json(c, &edit.key, |v| {
                    let patch =
                        serde_json::json!({"metadata": {"annotations": {LAST_APPLIED: text}}});
                    super::patch::strategic_merge(v, &patch)
                });
            }
            let printed = match edit.output.as_deref() {
                Some(o) => super::printer::Format::parse(Some(o), None, &Context::default(), true)
                    .map(super::printer::ChangePrinter::new)
                    .and_then(|mut p| {
                        let shown = c
                            .store()
                            .get(&edit.key)
                            .map_or(Value::Null, Object::to_json);
                        p.print(&shown, "edited")
                    }),
                None => Ok(format!("{name} edited\n")),
            };
            match printed {
                Ok(text) => Outcome::ok(text),
                Err(e) => Outcome::err(e),
            }
        }
        Ok(false) => Outcome::ok("Edit cancelled, no changes made.\n".into()),
        Err(e) => Outcome::err(format!(
            "error: {} \"{}\" is invalid\n{e}\nerror: Edit cancelled, no valid changes were saved.",
            edit.key.kind.qualified_plural(),
            edit.key.name
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ordinal_engine::ClusterConfig;

    fn setup() -> (Cluster, Context) {
        let mut c = Cluster::new(ClusterConfig::default());
        c.apply_manifest(
            include_str!("../../term/tests/fixtures/web.yaml"),
            "web.yaml",
            "default",
        )
        .unwrap();
        (c, Context::default())
    }

    fn argv(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn editing_replicas_scales_the_set() {
        let (mut c, ctx) = setup();
        let e = open(&c, &ctx, &argv("sts web")).unwrap();
        assert!(e.text.starts_with("# Please edit the object below."));
        assert!(e.text.contains("  replicas: 2\n"), "{}", e.text);
        let edited = e.text.replace("  replicas: 2\n", "  replicas: 3\n");
        assert_eq!(
            save(&mut c, &e, &edited).stdout(),
            "statefulset.apps/web edited\n"
        );
        assert_eq!(
            c.stateful_set("default", "web").unwrap().spec.replicas,
            Some(3)
        );
    }

    #[test]
    fn unchanged_or_invalid_edits_change_nothing() {
        let (mut c, ctx) = setup();
        let e = open(&c, &ctx, &argv("statefulset/web")).unwrap();
        assert_eq!(
            save(&mut c, &e, &e.text).stdout(),
            "Edit cancelled, no changes made.\n"
        );
        let bad = e.text.replace("  replicas: 2\n", "  replicas: -1\n");
        let out = save(&mut c, &e, &bad);
        assert!(
            out.stderr().contains("spec.replicas: Invalid value: -1"),
            "{}",
            out.stderr()
        );
        assert!(out
            .stderr()
            .ends_with("error: Edit cancelled, no valid changes were saved.\n"));
        assert_eq!(
            c.stateful_set("default", "web").unwrap().spec.replicas,
            Some(2)
        );
        assert_eq!(
            open(&c, &ctx, &argv("sts nope")).unwrap_err(),
            "Error from server (NotFound): statefulsets.apps \"nope\" not found"
        );
    }
}
