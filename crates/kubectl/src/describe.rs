//! `kubectl describe`: the multi-line, tab-aligned report of one object and its events
//! (k8s-behaviour.md 4.8). Each describer follows `k8s.io/kubectl/pkg/describe/describe.go` field by field: it
//! writes lines with tab-separated cells at an indentation level (two spaces per level), and the whole report
//! then goes through Go's `text/tabwriter` rules (minimum width 0, padding 2), which align every run of
//! consecutive lines that share a column. That is why `QoS Class:` lines up with the last volume's fields, and
//! why a line without a tab (`Containers:`) starts a new alignment block. Values come from the stored objects;
//! the only constants are ones the real API server writes on admission (the `kube-api-access-*` token volume,
//! the two 300s tolerations, priority 0, the `default` service account), which this playground's admission
//! does not store but a real pod always shows.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::flags::{self, flag, int, Spec};
use crate::printers::age;
use crate::{Context, Outcome};
use ordinal_engine::api::ApiError;
use ordinal_engine::clock::Time;
use ordinal_engine::cluster::Cluster;
use ordinal_engine::model::cluster::{Event, Namespace, Node, Secret, Taint};
use ordinal_engine::model::discovery::{EndpointSlice, Endpoints};
use ordinal_engine::model::pod::{
    Container, ContainerState, ContainerStatus, Probe, Volume, VolumeMount,
};
use ordinal_engine::model::Kind;
use ordinal_engine::model::{
    ConfigMap, Deployment, LabelSelector, Object, ObjectMeta, PersistentVolume,
    PersistentVolumeClaim, Pod, PodTemplateSpec, ReplicaSet, Service, StatefulSet, StorageClass,
};
use ordinal_engine::store::{ObjectKey, Store};

pub(crate) const DESCRIBE_FLAGS: &[Spec] = &[
    flag("all-namespaces", Some('A'), false),
    flag("selector", Some('l'), true),
    flag("filename", Some('f'), true),
    flag("recursive", Some('R'), false),
    flag("show-events", None, false),
    int("chunk-size", None),
];

/// What kubectl prints when no resource type was given.
const NO_TYPE: &str = "error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n";

/// The annotation describe never prints (`skipAnnotations`).
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// `kubectl describe TYPE [NAME…] [-l selector]`.
pub fn describe(c: &Cluster, ctx: &Context, args: &[String]) -> Outcome {
    let p = match flags::parse(args, DESCRIBE_FLAGS, "describe") {
        Ok(p) => p,
        Err(e) => return Outcome::err(e),
    };
    let all_ns = p.is_set("all-namespaces");
    let ns = p.get("namespace").unwrap_or(&ctx.namespace).to_string();
    let selector = match p.get("selector").map(super::parse_selector).transpose() {
        Ok(s) => s,
        Err(e) => return Outcome::err(e),
    };
    if p.args.is_empty() && p.all("filename").is_empty() {
        return Outcome::err(NO_TYPE);
    }
    let store = c.store();
    let mut found: Vec<Object> = Vec::new();
    let mut errors: Vec<String> = Vec::new();
    // The kinds requested of the API server, for the warnings it answers with.
    let mut touched: Vec<Kind> = Vec::new();
    if !p.all("filename").is_empty() {
        let docs = match super::read_files(ctx, p.all("filename"), None, p.is_set("recursive")) {
            Ok(d) => d,
            Err(e) => return Outcome::err(e),
        };
        for (name, text) in docs {
            match ordinal_engine::manifest::parse(&text, &name) {
                Ok(objs) => {
                    for o in objs {
                        touched.push(o.kind);
                        let key =
                            ObjectKey::new(o.kind, o.namespace.as_deref().unwrap_or(&ns), &o.name);
                        match store.get(&key) {
                            Some(obj) => found.push(obj.clone()),
                            None => errors.push(ApiError::not_found(o.kind, &o.name).to_string()),
                        }
                    }
                }
                Err(errs) => {
                    return Outcome::err(
                        errs.iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("\n"),
                    )
                }
            }
        }
    } else {
        let requests = match super::targets(&p.args) {
            Ok(r) => r,
            Err(e) => return Outcome::err(e),
        };
        touched.extend(requests.iter().map(|(k, _)| *k));
        for (kind, names) in &requests {
            if names.is_empty() {
                let scope = if all_ns || !kind.info().namespaced {
                    None
                } else {
                    Some(ns.as_str())
                };
                found.extend(
                    super::list_kind(store, *kind, scope)
                        .into_iter()
                        .filter(|o| {
                            selector
                                .as_ref()
                                .is_none_or(|s| s.matches(&o.meta().labels))
                        }),
                );
                continue;
            }
            if selector.is_some() {
                return Outcome::err("error: name cannot be provided when a selector is specified");
            }
            if all_ns {
                return Outcome::err(
                    "error: a resource cannot be retrieved by name across all namespaces",
                );
            }
            for n in names {
                match store.get(&ObjectKey::new(*kind, &ns, n)) {
                    Some(o) => found.push(o.clone()),
                    None => errors.push(ApiError::not_found(*kind, n).to_string()),
                }
            }
        }
    }

    // Events are shown for a single object unless `--show-events` says otherwise.
    let explicit_events = p.values.contains_key("show-events");
    let show_events = if explicit_events {
        p.is_set("show-events")
    } else {
        errors.is_empty() && found.len() <= 1
    };
    let mut out = Outcome::default();
    for kind in touched {
        super::server_warnings(ctx, &mut out, kind);
    }

    // `kubectl describe pod web`: no object named `web`, so every pod whose name starts with `web`.
    if !errors.is_empty() && p.args.len() == 2 && p.all("filename").is_empty() {
        let matching = describe_matching(c, &ns, &p.args, show_events, &errors);
        out.append(matching.output);
        return out;
    }

    let now = c.now();
    let reports: Vec<String> = found
        .iter()
        .map(|o| describe_object(c, o, show_events, now))
        .collect();
    out.push_stdout(&reports.join("\n\n"));
    for e in &errors {
        out.push_stderr(e);
        out.push_stderr("\n");
    }
    if !errors.is_empty() {
        out.status = 1;
    }
    if found.is_empty() && errors.is_empty() {
        out.push_stderr(&if all_ns {
            "No resources found\n".to_string()
        } else {
            format!("No resources found in {ns} namespace.\n")
        });
    }
    out
}

/// `DescribeMatchingResources`: `TYPE PREFIX` when no object is named PREFIX. Each report is followed by a
/// newline; with no match the original NotFound error stands.
fn describe_matching(
    c: &Cluster,
    ns: &str,
    args: &[String],
    show_events: bool,
    errors: &[String],
) -> Outcome {
    let not_found = || {
        let mut o = Outcome::err(errors.join("\n"));
        o.status = 1;
        o
    };
    let resource = &args[0];
    let prefix = &args[1];
    // `TYPE/NAME TYPE/NAME`: kubectl looks the first one up on its own; no name starts with `TYPE/…`, so
    // only an error is printed: that object's NotFound if it is missing too, else the original one.
    if let Some((t, name)) = resource.split_once('/') {
        if let Some(kind) = super::resolve_kind(t) {
            if c.store().get(&ObjectKey::new(kind, ns, name)).is_none() {
                return Outcome::err(ApiError::not_found(kind, name).to_string());
            }
        }
        return not_found();
    }
    if resource.contains(',') {
        return not_found();
    }
    let Some(kind) = super::resolve_kind(resource) else {
        return not_found();
    };
    let scope = if kind.info().namespaced {
        Some(ns)
    } else {
        None
    };
    let now = c.now();
    let mut stdout = String::new();
    for o in super::list_kind(c.store(), kind, scope) {
        if o.meta().name.starts_with(prefix.as_str()) {
            stdout.push_str(&describe_object(c, &o, show_events, now));
            stdout.push('\n');
        }
    }
    if stdout.is_empty() {
        return not_found();
    }
    Outcome::ok(stdout)
}

/// One object's report, by the describer kubectl registers for its kind.
fn describe_object(c: &Cluster, obj: &Object, show_events: bool, now: Time) -> String {
    let store = c.store();
    let events = |uid: &str| show_events.then(|| c.events_for(uid));
    match obj {
        Object::Pod(p) => describe_pod(p, events(&p.metadata.uid), now),
        Object::StatefulSet(s) => describe_stateful_set(s, store, events(&s.metadata.uid), now),
        Object::PersistentVolumeClaim(pvc) => {
            describe_pvc(pvc, store, events(&pvc.metadata.uid), now)
        }
        Object::PersistentVolume(pv) => describe_pv(pv, events(&pv.metadata.uid), now),
        Object::StorageClass(sc) => describe_storage_class(sc, events(&sc.metadata.uid), now),
        Object::Service(svc) => describe_service(svc, store, events(&svc.metadata.uid), now),
        Object::Node(n) => {
            let evs = show_events.then(|| {
                // Controllers name a node by uid, the kubelet by name.
                let mut v = c.events_for(&n.metadata.uid);
                v.extend(c.events_for(&n.metadata.name));
                v
            });
            describe_node(n, store, evs, now)
        }
        Object::Deployment(d) => describe_deployment(d, store, events(&d.metadata.uid), now),
        Object::ReplicaSet(rs) => describe_replica_set(rs, store, events(&rs.metadata.uid), now),
        Object::DaemonSet(ds) => describe_daemon_set(ds, store, events(&ds.metadata.uid), now),
        Object::ConfigMap(cm) => describe_config_map(cm, events(&cm.metadata.uid), now),
        Object::Namespace(n) => describe_namespace(n),
        Object::Secret(s) => describe_secret(s),
        Object::ServiceAccount(sa) => describe_service_account(sa, events(&sa.metadata.uid), now),
        Object::Endpoints(e) => describe_endpoints(e, events(&e.metadata.uid), now),
        Object::EndpointSlice(e) => describe_endpoint_slice(e, events(&e.metadata.uid), now),
        Object::Event(_) | Object::ControllerRevision(_) => {
            describe_generic(obj, events(&obj.meta().uid), now)
        }
    }
}

// ---- the writer: indentation levels, then Go's tabwriter ----

/// `PrefixWriter` over a `tabwriter.Writer(out, 0, 8, 2, ' ', 0)`.
#[derive(Default)]
struct W {
    done: String,
    buf: String,
}

impl W {
    /// `Write(level, …)`: the indentation is added once, before the text, even when the text holds several
    /// lines.
    fn write(&mut self, level: usize, text: &str) {
        for _ in 0..level {
            self.buf.push_str("  ");
        }
        self.buf.push_str(text);
    }

    /// `WriteLine`: the text and a newline, with no indentation.
    fn write_line(&mut self, text: &str) {
        self.buf.push_str(text);
        self.buf.push('\n');
    }

    /// Aligns what was written so far on its own; later lines start new columns.
    fn flush(&mut self) {
        let text = std::mem::take(&mut self.buf);
        self.done.push_str(&tabwrite(&text));
    }

    fn finish(mut self) -> String {
        self.flush();
        self.done
    }
}

/// Go's `text/tabwriter` with minwidth 0, padding 2, padchar ' ' and no flags. A cell is text terminated by a
/// tab; the text after a line's last tab is not part of any column. A column block is a run of consecutive
/// lines that all have a cell in that column; each block is as wide as its widest cell plus the padding.
fn tabwrite(text: &str) -> String {
    let lines: Vec<Vec<&str>> = text.split('\n').map(|l| l.split('\t').collect()).collect();
    let mut tw = TabWriter {
        lines: &lines,
        widths: Vec::new(),
        out: String::new(),
    };
    tw.format(0, lines.len());
    tw.out
}

struct TabWriter<'a> {
    lines: &'a [Vec<&'a str>],
    widths: Vec<usize>,
    out: String,
}

impl TabWriter<'_> {
    fn has_cell(&self, line: usize, column: usize) -> bool {
        column + 1 < self.lines[line].len()
    }

    fn format(&mut self, line0: usize, line1: usize) {
        let column = self.widths.len();
        let mut start = line0;
        let mut this = line0;
        while this < line1 {
            if !self.has_cell(this, column) {
                this += 1;
                continue;
            }
            self.write_lines(start, this);
            start = this;
            let mut width = 0;
            while this < line1 && self.has_cell(this, column) {
                width = width.max(self.lines[this][column].chars().count() + 2);
                this += 1;
            }
            self.widths.push(width);
            self.format(start, this);
            self.widths.pop();
            start = this;
        }
        self.write_lines(start, line1);
    }

    fn write_lines(&mut self, line0: usize, line1: usize) {
        for i in line0..line1 {
            for (j, cell) in self.lines[i].iter().enumerate() {
                self.out.push_str(cell);
                if let Some(w) = self.widths.get(j) {
                    let pad = w.saturating_sub(cell.chars().count());
                    self.out.extend(std::iter::repeat_n(' ', pad));
                }
            }
            if i + 1 < self.lines.len() {
                self.out.push('\n');
            }
        }
    }
}

// ---- small formatters shared by the describers ----

/// `time.RFC1123Z`: `Mon, 05 Jan 2026 09:00:00 +0000`. A missing time is Go's zero time.
fn rfc1123z(t: Option<Time>) -> String {
    let Some(t) = t else {
        return "Mon, 01 Jan 0001 00:00:00 +0000".to_string();
    };
    let d = t.date_string();
    match d.split_whitespace().collect::<Vec<_>>().as_slice() {
        [wd, mon, day, hms, _, year] => format!("{wd}, {day:0>2} {mon} {year} {hms} +0000"),
        _ => t.rfc3339(),
    }
}

/// Go's `%v` of a JSON scalar.
fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "<nil>".to_string(),
        other => other.to_string(),
    }
}

/// A string field of a JSON object, or `""`.
fn jstr(v: &Value, key: &str) -> String {
    v.get(key).map(scalar).unwrap_or_default()
}

/// A boolean field of a JSON object; absent is false.
fn jbool(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn jarray<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// `printLabelsMultilineWithIndent`.
fn labels_multiline(
    w: &mut W,
    initial_indent: &str,
    title: &str,
    inner_indent: &str,
    labels: &BTreeMap<String, String>,
) {
    w.write(0, &format!("{initial_indent}{title}:{inner_indent}"));
    if labels.is_empty() {
        w.write_line("<none>");
        return;
    }
    for (i, (k, v)) in labels.iter().enumerate() {
        if i != 0 {
            w.write(0, initial_indent);
            w.write(0, inner_indent);
        }
        w.write(0, &format!("{k}={v}\n"));
    }
}

/// The `Name:` and `Namespace:` lines every namespaced describer opens with.
fn name_and_namespace(w: &mut W, meta: &ObjectMeta) {
    w.write(0, &format!("Name:\t{}\n", meta.name));
    w.write(0, &format!("Namespace:\t{}\n", meta.namespace));
}

/// `printLabelsMultiline`.
fn labels_block(w: &mut W, title: &str, labels: &BTreeMap<String, String>) {
    labels_multiline(w, "", title, "\t", labels);
}

/// `printAnnotationsMultiline`: sorted, without `last-applied-configuration`; long or multi-line values go on
/// their own lines, cut at 140 characters.
fn annotations_block(w: &mut W, title: &str, annotations: &BTreeMap<String, String>) {
    const MAX: usize = 140;
    w.write(0, &format!("{title}:\t"));
    let keys: Vec<&String> = annotations.keys().filter(|k| *k != LAST_APPLIED).collect();
    if keys.is_empty() {
        w.write_line("<none>");
        return;
    }
    for (i, key) in keys.into_iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        let value = annotations
            .get(key)
            .map_or("", |v| v.strip_suffix('\n').unwrap_or(v));
        if value.len() + key.len() + 2 > MAX || value.contains('\n') {
            w.write(0, &format!("{key}:\n"));
            for s in value.split('\n') {
                w.write(0, &format!("\t  {}\n", shorten(s, MAX - 2)));
            }
        } else {
            w.write(0, &format!("{key}: {value}\n"));
        }
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}...", &s[..end])
    } else {
        s.to_string()
    }
}

/// `labels.FormatLabels`: `k=v,k2=v2`, or `<none>`.
fn format_labels(labels: &BTreeMap<String, String>) -> String {
    if labels.is_empty() {
        return "<none>".to_string();
    }
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// `metav1.LabelSelectorAsSelector(sel).String()`: requirements sorted by key.
pub(crate) fn selector_string(sel: Option<&LabelSelector>) -> String {
    let Some(sel) = sel else {
        return String::new();
    };
    let mut reqs: Vec<(String, String)> = sel
        .match_labels
        .iter()
        .map(|(k, v)| (k.clone(), format!("{k}={v}")))
        .collect();
    for e in &sel.match_expressions {
        let mut values = e.values.clone();
        ordinal_api::sort::sort(&mut values);
        let text = match e.operator.as_str() {
            "In" => format!("{} in ({})", e.key, values.join(",")),
            "NotIn" => format!("{} notin ({})", e.key, values.join(",")),
            "Exists" => e.key.clone(),
            "DoesNotExist" => format!("!{}", e.key),
            other => format!("{} {other} ({})", e.key, values.join(",")),
        };
        reqs.push((e.key.clone(), text));
    }
    ordinal_api::sort::by(&mut reqs, |a, b| a.0.cmp(&b.0));
    reqs.into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join(",")
}

/// `metav1.FormatLabelSelector`: the selector, or `<none>`.
fn format_label_selector(sel: Option<&LabelSelector>) -> String {
    let s = selector_string(sel);
    if s.is_empty() {
        "<none>".to_string()
    } else {
        s
    }
}

/// `storageutil.GetAccessModesAsString`: RWO, ROX, RWX, RWOP in that order, each once.
fn access_modes(modes: &[String]) -> String {
    [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ]
    .iter()
    .filter(|(m, _)| modes.iter().any(|x| x == m))
    .map(|(_, s)| *s)
    .collect::<Vec<_>>()
    .join(",")
}

/// Go's `%v` of a string slice: `[a b]`.
fn go_list(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}

/// `metav1.GetControllerOf` as `Kind/name`.
fn controller_of(meta: &ObjectMeta) -> Option<String> {
    meta.controller_ref()
        .map(|r| format!("{}/{}", r.kind, r.name))
}

/// `DescribeEvents`: a table of its own (the writer is flushed first), oldest last-seen first.
fn describe_events(w: &mut W, events: Option<Vec<&Event>>, now: Time) {
    let Some(mut events) = events else {
        return;
    };
    if events.is_empty() {
        w.write(0, "Events:\t<none>\n");
        return;
    }
    w.flush();
    // `SortableEvents` orders by last timestamp; events seen at the same instant keep the list order.
    ordinal_api::sort::by_key(&mut events, |e| e.last_timestamp);
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.write(1, "----\t------\t----\t----\t-------\n");
    for e in events {
        let first = age(e.first_timestamp, now);
        let interval = if e.count > 1 {
            format!("{} (x{} over {first})", age(e.last_timestamp, now), e.count)
        } else {
            first
        };
        w.write(
            1,
            &format!(
                "{}\t{}\t{}\t{}\t{}\n",
                e.type_,
                e.reason,
                interval,
                e.source.component,
                e.message.trim()
            ),
        );
    }
}

// ---- Pod ----

/// The order the kubelet writes pod conditions in.
const CONDITION_ORDER: &[&str] = &[
    "PodReadyToStartContainers",
    "Initialized",
    "Ready",
    "ContainersReady",
    "PodScheduled",
];

/// A toleration as the API stores it.
#[derive(Debug, Clone, PartialEq)]
struct Toleration {
    key: String,
    operator: String,
    value: String,
    effect: String,
    seconds: Option<i64>,
}

fn tolerations_of(v: Option<&Value>) -> Vec<Toleration> {
    v.and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|t| Toleration {
                    key: jstr(t, "key"),
                    operator: t
                        .get("operator")
                        .and_then(Value::as_str)
                        .unwrap_or("Equal")
                        .to_string(),
                    value: jstr(t, "value"),
                    effect: jstr(t, "effect"),
                    seconds: t.get("tolerationSeconds").and_then(Value::as_i64),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `printTolerationsMultilineWithIndent`.
fn tolerations_block(w: &mut W, title: &str, tolerations: &[Toleration]) {
    w.write(0, &format!("{title}:\t"));
    if tolerations.is_empty() {
        w.write_line("<none>");
        return;
    }
    let mut sorted = tolerations.to_vec();
    ordinal_api::sort::by(&mut sorted, |a, b| a.key.cmp(&b.key));
    for (i, t) in sorted.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        let mut s = t.key.clone();
        if !t.value.is_empty() {
            s.push_str(&format!("={}", t.value));
        }
        if !t.effect.is_empty() {
            s.push_str(&format!(":{}", t.effect));
        }
        if t.operator == "Exists" && t.value.is_empty() {
            if !t.key.is_empty() || !t.effect.is_empty() {
                s.push_str(" op=Exists");
            } else {
                s.push_str("op=Exists");
            }
        }
        if let Some(secs) = t.seconds {
            s.push_str(&format!(" for {secs}s"));
        }
        w.write(0, &format!("{s}\n"));
    }
}

fn describe_pod(pod: &Pod, events: Option<Vec<&Event>>, now: Time) -> String {
    let mut w = W::default();
    let meta = &pod.metadata;
    name_and_namespace(&mut w, meta);
    // The Priority admission plugin writes 0 when the pod names no priority class.
    w.write(
        0,
        &format!("Priority:\t{}\n", pod.spec.priority.unwrap_or(0)),
    );
    if let Some(pc) = pod
        .spec
        .priority_class_name
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        w.write(0, &format!("Priority Class Name:\t{pc}\n"));
    }
    let service_account = pod
        .spec
        .service_account_name
        .as_deref()
        .or(pod.spec.service_account.as_deref())
        .filter(|s| !s.is_empty())
        .unwrap_or("default");
    w.write(0, &format!("Service Account:\t{service_account}\n"));
    match pod.spec.node_name.as_deref() {
        Some(node) if !node.is_empty() => w.write(
            0,
            &format!(
                "Node:\t{node}/{}\n",
                pod.status.host_ip.as_deref().unwrap_or("")
            ),
        ),
        _ => w.write(0, "Node:\t<none>\n"),
    }
    if pod.status.start_time.is_some() {
        w.write(
            0,
            &format!("Start Time:\t{}\n", rfc1123z(pod.status.start_time)),
        );
    }
    labels_block(&mut w, "Labels", &meta.labels);
    annotations_block(&mut w, "Annotations", &meta.annotations);
    if meta.deletion_timestamp.is_some() && !pod.is_terminal() {
        w.write(
            0,
            &format!(
                "Status:\tTerminating (lasts {})\n",
                age(meta.deletion_timestamp, now)
            ),
        );
        w.write(
            0,
            &format!(
                "Termination Grace Period:\t{}s\n",
                meta.deletion_grace_period_seconds.unwrap_or(0)
            ),
        );
    } else {
        w.write(0, &format!("Status:\t{}\n", pod.status.phase));
    }
    if let Some(r) = pod.status.reason.as_deref().filter(|s| !s.is_empty()) {
        w.write(0, &format!("Reason:\t{r}\n"));
    }
    if let Some(m) = pod.status.message.as_deref().filter(|s| !s.is_empty()) {
        w.write(0, &format!("Message:\t{m}\n"));
    }
    let ip = pod.status.pod_ip.as_deref().unwrap_or("");
    w.write(0, &format!("IP:\t{ip}\n"));
    // `status.podIPs` always mirrors `status.podIP` on a single-stack cluster.
    if ip.is_empty() {
        w.write(0, "IPs:\t<none>\n");
    } else {
        w.write(0, "IPs:\n");
        w.write(1, &format!("IP:\t{ip}\n"));
    }
    if let Some(by) = controller_of(meta) {
        w.write(0, &format!("Controlled By:\t{by}\n"));
    }
    if !pod.spec.init_containers.is_empty() {
        describe_containers(
            &mut w,
            "Init Containers",
            &pod.spec.init_containers,
            Some(&pod.status.init_container_statuses),
            Some(pod),
            "",
        );
    }
    describe_containers(
        &mut w,
        "Containers",
        &pod.spec.containers,
        Some(&pod.status.container_statuses),
        Some(pod),
        "",
    );
    if !pod.status.conditions.is_empty() {
        let mut conditions: Vec<_> = pod.status.conditions.iter().collect();
        ordinal_api::sort::by_key(&mut conditions, |c| {
            CONDITION_ORDER
                .iter()
                .position(|t| *t == c.type_)
                .unwrap_or(CONDITION_ORDER.len())
        });
        w.write(0, "Conditions:\n  Type\tStatus\n");
        for c in conditions {
            w.write(1, &format!("{} \t{} \n", c.type_, c.status));
        }
    }
    describe_volumes(&mut w, &pod.spec.volumes, "");
    let qos = pod
        .status
        .qos_class
        .clone()
        .filter(|q| !q.is_empty())
        .unwrap_or_else(|| pod.qos_class().to_string());
    w.write(0, &format!("QoS Class:\t{qos}\n"));
    labels_block(&mut w, "Node-Selectors", &pod.spec.node_selector);
    tolerations_block(
        &mut w,
        "Tolerations",
        &tolerations_of(pod.spec.tolerations.as_ref()),
    );
    describe_events(&mut w, events, now);
    w.finish()
}

/// `qos.ComputePodQOS` from the containers' cpu and memory requests and limits.
/// A cpu quantity in millicores or a memory quantity in bytes.
fn quantity_value(resource: &str, q: &str) -> Option<u128> {
    if resource == "cpu" {
        if let Some(m) = q.strip_suffix('m') {
            return m.parse().ok();
        }
        return ordinal_engine::quantity::parse_bytes(q)
            .map(|v| v * 1000)
            .or_else(|| q.parse::<f64>().ok().map(|f| (f * 1000.0).round() as u128));
    }
    ordinal_engine::quantity::parse_bytes(q)
}

/// `describeContainers`: for a pod (with statuses and the token mount) or a template (`space` = two spaces).
fn describe_containers(
    w: &mut W,
    label: &str,
    containers: &[Container],
    statuses: Option<&[ContainerStatus]>,
    pod: Option<&Pod>,
    space: &str,
) {
    let none = if containers.is_empty() { " <none>" } else { "" };
    w.write(0, &format!("{space}{label}:{none}\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for c in containers {
        let status = statuses.and_then(|s| s.iter().find(|s| s.name == c.name));
        w.write(1, &format!("{name_indent}{}:\n", c.name));
        if let Some(s) = status {
            w.write(2, &format!("Container ID:\t{}\n", s.container_id));
        }
        w.write(2, &format!("Image:\t{}\n", c.image));
        if let Some(s) = status {
            w.write(2, &format!("Image ID:\t{}\n", s.image_id));
        }
        let port_name = |p: &ordinal_engine::model::pod::ContainerPort, n: i64| {
            let mut s = format!("{n}/{}", p.protocol.as_deref().unwrap_or("TCP"));
            if let Some(name) = p.name.as_deref().filter(|n| !n.is_empty()) {
                s.push_str(&format!(" ({name})"));
            }
            s
        };
        let ports: Vec<String> = c
            .ports
            .iter()
            .map(|p| port_name(p, p.container_port))
            .collect();
        let ports = ports.join(", ");
        if ports.contains(',') {
            w.write(2, &format!("Ports:\t{ports}\n"));
        } else {
            w.write(2, &format!("Port:\t{}\n", or_none(&ports)));
        }
        let host_ports: Vec<String> = c
            .ports
            .iter()
            .map(|p| port_name(p, p.host_port.unwrap_or(0)))
            .collect();
        let host_ports = host_ports.join(", ");
        if host_ports.contains(',') {
            w.write(2, &format!("Host Ports:\t{host_ports}\n"));
        } else {
            w.write(2, &format!("Host Port:\t{}\n", or_none(&host_ports)));
        }
        for (title, items) in [("Command", &c.command), ("Args", &c.args)] {
            if !items.is_empty() {
                w.write(2, &format!("{title}:\n"));
                for item in items {
                    for s in item.split('\n') {
                        w.write(3, &format!("{s}\n"));
                    }
                }
            }
        }
        if let Some(s) = status {
            describe_state(w, "State", &s.state);
            if s.last_state.terminated.is_some() {
                describe_state(w, "Last State", &s.last_state);
            }
            w.write(
                2,
                &format!("Ready:\t{}\n", if s.ready { "True" } else { "False" }),
            );
            w.write(2, &format!("Restart Count:\t{}\n", s.restart_count));
        }
        if let Some(r) = &c.resources {
            for (section, title) in [("limits", "Limits"), ("requests", "Requests")] {
                if let Some(map) = r.get(section).and_then(Value::as_object) {
                    if !map.is_empty() {
                        w.write(2, &format!("{title}:\n"));
                    }
                    let mut names: Vec<&String> = map.keys().collect();
                    ordinal_api::sort::sort(&mut names);
                    for n in names {
                        w.write(
                            3,
                            &format!("{n}:\t{}\n", map.get(n).map(scalar).unwrap_or_default()),
                        );
                    }
                }
            }
        }
        for (title, probe) in [
            ("Liveness", &c.liveness_probe),
            ("Readiness", &c.readiness_probe),
            ("Startup", &c.startup_probe),
        ] {
            if let Some(p) = probe {
                w.write(2, &format!("{title}:\t{}\n", describe_probe(p)));
            }
        }
        if let Some(list) = c.env_from.as_ref().and_then(Value::as_array) {
            if !list.is_empty() {
                w.write(2, "Environment Variables from:\n");
                for e in list {
                    let (from, r) = if let Some(r) = e.get("configMapRef") {
                        ("ConfigMap", r)
                    } else if let Some(r) = e.get("secretRef") {
                        ("Secret", r)
                    } else {
                        ("", &Value::Null)
                    };
                    let optional = jbool(r, "optional");
                    let prefix = jstr(e, "prefix");
                    if prefix.is_empty() {
                        w.write(
                            3,
                            &format!("{}\t{from}\tOptional: {optional}\n", jstr(r, "name")),
                        );
                    } else {
                        w.write(
                            3,
                            &format!(
                                "{}\t{from} with prefix '{prefix}'\tOptional: {optional}\n",
                                jstr(r, "name")
                            ),
                        );
                    }
                }
            }
        }
        describe_env(w, c, pod);
        let mut mounts: Vec<&VolumeMount> = c.volume_mounts.iter().collect();
        if mounts.is_empty() {
            w.write(2, "Mounts:\t<none>\n");
        } else {
            w.write(2, "Mounts:\n");
        }
        ordinal_api::sort::by(&mut mounts, |a, b| a.mount_path.cmp(&b.mount_path));
        for m in mounts {
            let mut flags = vec![if m.read_only == Some(true) {
                "ro"
            } else {
                "rw"
            }
            .to_string()];
            if let Some(sp) = m.sub_path.as_deref().filter(|s| !s.is_empty()) {
                flags.push(format!("path={sp:?}"));
            }
            w.write(
                3,
                &format!("{} from {} ({})\n", m.mount_path, m.name, flags.join(",")),
            );
        }
    }
}

fn or_none(s: &str) -> &str {
    if s.is_empty() {
        "<none>"
    } else {
        s
    }
}

/// `describeStatus`.
fn describe_state(w: &mut W, title: &str, state: &ContainerState) {
    if let Some(r) = &state.running {
        w.write(2, &format!("{title}:\tRunning\n"));
        w.write(3, &format!("Started:\t{}\n", rfc1123z(r.started_at)));
    } else if let Some(wt) = &state.waiting {
        w.write(2, &format!("{title}:\tWaiting\n"));
        if let Some(r) = wt.reason.as_deref().filter(|s| !s.is_empty()) {
            w.write(3, &format!("Reason:\t{r}\n"));
        }
    } else if let Some(t) = &state.terminated {
        w.write(2, &format!("{title}:\tTerminated\n"));
        if let Some(r) = t.reason.as_deref().filter(|s| !s.is_empty()) {
            w.write(3, &format!("Reason:\t{r}\n"));
        }
        w.write(3, &format!("Exit Code:\t{}\n", t.exit_code));
        w.write(3, &format!("Started:\t{}\n", rfc1123z(t.started_at)));
        w.write(3, &format!("Finished:\t{}\n", rfc1123z(t.finished_at)));
    } else {
        w.write(2, &format!("{title}:\tWaiting\n"));
    }
}

/// `DescribeProbe`: `http-get http://:80/ delay=0s timeout=1s period=10s successThreshold=1 failureThreshold=3`.
fn describe_probe(p: &Probe) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s successThreshold={} failureThreshold={}",
        p.initial_delay_seconds.unwrap_or(0),
        p.timeout_seconds.unwrap_or(1),
        p.period_seconds.unwrap_or(10),
        p.success_threshold.unwrap_or(1),
        p.failure_threshold.unwrap_or(3)
    );
    if let Some(e) = &p.exec {
        return format!("exec [{}] {attrs}", e.command.join(" "));
    }
    if let Some(h) = &p.http_get {
        // The API server defaults the scheme to HTTP and the path to `/`.
        let scheme = h.scheme.as_deref().unwrap_or("HTTP").to_lowercase();
        let host = h.host.as_deref().unwrap_or("");
        let port = h.port.to_string();
        let hostport = if port.is_empty() {
            host.to_string()
        } else {
            format!("{host}:{port}")
        };
        let path = h.path.as_deref().unwrap_or("/");
        let path = if !path.is_empty() && !path.starts_with('/') {
            format!("/{path}")
        } else {
            path.to_string()
        };
        return format!("http-get {scheme}://{hostport}{path} {attrs}");
    }
    if let Some(t) = &p.tcp_socket {
        return format!(
            "tcp-socket {}:{} {attrs}",
            t.host.as_deref().unwrap_or(""),
            t.port
        );
    }
    if let Some(g) = &p.grpc {
        return format!(
            "grpc <pod>:{} {} {attrs}",
            jstr(g, "port"),
            jstr(g, "service")
        );
    }
    format!("unknown {attrs}")
}

/// `describeContainerEnvVars`, resolving `fieldRef`s against the pod (templates leave them blank).
fn describe_env(w: &mut W, c: &Container, pod: Option<&Pod>) {
    if c.env.is_empty() {
        w.write(2, "Environment:\t<none>\n");
        return;
    }
    w.write(2, "Environment:\n");
    for e in &c.env {
        let Some(from) = &e.value_from else {
            for (i, s) in e.value.as_deref().unwrap_or("").split('\n').enumerate() {
                if i == 0 {
                    w.write(3, &format!("{}:\t{s}\n", e.name));
                } else {
                    w.write(3, &format!("\t{s}\n"));
                }
            }
            continue;
        };
        if let Some(f) = from.get("fieldRef") {
            let path = jstr(f, "fieldPath");
            let api = f.get("apiVersion").and_then(Value::as_str).unwrap_or("v1");
            let value = pod.map(|p| field_value(p, &path)).unwrap_or_default();
            w.write(3, &format!("{}:\t{value} ({api}:{path})\n", e.name));
        } else if let Some(r) = from.get("resourceFieldRef") {
            let resource = jstr(r, "resource");
            let value = c
                .resources
                .as_ref()
                .and_then(|res| {
                    let (section, name) = resource.split_once('.')?;
                    res.get(section)?.get(name).map(scalar)
                })
                .unwrap_or_else(|| {
                    if resource == "limits.cpu" || resource == "limits.memory" {
                        "node allocatable".to_string()
                    } else {
                        "0".to_string()
                    }
                });
            w.write(3, &format!("{}:\t{value} ({resource})\n", e.name));
        } else if let Some(r) = from.get("secretKeyRef") {
            w.write(
                3,
                &format!(
                    "{}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                    e.name,
                    jstr(r, "key"),
                    jstr(r, "name"),
                    jbool(r, "optional")
                ),
            );
        } else if let Some(r) = from.get("configMapKeyRef") {
            w.write(
                3,
                &format!(
                    "{}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                    e.name,
                    jstr(r, "key"),
                    jstr(r, "name"),
                    jbool(r, "optional")
                ),
            );
        }
    }
}

/// The downward API's value of `path` for `pod`.
fn field_value(pod: &Pod, path: &str) -> String {
    let key_in = |prefix: &str, map: &BTreeMap<String, String>| {
        path.strip_prefix(prefix)
            .and_then(|r| r.strip_suffix("']"))
            .and_then(|k| map.get(k).cloned())
    };
    match path {
        "metadata.name" => pod.metadata.name.clone(),
        "metadata.namespace" => pod.metadata.namespace.clone(),
        "metadata.uid" => pod.metadata.uid.clone(),
        "spec.nodeName" => pod.spec.node_name.clone().unwrap_or_default(),
        "spec.serviceAccountName" => pod
            .spec
            .service_account_name
            .clone()
            .unwrap_or_else(|| "default".to_string()),
        "status.podIP" | "status.podIPs" => pod.status.pod_ip.clone().unwrap_or_default(),
        "status.hostIP" | "status.hostIPs" => pod.status.host_ip.clone().unwrap_or_default(),
        _ => key_in("metadata.labels['", &pod.metadata.labels)
            .or_else(|| key_in("metadata.annotations['", &pod.metadata.annotations))
            .unwrap_or_default(),
    }
}

/// `describeVolumes`.
fn describe_volumes(w: &mut W, volumes: &[Volume], space: &str) {
    if volumes.is_empty() {
        w.write(0, &format!("{space}Volumes:\t<none>\n"));
        return;
    }
    w.write(0, &format!("{space}Volumes:\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for v in volumes {
        w.write(1, &format!("{name_indent}{}:\n", v.name));
        if let Some(h) = &v.host_path {
            // The API server defaults `type` to the empty string.
            w.write(
                2,
                &format!(
                    "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n",
                    jstr(h, "path"),
                    jstr(h, "type")
                ),
            );
        } else if let Some(e) = &v.empty_dir {
            let size = e
                .get("sizeLimit")
                .map(scalar)
                .filter(|s| ordinal_engine::quantity::parse_bytes(s).is_some_and(|b| b > 0))
                .unwrap_or_else(|| "<unset>".to_string());
            w.write(
                2,
                &format!(
                    "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{size}\n",
                    jstr(e, "medium")
                ),
            );
        } else if let Some(s) = &v.secret {
            w.write(
                2,
                &format!(
                    "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                    jstr(s, "secretName"),
                    jbool(s, "optional")
                ),
            );
        } else if let Some(cm) = &v.config_map {
            w.write(
                2,
                &format!(
                    "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                    jstr(cm, "name"),
                    jbool(cm, "optional")
                ),
            );
        } else if let Some(n) = &v.nfs {
            w.write(
                2,
                &format!(
                    "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
                    jstr(n, "server"),
                    jstr(n, "path"),
                    jbool(n, "readOnly")
                ),
            );
        } else if let Some(claim) = &v.persistent_volume_claim {
            w.write(
                2,
                &format!(
                    "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                    claim.claim_name,
                    claim.read_only.unwrap_or(false)
                ),
            );
        } else if let Some(d) = &v.downward_api {
            w.write(
                2,
                "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n",
            );
            for item in jarray(d, "items") {
                let path = jstr(item, "path");
                if let Some(f) = item.get("fieldRef") {
                    w.write(3, &format!("{} -> {path}\n", jstr(f, "fieldPath")));
                }
                if let Some(r) = item.get("resourceFieldRef") {
                    w.write(3, &format!("{} -> {path}\n", jstr(r, "resource")));
                }
            }
        } else if let Some(p) = &v.projected {
            w.write(
                2,
                "Type:\tProjected (a volume that contains injected data from multiple sources)\n",
            );
            for source in jarray(p, "sources") {
                if let Some(s) = source.get("secret") {
                    w.write(
                        2,
                        &format!(
                            "SecretName:\t{}\n    Optional:\t{}\n",
                            jstr(s, "name"),
                            jbool(s, "optional")
                        ),
                    );
                } else if source.get("downwardAPI").is_some() {
                    w.write(2, "DownwardAPI:\ttrue\n");
                } else if let Some(cm) = source.get("configMap") {
                    w.write(
                        2,
                        &format!(
                            "ConfigMapName:\t{}\n    Optional:\t{}\n",
                            jstr(cm, "name"),
                            jbool(cm, "optional")
                        ),
                    );
                } else if let Some(t) = source.get("serviceAccountToken") {
                    w.write(
                        2,
                        &format!(
                            "TokenExpirationSeconds:\t{}\n",
                            t.get("expirationSeconds")
                                .and_then(Value::as_i64)
                                .unwrap_or(3600)
                        ),
                    );
                }
            }
        } else {
            w.write(1, "<unknown>\n");
        }
    }
}

// ---- workloads ----

/// `getPodStatusForController`: the phases of the pods the selector matches that `uid` controls.
fn pod_phases(store: &Store, ns: &str, sel: Option<&LabelSelector>, uid: &str) -> String {
    let (mut running, mut waiting, mut succeeded, mut failed) = (0, 0, 0, 0);
    for p in store.list::<Pod>(Some(ns)) {
        if !sel.is_some_and(|s| s.matches(&p.metadata.labels)) {
            continue;
        }
        if p.metadata.controller_ref().is_none_or(|r| r.uid != uid) {
            continue;
        }
        match p.status.phase.as_str() {
            "Running" => running += 1,
            "Pending" => waiting += 1,
            "Succeeded" => succeeded += 1,
            "Failed" => failed += 1,
            _ => {}
        }
    }
    format!("{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed")
}

/// A pod template as describe prints it (`Pod Template:` …), for `rollout history --revision`.
pub fn pod_template(t: &PodTemplateSpec) -> String {
    let mut w = W::default();
    describe_pod_template(&mut w, t);
    w.finish()
}

/// `DescribePodTemplate`.
fn describe_pod_template(w: &mut W, t: &PodTemplateSpec) {
    w.write(0, "Pod Template:\n");
    labels_block(w, "  Labels", &t.metadata.labels);
    if !t.metadata.annotations.is_empty() {
        annotations_block(w, "  Annotations", &t.metadata.annotations);
    }
    if let Some(sa) = t
        .spec
        .service_account_name
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        w.write(1, &format!("Service Account:\t{sa}\n"));
    }
    if !t.spec.init_containers.is_empty() {
        describe_containers(
            w,
            "Init Containers",
            &t.spec.init_containers,
            None,
            None,
            "  ",
        );
    }
    describe_containers(w, "Containers", &t.spec.containers, None, None, "  ");
    describe_volumes(w, &t.spec.volumes, "  ");
    if let Some(pc) = t
        .spec
        .priority_class_name
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        w.write(1, &format!("Priority Class Name:\t{pc}\n"));
    }
    labels_block(w, "  Node-Selectors", &t.spec.node_selector);
    tolerations_block(
        w,
        "  Tolerations",
        &tolerations_of(t.spec.tolerations.as_ref()),
    );
}

fn describe_stateful_set(
    s: &StatefulSet,
    store: &Store,
    events: Option<Vec<&Event>>,
    now: Time,
) -> String {
    let mut w = W::default();
    let meta = &s.metadata;
    name_and_namespace(&mut w, meta);
    w.write(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            rfc1123z(meta.creation_timestamp)
        ),
    );
    w.write(
        0,
        &format!("Selector:\t{}\n", selector_string(s.spec.selector.as_ref())),
    );
    labels_block(&mut w, "Labels", &meta.labels);
    annotations_block(&mut w, "Annotations", &meta.annotations);
    if !s.service_name().is_empty() {
        w.write(0, &format!("Service Name:\t{}\n", s.service_name()));
    }
    if let Some(policy) = s
        .spec
        .pod_management_policy
        .as_deref()
        .filter(|p| !p.is_empty())
    {
        w.write(0, &format!("Pod Management Policy:\t{policy}\n"));
    }
    w.write(
        0,
        &format!(
            "Replicas:\t{} desired | {} total\n",
            s.replicas(),
            s.status.replicas
        ),
    );
    let strategy = s.spec.update_strategy.as_ref();
    w.write(
        0,
        &format!(
            "Update Strategy:\t{}\n",
            strategy.and_then(|u| u.type_.as_deref()).unwrap_or("")
        ),
    );
    if let Some(ru) = strategy.and_then(|u| u.rolling_update.as_ref()) {
        if let Some(partition) = ru.partition {
            w.write(1, &format!("Partition:\t{partition}\n"));
            if let Some(mu) = &ru.max_unavailable {
                w.write(1, &format!("MaxUnavailable:\t{mu}\n"));
            }
        }
    }
    if let Some(policy) = &s.spec.persistent_volume_claim_retention_policy {
        w.write(0, "Persistent Volume Claim Retention Policy:\n");
        w.write(
            1,
            &format!(
                "WhenDeleted:\t{}\n",
                policy.when_deleted.as_deref().unwrap_or("")
            ),
        );
        w.write(
            1,
            &format!(
                "WhenScaled:\t{}\n",
                policy.when_scaled.as_deref().unwrap_or("")
            ),
        );
    }
    w.write(
        0,
        &format!(
            "Pods Status:\t{}\n",
            pod_phases(store, &meta.namespace, s.spec.selector.as_ref(), &meta.uid)
        ),
    );
    describe_pod_template(&mut w, &s.spec.template);
    // `describeVolumeClaimTemplates`.
    if s.spec.volume_claim_templates.is_empty() {
        w.write(0, "Volume Claims:\t<none>\n");
    } else {
        w.write(0, "Volume Claims:\n");
        for t in &s.spec.volume_claim_templates {
            w.write(1, &format!("Name:\t{}\n", t.metadata.name));
            w.write(1, &format!("StorageClass:\t{}\n", t.class_name()));
            labels_multiline(&mut w, "  ", "Labels", "\t", &t.metadata.labels);
            labels_multiline(&mut w, "  ", "Annotations", "\t", &t.metadata.annotations);
            let capacity = t.requested_storage();
            w.write(
                1,
                &format!(
                    "Capacity:\t{}\n",
                    if capacity.is_empty() {
                        "<default>"
                    } else {
                        &capacity
                    }
                ),
            );
            w.write(
                1,
                &format!("Access Modes:\t{}\n", go_list(&t.spec.access_modes)),
            );
        }
    }
    describe_events(&mut w, events, now);
    w.finish()
}

/// The replica sets `d` controls: (old ones oldest first, the new one), as `GetAllReplicaSetsInChunks`
/// finds them.
fn deployment_replica_sets<'a>(
    d: &Deployment,
    store: &'a Store,
) -> (Vec<&'a ReplicaSet>, Option<&'a ReplicaSet>) {
    let mut owned: Vec<&ReplicaSet> = store
        .controlled_by::<ReplicaSet>(&d.metadata)
        .filter(|rs| {
            d.spec
                .selector
                .as_ref()
                .is_some_and(|s| s.matches(&rs.metadata.labels))
        })
        .collect();
    ordinal_api::sort::by(&mut owned, |a, b| {
        (a.metadata.creation_timestamp, &a.metadata.name)
            .cmp(&(b.metadata.creation_timestamp, &b.metadata.name))
    });
    let strip = |t: &PodTemplateSpec| {
        let mut t = t.clone();
        t.metadata.labels.remove("pod-template-hash");
        t
    };
    let wanted = strip(&d.spec.template);
    let new = owned
        .iter()
        .copied()
        .find(|rs| strip(&rs.spec.template) == wanted);
    let old = owned
        .into_iter()
        .filter(|rs| new.is_none_or(|n| n.metadata.uid != rs.metadata.uid))
        .collect();
    (old, new)
}

fn describe_deployment(
    d: &Deployment,
    store: &Store,
    events: Option<Vec<&Event>>,
    now: Time,
) -> String {
    let mut w = W::default();
    let meta = &d.metadata;
    name_and_namespace(&mut w, meta);
    w.write(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            rfc1123z(meta.creation_timestamp)
        ),
    );
    labels_block(&mut w, "Labels", &meta.labels);
    annotations_block(&mut w, "Annotations", &meta.annotations);
    w.write(
        0,
        &format!("Selector:\t{}\n", selector_string(d.spec.selector.as_ref())),
    );
    let st = &d.status;
    w.write(
        0,
        &format!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
            d.spec.replicas.unwrap_or(1),
            st.updated_replicas,
            st.replicas,
            st.available_replicas,
            st.unavailable_replicas
        ),
    );
    let strategy = d.spec.strategy.as_ref();
    w.write(
        0,
        &format!(
            "StrategyType:\t{}\n",
            strategy.and_then(|s| s.type_.as_deref()).unwrap_or("")
        ),
    );
    w.write(
        0,
        &format!(
            "MinReadySeconds:\t{}\n",
            d.spec.min_ready_seconds.unwrap_or(0)
        ),
    );
    if let Some(ru) = strategy.and_then(|s| s.rolling_update.as_ref()) {
        let show = |v: &Option<ordinal_engine::model::IntOrString>| {
            v.as_ref()
                .map_or_else(|| "25%".to_string(), ToString::to_string)
        };
        w.write(
            0,
            &format!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
                show(&ru.max_unavailable),
                show(&ru.max_surge)
            ),
        );
    }
    describe_pod_template(&mut w, &d.spec.template);
    let conditions = st
        .conditions
        .as_ref()
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    if !conditions.is_empty() {
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n");
        w.write(1, "----\t------\t------\n");
        for c in conditions {
            w.write(
                1,
                &format!(
                    "{} \t{}\t{}\n",
                    jstr(c, "type"),
                    jstr(c, "status"),
                    jstr(c, "reason")
                ),
            );
        }
    }
    let (old, new) = deployment_replica_sets(d, store);
    if !old.is_empty() || new.is_some() {
        let list = |sets: &[&ReplicaSet]| {
            let s = sets
                .iter()
                .map(|rs| {
                    format!(
                        "{} ({}/{} replicas created)",
                        rs.metadata.name,
                        rs.status.replicas,
                        rs.spec.replicas.unwrap_or(1)
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            if s.is_empty() {
                "<none>".to_string()
            } else {
                s
            }
        };
        w.write(0, &format!("OldReplicaSets:\t{}\n", list(&old)));
        let new: Vec<&ReplicaSet> = new.into_iter().collect();
        w.write(0, &format!("NewReplicaSet:\t{}\n", list(&new)));
    }
    describe_events(&mut w, events, now);
    w.finish()
}

fn describe_replica_set(
    rs: &ReplicaSet,
    store: &Store,
    events: Option<Vec<&Event>>,
    now: Time,
) -> String {
    let mut w = W::default();
    let meta = &rs.metadata;
    name_and_namespace(&mut w, meta);
    w.write(
        0,
        &format!(
            "Selector:\t{}\n",
            format_label_selector(rs.spec.selector.as_ref())
        ),
    );
    labels_block(&mut w, "Labels", &meta.labels);
    annotations_block(&mut w, "Annotations", &meta.annotations);
    if let Some(by) = controller_of(meta) {
        w.write(0, &format!("Controlled By:\t{by}\n"));
    }
    w.write(
        0,
        &format!(
            "Replicas:\t{} current / {} desired\n",
            rs.status.replicas,
            rs.spec.replicas.unwrap_or(1)
        ),
    );
    w.write(
        0,
        &format!(
            "Pods Status:\t{}\n",
            pod_phases(store, &meta.namespace, rs.spec.selector.as_ref(), &meta.uid)
        ),
    );
    describe_pod_template(&mut w, &rs.spec.template);
    describe_events(&mut w, events, now);
    w.finish()
}

/// `DaemonSetDescriber`.
fn describe_daemon_set(
    ds: &ordinal_engine::model::DaemonSet,
    store: &Store,
    events: Option<Vec<&Event>>,
    now: Time,
) -> String {
    let mut w = W::default();
    let meta = &ds.metadata;
    name_and_namespace(&mut w, meta);
    w.write(
        0,
        &format!(
            "Selector:\t{}\n",
            format_label_selector(ds.spec.selector.as_ref())
        ),
    );
    let node_selector = ds.spec.template.spec.node_selector_text();
    let node_selector = if node_selector.is_empty() {
        "<none>".to_string()
    } else {
        node_selector
    };
    w.write(0, &format!("Node-Selector:\t{node_selector}\n"));
    labels_block(&mut w, "Labels", &meta.labels);
    annotations_block(&mut w, "Annotations", &meta.annotations);
    let st = &ds.status;
    w.write(
        0,
        &format!(
            "Desired Number of Nodes Scheduled: {}\n",
            st.desired_number_scheduled
        ),
    );
    w.write(
        0,
        &format!(
            "Current Number of Nodes Scheduled: {}\n",
            st.current_number_scheduled
        ),
    );
    w.write(
        0,
        &format!(
            "Number of Nodes Scheduled with Up-to-date Pods: {}\n",
            st.updated_number_scheduled
        ),
    );
    w.write(
        0,
        &format!(
            "Number of Nodes Scheduled with Available Pods: {}\n",
            st.number_available
        ),
    );
    w.write(
        0,
        &format!("Number of Nodes Misscheduled: {}\n", st.number_misscheduled),
    );
    w.write(
        0,
        &format!(
            "Pods Status:\t{}\n",
            pod_phases(store, &meta.namespace, ds.spec.selector.as_ref(), &meta.uid)
        ),
    );
    describe_pod_template(&mut w, &ds.spec.template);
    describe_events(&mut w, events, now);
    w.finish()
}

// ---- storage ----

fn describe_pvc(
    pvc: &PersistentVolumeClaim,
    store: &Store,
    events: Option<Vec<&Event>>,
    now: Time,
) -> String {
    let mut w = W::default();
    let meta = &pvc.metadata;
    name_and_namespace(&mut w, meta);
    w.write(0, &format!("StorageClass:\t{}\n", pvc.class_name()));
    if meta.deletion_timestamp.is_some() {
        w.write(
            0,
            &format!(
                "Status:\tTerminating (lasts {})\n",
                age(meta.deletion_timestamp, now)
            ),
        );
    } else {
        w.write(0, &format!("Status:\t{}\n", pvc.status.phase));
    }
    let volume = pvc.spec.volume_name.as_deref().unwrap_or("");
    w.write(0, &format!("Volume:\t{volume}\n"));
    labels_block(&mut w, "Labels", &meta.labels);
    annotations_block(&mut w, "Annotations", &meta.annotations);
    w.write(0, &format!("Finalizers:\t{}\n", go_list(&meta.finalizers)));
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        (
            pvc.status
                .capacity
                .get("storage")
                .cloned()
                .unwrap_or_default(),
            access_modes(&pvc.status.access_modes),
        )
    };
    w.write(0, &format!("Capacity:\t{capacity}\n"));
    w.write(0, &format!("Access Modes:\t{modes}\n"));
    if let Some(mode) = &pvc.spec.volume_mode {
        w.write(0, &format!("VolumeMode:\t{mode}\n"));
    }
    if let Some(ds) = &pvc.spec.data_source {
        w.write(0, "DataSource:\n");
        if let Some(g) = ds.get("apiGroup") {
            w.write(1, &format!("APIGroup:\t{}\n", scalar(g)));
        }
        w.write(1, &format!("Kind:\t{}\n", jstr(ds, "kind")));
        w.write(1, &format!("Name:\t{}\n", jstr(ds, "name")));
    }
    // `getPodsForPVC`: pods in the namespace whose volumes name the claim, then pods that own it.
    let pods: Vec<&Pod> = store.list::<Pod>(Some(&meta.namespace)).collect();
    let mut users: Vec<&str> = Vec::new();
    for p in &pods {
        for name in p.claim_names() {
            if name == meta.name {
                users.push(&p.metadata.name);
            }
        }
    }
    for r in meta.owner_references.iter().filter(|r| r.kind == "Pod") {
        if let Some(p) = pods.iter().find(|p| p.metadata.uid == r.uid) {
            if !users.contains(&p.metadata.name.as_str()) {
                users.push(&p.metadata.name);
            }
        }
    }
    ordinal_api::sort::sort(&mut users);
    w.write(0, "Used By:\t");
    if users.is_empty() {
        w.write_line("<none>");
    }
    for (i, u) in users.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        w.write(0, &format!("{u}\n"));
    }
    describe_events(&mut w, events, now);
    w.finish()
}

fn describe_pv(pv: &PersistentVolume, events: Option<Vec<&Event>>, now: Time) -> String {
    let mut w = W::default();
    let meta = &pv.metadata;
    w.write(0, &format!("Name:\t{}\n", meta.name));
    labels_block(&mut w, "Labels", &meta.labels);
    annotations_block(&mut w, "Annotations", &meta.annotations);
    w.write(0, &format!("Finalizers:\t{}\n", go_list(&meta.finalizers)));
    let class = pv.class_name();
    w.write(0, &format!("StorageClass:\t{class}\n"));
    if meta.deletion_timestamp.is_some() {
        w.write(
            0,
            &format!(
                "Status:\tTerminating (lasts {})\n",
                age(meta.deletion_timestamp, now)
            ),
        );
    } else {
        w.write(0, &format!("Status:\t{}\n", pv.status.phase));
    }
    let claim = pv.claim().unwrap_or_default();
    w.write(0, &format!("Claim:\t{claim}\n"));
    w.write(
        0,
        &format!(
            "Reclaim Policy:\t{}\n",
            pv.spec
                .persistent_volume_reclaim_policy
                .as_deref()
                .unwrap_or("")
        ),
    );
    w.write(
        0,
        &format!("Access Modes:\t{}\n", access_modes(&pv.spec.access_modes)),
    );
    if let Some(mode) = &pv.spec.volume_mode {
        w.write(0, &format!("VolumeMode:\t{mode}\n"));
    }
    w.write(0, &format!("Capacity:\t{}\n", pv.capacity()));
    // `printVolumeNodeAffinity`.
    w.write(0, "Node Affinity:\t");
    match pv
        .spec
        .node_affinity
        .as_ref()
        .and_then(|a| a.get("required"))
    {
        None => w.write_line("<none>"),
        Some(required) => {
            w.write_line("");
            w.write(1, "Required Terms:\t");
            let terms = jarray(required, "nodeSelectorTerms");
            if terms.is_empty() {
                w.write_line("<none>");
            } else {
                w.write_line("");
                for (i, term) in terms.iter().enumerate() {
                    w.write(2, &format!("Term {i}:\t"));
                    let reqs = jarray(term, "matchExpressions");
                    if reqs.is_empty() {
                        w.write_line("<none>");
                    }
                    for (j, req) in reqs.iter().enumerate() {
                        if j != 0 {
                            w.write(2, "\t");
                        }
                        let mut expr = format!(
                            "{} {}",
                            jstr(req, "key"),
                            jstr(req, "operator").to_lowercase()
                        );
                        let values: Vec<String> =
                            jarray(req, "values").iter().map(scalar).collect();
                        if !values.is_empty() {
                            expr.push_str(&format!(" [{}]", values.join(", ")));
                        }
                        w.write(0, &format!("{expr}\n"));
                    }
                }
            }
        }
    }
    w.write(
        0,
        &format!("Message:\t{}\n", pv.status.message.as_deref().unwrap_or("")),
    );
    w.write(0, "Source:\n");
    if let Some(h) = &pv.spec.host_path {
        w.write(
            2,
            &format!(
                "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n",
                jstr(h, "path"),
                jstr(h, "type")
            ),
        );
    } else if let Some(n) = &pv.spec.nfs {
        w.write(
            2,
            &format!(
                "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
                jstr(n, "server"),
                jstr(n, "path"),
                jbool(n, "readOnly")
            ),
        );
    } else if let Some(l) = &pv.spec.local {
        w.write(
            2,
            &format!(
                "Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t{}\n",
                jstr(l, "path")
            ),
        );
    } else if let Some(csi) = &pv.spec.csi {
        w.write(
            2,
            &format!(
                "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t{}\n    FSType:\t{}\n    VolumeHandle:\t{}\n    ReadOnly:\t{}\n",
                jstr(csi, "driver"),
                jstr(csi, "fsType"),
                jstr(csi, "volumeHandle"),
                jbool(csi, "readOnly")
            ),
        );
        w.write(2, "VolumeAttributes:\t");
        let attrs = csi.get("volumeAttributes").and_then(Value::as_object);
        match attrs.filter(|a| !a.is_empty()) {
            None => w.write_line("<none>"),
            Some(attrs) => {
                let mut keys: Vec<&String> = attrs.keys().collect();
                ordinal_api::sort::sort(&mut keys);
                for (i, k) in keys.into_iter().enumerate() {
                    if i != 0 {
                        // kubectl indents the continuation twice, a quirk kept as it is.
                        w.write(2, "");
                        w.write(2, "\t");
                    }
                    let line = format!("{k}={}", attrs.get(k).map(scalar).unwrap_or_default());
                    w.write(2, &format!("{}\n", shorten(&line, 140)));
                }
            }
        }
    } else {
        w.write(1, "<unknown>\n");
    }
    describe_events(&mut w, events, now);
    w.finish()
}

fn describe_storage_class(sc: &StorageClass, events: Option<Vec<&Event>>, now: Time) -> String {
    let mut w = W::default();
    w.write(0, &format!("Name:\t{}\n", sc.metadata.name));
    w.write(
        0,
        &format!(
            "IsDefaultClass:\t{}\n",
            if sc.is_default() { "Yes" } else { "No" }
        ),
    );
    w.write(
        0,
        &format!(
            "Annotations:\t{}\n",
            format_labels(&sc.metadata.annotations)
        ),
    );
    w.write(0, &format!("Provisioner:\t{}\n", sc.provisioner));
    w.write(
        0,
        &format!("Parameters:\t{}\n", format_labels(&sc.parameters)),
    );
    w.write(
        0,
        &format!(
            "AllowVolumeExpansion:\t{}\n",
            match sc.allow_volume_expansion {
                Some(true) => "True",
                Some(false) => "False",
                None => "<unset>",
            }
        ),
    );
    let options: Vec<String> = sc
        .mount_options
        .as_ref()
        .and_then(Value::as_array)
        .map(|a| a.iter().map(scalar).collect())
        .unwrap_or_default();
    if options.is_empty() {
        w.write(0, "MountOptions:\t<none>\n");
    } else {
        w.write(0, "MountOptions:\n");
        for o in options {
            w.write(1, &format!("{o}\n"));
        }
    }
    if let Some(r) = &sc.reclaim_policy {
        w.write(0, &format!("ReclaimPolicy:\t{r}\n"));
    }
    if let Some(m) = &sc.volume_binding_mode {
        w.write(0, &format!("VolumeBindingMode:\t{m}\n"));
    }
    if let Some(topologies) = sc.allowed_topologies.as_ref().and_then(Value::as_array) {
        w.write(0, "AllowedTopologies:\t");
        if topologies.is_empty() {
            w.write_line("<none>");
        } else {
            w.write_line("");
            for (i, term) in topologies.iter().enumerate() {
                w.write(1, &format!("Term {i}:\t"));
                let reqs = jarray(term, "matchLabelExpressions");
                if reqs.is_empty() {
                    w.write_line("<none>");
                }
                for (j, req) in reqs.iter().enumerate() {
                    if j != 0 {
                        w.write(1, "\t");
                    }
                    let mut expr = format!("{} in", jstr(req, "key"));
                    let values: Vec<String> = jarray(req, "values").iter().map(scalar).collect();
                    if !values.is_empty() {
                        expr.push_str(&format!(" [{}]", values.join(", ")));
                    }
                    w.write(0, &format!("{expr}\n"));
                }
            }
        }
    }
    describe_events(&mut w, events, now);
    w.finish()
}

// ---- networking ----

/// `formatEndpointSlices`: ready addresses with the port named like the Service port, at most three.
fn format_endpoint_slices(slices: &[&EndpointSlice], port_name: &str) -> String {
    if slices.is_empty() {
        return "<none>".to_string();
    }
    const MAX: usize = 3;
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0;
    let mut add = |addr: String, ready: bool, list: &mut Vec<String>| {
        if list.len() == MAX {
            more = true;
        }
        if !ready {
            return;
        }
        if !more {
            list.push(addr);
        }
        count += 1;
    };
    for s in slices {
        if s.ports.is_empty() {
            for e in &s.endpoints {
                let addr = e.addresses.first().cloned().unwrap_or_default();
                add(addr, e.conditions.ready != Some(false), &mut list);
            }
        } else {
            for p in &s.ports {
                if p.name.as_deref().unwrap_or("") != port_name {
                    continue;
                }
                for e in &s.endpoints {
                    let addr = e.addresses.first().cloned().unwrap_or_default();
                    let host_port = if addr.contains(':') {
                        format!("[{addr}]:{}", p.port.unwrap_or(0))
                    } else {
                        format!("{addr}:{}", p.port.unwrap_or(0))
                    };
                    add(host_port, e.conditions.ready != Some(false), &mut list);
                }
            }
        }
    }
    let ret = list.join(",");
    if more {
        format!("{ret} + {} more...", count - MAX)
    } else {
        ret
    }
}

/// `buildIngressString`: each ingress address (or host name), an IP followed by its mode, comma-separated.
fn load_balancer_ingress(svc: &Service) -> Option<String> {
    let list = svc
        .status
        .as_ref()?
        .pointer("/loadBalancer/ingress")?
        .as_array()?;
    let parts: Vec<String> = list
        .iter()
        .map(|i| {
            match (
                i.get("ip").and_then(Value::as_str),
                i.get("ipMode").and_then(Value::as_str),
            ) {
                (Some(ip), Some(mode)) => format!("{ip} ({mode})"),
                (Some(ip), None) => ip.to_string(),
                _ => i
                    .get("hostname")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            }
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn describe_service(
    svc: &Service,
    store: &Store,
    events: Option<Vec<&Event>>,
    now: Time,
) -> String {
    let mut w = W::default();
    let meta = &svc.metadata;
    let spec = &svc.spec;
    name_and_namespace(&mut w, meta);
    labels_block(&mut w, "Labels", &meta.labels);
    annotations_block(&mut w, "Annotations", &meta.annotations);
    w.write(
        0,
        &format!("Selector:\t{}\n", format_labels(&spec.selector)),
    );
    w.write(
        0,
        &format!("Type:\t{}\n", spec.type_.as_deref().unwrap_or("")),
    );
    // The API server fills in the IP family fields of every non-ExternalName Service; a headless Service
    // without a selector asks for both families.
    let external_name = svc.type_() == "ExternalName";
    let family_policy = spec.ip_family_policy.clone().or_else(|| {
        (!external_name).then(|| {
            if svc.is_headless() && spec.selector.is_empty() {
                "RequireDualStack".to_string()
            } else {
                "SingleStack".to_string()
            }
        })
    });
    if let Some(policy) = family_policy {
        w.write(0, &format!("IP Family Policy:\t{policy}\n"));
    }
    let families: Vec<String> = match spec.ip_families.as_ref().and_then(Value::as_array) {
        Some(list) => list.iter().map(scalar).collect(),
        None if !external_name => vec!["IPv4".to_string()],
        None => Vec::new(),
    };
    w.write(
        0,
        &format!(
            "IP Families:\t{}\n",
            if families.is_empty() {
                "<none>".to_string()
            } else {
                families.join(",")
            }
        ),
    );
    w.write(
        0,
        &format!("IP:\t{}\n", spec.cluster_ip.as_deref().unwrap_or("")),
    );
    w.write(
        0,
        &format!(
            "IPs:\t{}\n",
            if spec.cluster_ips.is_empty() {
                "<none>".to_string()
            } else {
                spec.cluster_ips.join(",")
            }
        ),
    );
    let external_ips: Vec<String> = spec
        .external_ips
        .as_ref()
        .and_then(Value::as_array)
        .map(|a| a.iter().map(scalar).collect())
        .unwrap_or_default();
    if !external_ips.is_empty() {
        w.write(0, &format!("External IPs:\t{}\n", external_ips.join(",")));
    }
    if let Some(ip) = spec.load_balancer_ip.as_deref().filter(|s| !s.is_empty()) {
        w.write(0, &format!("Desired LoadBalancer IP:\t{ip}\n"));
    }
    if let Some(n) = spec.external_name.as_deref().filter(|s| !s.is_empty()) {
        w.write(0, &format!("External Name:\t{n}\n"));
    }
    if let Some(ingress) = load_balancer_ingress(svc) {
        w.write(0, &format!("LoadBalancer Ingress:\t{ingress}\n"));
    }
    let slices: Vec<&EndpointSlice> = store
        .list::<EndpointSlice>(Some(&meta.namespace))
        .filter(|s| s.metadata.labels.get("kubernetes.io/service-name") == Some(&meta.name))
        .collect();
    for p in &spec.ports {
        let raw_name = p.name.as_deref().unwrap_or("");
        let name = if raw_name.is_empty() {
            "<unset>"
        } else {
            raw_name
        };
        let proto = p.protocol.as_deref().unwrap_or("TCP");
        w.write(0, &format!("Port:\t{name}\t{}/{proto}\n", p.port));
        match &p.target_port {
            Some(t) => w.write(0, &format!("TargetPort:\t{t}/{proto}\n")),
            None => w.write(0, &format!("TargetPort:\t{}/{proto}\n", p.port)),
        }
        if let Some(ap) = &p.app_protocol {
            w.write(0, &format!("AppProtocol:\t{ap}\n"));
        }
        if let Some(np) = p.node_port.filter(|n| *n != 0) {
            w.write(0, &format!("NodePort:\t{name}\t{np}/{proto}\n"));
        }
        w.write(
            0,
            &format!(
                "Endpoints:\t{}\n",
                format_endpoint_slices(&slices, raw_name)
            ),
        );
    }
    let affinity = spec
        .session_affinity
        .clone()
        .or_else(|| (!external_name).then(|| "None".to_string()))
        .unwrap_or_default();
    w.write(0, &format!("Session Affinity:\t{affinity}\n"));
    if let Some(p) = spec
        .external_traffic_policy
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        w.write(0, &format!("External Traffic Policy:\t{p}\n"));
    }
    let internal = spec
        .internal_traffic_policy
        .clone()
        .or_else(|| (!external_name).then(|| "Cluster".to_string()));
    if let Some(p) = internal {
        w.write(0, &format!("Internal Traffic Policy:\t{p}\n"));
    }
    if let Some(n) = spec.health_check_node_port.filter(|n| *n != 0) {
        w.write(0, &format!("HealthCheck NodePort:\t{n}\n"));
    }
    if !spec.load_balancer_source_ranges.is_empty() {
        w.write(
            0,
            &format!(
                "LoadBalancer Source Ranges:\t{}\n",
                spec.load_balancer_source_ranges.join(",")
            ),
        );
    }
    if let Some(t) = &spec.traffic_distribution {
        w.write(0, &format!("Traffic Distribution:\t{t}\n"));
    }
    describe_events(&mut w, events, now);
    w.finish()
}

fn describe_endpoints(ep: &Endpoints, events: Option<Vec<&Event>>, now: Time) -> String {
    let mut w = W::default();
    name_and_namespace(&mut w, &ep.metadata);
    labels_block(&mut w, "Labels", &ep.metadata.labels);
    annotations_block(&mut w, "Annotations", &ep.metadata.annotations);
    w.write(0, "Subsets:\n");
    for s in &ep.subsets {
        let join = |addrs: &[ordinal_engine::model::discovery::EndpointAddress]| {
            let s = addrs
                .iter()
                .map(|a| a.ip.as_str())
                .collect::<Vec<_>>()
                .join(",");
            if s.is_empty() {
                "<none>".to_string()
            } else {
                s
            }
        };
        w.write(1, &format!("Addresses:\t{}\n", join(&s.addresses)));
        w.write(
            1,
            &format!("NotReadyAddresses:\t{}\n", join(&s.not_ready_addresses)),
        );
        if !s.ports.is_empty() {
            w.write(1, "Ports:\n");
            w.write(2, "Name\tPort\tProtocol\n");
            w.write(2, "----\t----\t--------\n");
            for p in &s.ports {
                let name = p
                    .name
                    .as_deref()
                    .filter(|n| !n.is_empty())
                    .unwrap_or("<unset>");
                w.write(
                    2,
                    &format!(
                        "{name}\t{}\t{}\n",
                        p.port.unwrap_or(0),
                        p.protocol.as_deref().unwrap_or("")
                    ),
                );
            }
        }
        w.write(0, "\n");
    }
    describe_events(&mut w, events, now);
    w.finish()
}

fn describe_endpoint_slice(s: &EndpointSlice, events: Option<Vec<&Event>>, now: Time) -> String {
    let mut w = W::default();
    name_and_namespace(&mut w, &s.metadata);
    labels_block(&mut w, "Labels", &s.metadata.labels);
    annotations_block(&mut w, "Annotations", &s.metadata.annotations);
    w.write(0, &format!("AddressType:\t{}\n", s.address_type));
    if s.ports.is_empty() {
        w.write(0, "Ports: <unset>\n");
    } else {
        w.write(0, "Ports:\n");
        w.write(1, "Name\tPort\tProtocol\n");
        w.write(1, "----\t----\t--------\n");
        for p in &s.ports {
            let name = p
                .name
                .as_deref()
                .filter(|n| !n.is_empty())
                .unwrap_or("<unset>");
            let port = p
                .port
                .map_or_else(|| "<unset>".to_string(), |n| n.to_string());
            w.write(
                1,
                &format!("{name}\t{port}\t{}\n", p.protocol.as_deref().unwrap_or("")),
            );
        }
    }
    if s.endpoints.is_empty() {
        w.write(0, "Endpoints: <none>\n");
    } else {
        w.write(0, "Endpoints:\n");
        for e in &s.endpoints {
            let addrs = e.addresses.join(", ");
            w.write(1, &format!("- Addresses:\t{}\n", or_none(&addrs)));
            w.write(2, "Conditions:\n");
            let ready = e
                .conditions
                .ready
                .map_or_else(|| "<unset>".to_string(), |r| r.to_string());
            w.write(3, &format!("Ready:\t{ready}\n"));
            w.write(
                2,
                &format!(
                    "Hostname:\t{}\n",
                    e.hostname.as_deref().unwrap_or("<unset>")
                ),
            );
            if let Some(t) = &e.target_ref {
                w.write(
                    2,
                    &format!(
                        "TargetRef:\t{}/{}\n",
                        t.kind.as_deref().unwrap_or(""),
                        t.name
                    ),
                );
            }
            w.write(
                2,
                &format!(
                    "NodeName:\t{}\n",
                    e.node_name.as_deref().unwrap_or("<unset>")
                ),
            );
            w.write(2, "Zone:\t<unset>\n");
        }
    }
    describe_events(&mut w, events, now);
    w.finish()
}

// ---- cluster ----

/// `findNodeRoles`: `node-role.kubernetes.io/<role>` labels and `kubernetes.io/role`.
fn node_roles(node: &Node) -> String {
    let mut roles: Vec<String> = Vec::new();
    for (k, v) in &node.metadata.labels {
        if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
            if !role.is_empty() {
                roles.push(role.to_string());
            }
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.push(v.clone());
        }
    }
    ordinal_api::sort::sort(&mut roles);
    roles.dedup();
    if roles.is_empty() {
        "<none>".to_string()
    } else {
        roles.join(",")
    }
}

fn taint_string(t: &Taint) -> String {
    match t.value.as_deref().filter(|v| !v.is_empty()) {
        Some(v) => format!("{}={v}:{}", t.key, t.effect),
        None => format!("{}:{}", t.key, t.effect),
    }
}

/// A pod's cpu (millicores) and memory (bytes) requests and limits, `resourcehelper.PodRequests` style: the
/// containers' sum or the largest init container, whichever is more. A missing request takes the limit.
#[derive(Debug, Default, Clone, Copy)]
struct PodResources {
    cpu_req: u128,
    cpu_lim: u128,
    mem_req: u128,
    mem_lim: u128,
    binary: bool,
}

fn pod_resources(pod: &Pod) -> PodResources {
    let one = |c: &Container, binary: &mut bool| {
        let r = c.resources.as_ref();
        let mut get = |section: &str, name: &str| -> Option<u128> {
            let q = r?.get(section)?.get(name).map(scalar)?;
            if name == "memory" && q.contains('i') {
                *binary = true;
            }
            quantity_value(name, &q)
        };
        let cpu_lim = get("limits", "cpu");
        let mem_lim = get("limits", "memory");
        [
            get("requests", "cpu").or(cpu_lim).unwrap_or(0),
            cpu_lim.unwrap_or(0),
            get("requests", "memory").or(mem_lim).unwrap_or(0),
            mem_lim.unwrap_or(0),
        ]
    };
    let mut binary = false;
    let mut sum = [0u128; 4];
    for c in &pod.spec.containers {
        for (s, v) in sum.iter_mut().zip(one(c, &mut binary)) {
            *s += v;
        }
    }
    for c in &pod.spec.init_containers {
        for (s, v) in sum.iter_mut().zip(one(c, &mut binary)) {
            *s = (*s).max(v);
        }
    }
    PodResources {
        cpu_req: sum[0],
        cpu_lim: sum[1],
        mem_req: sum[2],
        mem_lim: sum[3],
        binary,
    }
}

fn format_cpu(millis: u128) -> String {
    if millis.is_multiple_of(1000) {
        (millis / 1000).to_string()
    } else {
        format!("{millis}m")
    }
}

fn format_memory(bytes: u128, binary: bool) -> String {
    if bytes == 0 {
        return "0".to_string();
    }
    let (base, suffixes): (u128, [&str; 6]) = if binary {
        (1024, ["Ki", "Mi", "Gi", "Ti", "Pi", "Ei"])
    } else {
        (1000, ["k", "M", "G", "T", "P", "E"])
    };
    let mut best = bytes.to_string();
    let mut unit = base;
    for s in suffixes {
        if bytes.is_multiple_of(unit) {
            best = format!("{}{s}", bytes / unit);
        } else {
            break;
        }
        unit *= base;
    }
    best
}

fn describe_node(node: &Node, store: &Store, events: Option<Vec<&Event>>, now: Time) -> String {
    let mut w = W::default();
    let meta = &node.metadata;
    w.write(0, &format!("Name:\t{}\n", meta.name));
    w.write(0, &format!("Roles:\t{}\n", node_roles(node)));
    labels_block(&mut w, "Labels", &meta.labels);
    annotations_block(&mut w, "Annotations", &meta.annotations);
    w.write(
        0,
        &format!(
            "CreationTimestamp:\t{}\n",
            rfc1123z(meta.creation_timestamp)
        ),
    );
    w.write(0, "Taints:\t");
    if node.spec.taints.is_empty() {
        w.write_line("<none>");
    }
    let mut taints: Vec<&Taint> = node.spec.taints.iter().collect();
    ordinal_api::sort::by_key(&mut taints, |t| format!("{},{}", t.effect, t.key));
    for (i, t) in taints.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        w.write(0, &format!("{}\n", taint_string(t)));
    }
    w.write(0, &format!("Unschedulable:\t{}\n", node.is_unschedulable()));
    if !node.status.conditions.is_empty() {
        w.write(
            0,
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
        );
        w.write(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------\n",
        );
        for c in &node.status.conditions {
            // The playground's nodes record no heartbeat or message, so those cells show Go's zero values.
            w.write(
                1,
                &format!(
                    "{} \t{} \t{} \t{} \t{} \t\n",
                    c.type_,
                    c.status,
                    rfc1123z(None),
                    rfc1123z(c.last_transition_time),
                    c.reason.as_deref().unwrap_or("")
                ),
            );
        }
    }
    w.write(0, "Addresses:\n");
    for a in &node.status.addresses {
        w.write(1, &format!("{}:\t{}\n", a.type_, a.address));
    }
    let info = node.status.node_info.clone().unwrap_or(Value::Null);
    w.write(0, "System Info:\n");
    for (title, key) in [
        ("Machine ID", "machineID"),
        ("System UUID", "systemUUID"),
        ("Boot ID", "bootID"),
        ("Kernel Version", "kernelVersion"),
        ("OS Image", "osImage"),
        ("Operating System", "operatingSystem"),
        ("Architecture", "architecture"),
        ("Container Runtime Version", "containerRuntimeVersion"),
        ("Kubelet Version", "kubeletVersion"),
    ] {
        w.write(0, &format!("  {title}:\t{}\n", jstr(&info, key)));
    }
    if let Some(cidr) = node.spec.pod_cidr.as_deref().filter(|s| !s.is_empty()) {
        w.write(0, &format!("PodCIDR:\t{cidr}\n"));
        // `spec.podCIDRs[0]` always equals `spec.podCIDR`.
        w.write(0, &format!("PodCIDRs:\t{cidr}\n"));
    }
    if let Some(id) = node.spec.provider_id.as_deref().filter(|s| !s.is_empty()) {
        w.write(0, &format!("ProviderID:\t{id}\n"));
    }
    // `describeNodeResource`. The playground's nodes publish no capacity, so every share is 0%, as kubectl
    // prints it when allocatable is zero.
    let pods: Vec<&Pod> = store
        .list::<Pod>(None)
        .filter(|p| p.spec.node_name.as_deref() == Some(meta.name.as_str()) && !p.is_terminal())
        .collect();
    w.write(
        0,
        &format!("Non-terminated Pods:\t({} in total)\n", pods.len()),
    );
    w.write(
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    );
    w.write(
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    );
    let mut total = PodResources::default();
    for p in &pods {
        let r = pod_resources(p);
        total.cpu_req += r.cpu_req;
        total.cpu_lim += r.cpu_lim;
        total.mem_req += r.mem_req;
        total.mem_lim += r.mem_lim;
        total.binary |= r.binary;
        w.write(
            1,
            &format!(
                "{}\t{}\t\t{} (0%)\t{} (0%)\t{} (0%)\t{} (0%)\t{}\n",
                p.metadata.namespace,
                p.metadata.name,
                format_cpu(r.cpu_req),
                format_cpu(r.cpu_lim),
                format_memory(r.mem_req, r.binary),
                format_memory(r.mem_lim, r.binary),
                age(p.metadata.creation_timestamp, now)
            ),
        );
    }
    w.write(
        0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    );
    w.write(1, "Resource\tRequests\tLimits\n");
    w.write(1, "--------\t--------\t------\n");
    w.write(
        1,
        &format!(
            "cpu\t{} (0%)\t{} (0%)\n",
            format_cpu(total.cpu_req),
            format_cpu(total.cpu_lim)
        ),
    );
    w.write(
        1,
        &format!(
            "memory\t{} (0%)\t{} (0%)\n",
            format_memory(total.mem_req, total.binary),
            format_memory(total.mem_lim, total.binary)
        ),
    );
    w.write(1, "ephemeral-storage\t0 (0%)\t0 (0%)\n");
    describe_events(&mut w, events, now);
    w.finish()
}

fn describe_namespace(ns: &Namespace) -> String {
    let mut w = W::default();
    w.write(0, &format!("Name:\t{}\n", ns.metadata.name));
    labels_block(&mut w, "Labels", &ns.metadata.labels);
    annotations_block(&mut w, "Annotations", &ns.metadata.annotations);
    // The API server sets the phase on create: Active, then Terminating once deleted.
    let phase = ns
        .status
        .as_ref()
        .map(|s| jstr(s, "phase"))
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| {
            if ns.metadata.deletion_timestamp.is_some() {
                "Terminating".to_string()
            } else {
                "Active".to_string()
            }
        });
    w.write(0, &format!("Status:\t{phase}\n"));
    w.write(0, "\n");
    w.write(0, "No resource quota.\n");
    w.write(0, "\n");
    w.write(0, "No LimitRange resource.\n");
    w.finish()
}

fn describe_config_map(cm: &ConfigMap, events: Option<Vec<&Event>>, now: Time) -> String {
    let mut w = W::default();
    name_and_namespace(&mut w, &cm.metadata);
    labels_block(&mut w, "Labels", &cm.metadata.labels);
    annotations_block(&mut w, "Annotations", &cm.metadata.annotations);
    w.write(0, "\nData\n====\n");
    for (k, v) in &cm.data {
        w.write(0, &format!("{k}:\n----\n"));
        w.write(0, &format!("{v}\n"));
        w.write(0, "\n");
    }
    w.write(0, "\nBinaryData\n====\n");
    if let Some(bin) = cm.binary_data.as_ref().and_then(Value::as_object) {
        let mut keys: Vec<&String> = bin.keys().collect();
        ordinal_api::sort::sort(&mut keys);
        for k in keys {
            let len = bin.get(k).map_or(0, |v| base64_len(&scalar(v)));
            w.write(0, &format!("{k}: {len} bytes\n"));
        }
    }
    w.write(0, "\n");
    describe_events(&mut w, events, now);
    w.finish()
}

/// The decoded length of standard base64 text.
fn base64_len(s: &str) -> usize {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let pad = s.chars().rev().take_while(|c| *c == '=').count();
    (s.len() / 4 * 3
        + match s.len() % 4 {
            2 => 1,
            3 => 2,
            _ => 0,
        })
    .saturating_sub(pad)
}

fn describe_secret(s: &Secret) -> String {
    let mut w = W::default();
    name_and_namespace(&mut w, &s.metadata);
    labels_block(&mut w, "Labels", &s.metadata.labels);
    annotations_block(&mut w, "Annotations", &s.metadata.annotations);
    // The API server defaults the type to Opaque.
    w.write(
        0,
        &format!("\nType:\t{}\n", s.type_.as_deref().unwrap_or("Opaque")),
    );
    w.write(0, "\nData\n====\n");
    // `stringData` is merged into `data` on write; both count.
    let mut sizes: BTreeMap<&str, usize> = BTreeMap::new();
    sizes.extend(s.data.iter().map(|(k, v)| (k.as_str(), base64_len(v))));
    sizes.extend(s.string_data.iter().map(|(k, v)| (k.as_str(), v.len())));
    for (k, len) in sizes {
        w.write(0, &format!("{k}:\t{len} bytes\n"));
    }
    w.finish()
}

/// `describeServiceAccount`: the account's pull secrets, mountable secrets and legacy token secrets.
fn describe_service_account(
    sa: &ordinal_engine::model::ServiceAccount,
    events: Option<Vec<&Event>>,
    now: Time,
) -> String {
    let mut w = W::default();
    name_and_namespace(&mut w, &sa.metadata);
    labels_block(&mut w, "Labels", &sa.metadata.labels);
    annotations_block(&mut w, "Annotations", &sa.metadata.annotations);
    let names = |list: &[Value]| -> Vec<String> {
        list.iter()
            .filter_map(|r| r.get("name").and_then(Value::as_str))
            .map(str::to_string)
            .collect()
    };
    for (label, list) in [
        ("Image pull secrets", names(&sa.image_pull_secrets)),
        ("Mountable secrets", names(&sa.secrets)),
        ("Tokens", Vec::new()),
    ] {
        if list.is_empty() {
            w.write(0, &format!("{label}:\t<none>\n"));
        }
        for (i, name) in list.iter().enumerate() {
            let head = if i == 0 {
                format!("{label}:")
            } else {
                String::new()
            };
            w.write(0, &format!("{head}\t{name}\n"));
        }
    }
    describe_events(&mut w, events, now);
    w.finish()
}

// ---- everything else ----

/// The generic describer: name, namespace, labels, annotations, then every other field of the object with
/// `smartLabelFor` titles.
fn describe_generic(obj: &Object, events: Option<Vec<&Event>>, now: Time) -> String {
    let mut w = W::default();
    let meta = obj.meta();
    name_and_namespace(&mut w, meta);
    labels_block(&mut w, "Labels", &meta.labels);
    annotations_block(&mut w, "Annotations", &meta.annotations);
    if let Value::Object(map) = obj.to_json() {
        unstructured(
            &mut w,
            0,
            &map,
            "",
            &[
                ".metadata.managedFields",
                ".metadata.name",
                ".metadata.namespace",
                ".metadata.labels",
                ".metadata.annotations",
            ],
        );
    }
    describe_events(&mut w, events, now);
    w.finish()
}

/// `printUnstructuredContent`.
fn unstructured(
    w: &mut W,
    level: usize,
    content: &serde_json::Map<String, Value>,
    skip_prefix: &str,
    skip: &[&str],
) {
    let mut fields: Vec<&String> = content.keys().collect();
    ordinal_api::sort::sort(&mut fields);
    for field in fields {
        let skip_expr = format!("{skip_prefix}.{field}");
        if skip.contains(&skip_expr.as_str()) {
            continue;
        }
        let Some(value) = content.get(field) else {
            continue;
        };
        match value {
            Value::Object(m) => {
                w.write(level, &format!("{}:\n", smart_label(field)));
                unstructured(w, level + 1, m, &skip_expr, skip);
            }
            Value::Array(items) => {
                w.write(level, &format!("{}:\n", smart_label(field)));
                for item in items {
                    match item {
                        Value::Object(m) => unstructured(w, level + 1, m, &skip_expr, skip),
                        other => w.write(level + 1, &format!("{}\n", scalar(other))),
                    }
                }
            }
            other => w.write(
                level,
                &format!("{}:\t{}\n", smart_label(field), scalar(other)),
            ),
        }
    }
}

/// `smartLabelFor`: `apiVersion` → `API Version`, `creationTimestamp` → `Creation Timestamp`.
fn smart_label(field: &str) -> String {
    if field.chars().any(|c| !c.is_alphabetic() && c != '-') {
        return field.to_string();
    }
    // `camelcase.Split`: runs of one character class; an upper run's last letter starts the next word.
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Lower,
        Upper,
        Other,
    }
    let class = |c: char| {
        if c.is_lowercase() {
            Class::Lower
        } else if c.is_uppercase() {
            Class::Upper
        } else {
            Class::Other
        }
    };
    let mut runs: Vec<(Class, Vec<char>)> = Vec::new();
    for c in field.chars() {
        let k = class(c);
        match runs.last_mut() {
            Some((last, chars)) if *last == k => chars.push(c),
            _ => runs.push((k, vec![c])),
        }
    }
    for i in 0..runs.len().saturating_sub(1) {
        if runs[i].0 == Class::Upper && runs[i + 1].0 == Class::Lower {
            if let Some(c) = runs[i].1.pop() {
                runs[i + 1].1.insert(0, c);
            }
        }
    }
    let parts: Vec<String> = runs
        .into_iter()
        .map(|(_, chars)| chars.into_iter().collect::<String>())
        .filter(|s| !s.is_empty())
        .collect();
    let mut merged: Vec<String> = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        let part = &parts[i];
        if let Some(next) = parts.get(i + 1) {
            let all_upper = part.chars().all(|c| !c.is_alphabetic() || c.is_uppercase());
            if part.chars().count() >= 2
                && all_upper
                && next.chars().next().is_some_and(char::is_uppercase)
            {
                merged.push(format!("{part}{next}"));
                i += 2;
                continue;
            }
        }
        merged.push(part.clone());
        i += 1;
    }
    merged
        .into_iter()
        .filter(|p| p != "_")
        .map(|p| {
            if ["API", "URL", "UID", "GUID"].contains(&p.to_uppercase().as_str()) {
                p.to_uppercase()
            } else if p.to_lowercase() == p {
                let mut cs = p.chars();
                cs.next().map_or_else(String::new, |f| {
                    f.to_uppercase().chain(cs).collect::<String>()
                })
            } else {
                p
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ordinal_engine::api::DeleteOptions;
    use ordinal_engine::model::{ControllerRevision, Kind};
    use ordinal_engine::ClusterConfig;

    fn argv(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    fn web() -> (Cluster, Context) {
        let mut ctx = Context::default();
        ctx.files.insert(
            "web.yaml".into(),
            include_str!("../../term/tests/fixtures/web.yaml").into(),
        );
        let mut c = Cluster::new(ClusterConfig::default());
        let out = crate::run(&mut c, &ctx, &argv("apply -f web.yaml"), None);
        assert_eq!(out.status, 0, "{}", out.stderr());
        c.run_until_idle();
        (c, ctx)
    }

    fn describe_ok(c: &mut Cluster, ctx: &Context, args: &str) -> String {
        let out = crate::run(c, ctx, &argv(&format!("describe {args}")), None);
        assert_eq!(out.stderr(), "", "describe {args}");
        assert_eq!(out.status, 0);
        out.stdout()
    }

    /// The lines from the one starting with `first` up to (not including) the next line starting with
    /// `until`.
    fn section<'a>(text: &'a str, first: &str, until: &str) -> Vec<&'a str> {
        text.lines()
            .skip_while(|l| !l.starts_with(first))
            .enumerate()
            .take_while(|(i, l)| *i == 0 || !l.starts_with(until))
            .map(|(_, l)| l)
            .collect()
    }

    #[test]
    fn tabwriter_aligns_runs_of_lines_that_share_a_column() {
        assert_eq!(
            tabwrite("Name:\tweb-0\nService Account:\tdefault\nContainers:\n  IP:\tx\nControlled By:\ty\n"),
            "Name:             web-0\nService Account:  default\nContainers:\n  IP:           x\nControlled By:  y\n"
        );
        // A cell in a deeper column only aligns with lines that have that column too.
        assert_eq!(
            tabwrite("Port:\tweb\t80/TCP\nTargetPort:\t80/TCP\n"),
            "Port:        web  80/TCP\nTargetPort:  80/TCP\n"
        );
        // Empty cells are padded like any other.
        assert_eq!(tabwrite("a\t\tb\nccc\tdd\te\n"), "a        b\nccc  dd  e\n");
    }

    #[test]
    fn smart_labels_match_kubectl() {
        assert_eq!(smart_label("apiVersion"), "API Version");
        assert_eq!(smart_label("creationTimestamp"), "Creation Timestamp");
        assert_eq!(smart_label("uid"), "UID");
        assert_eq!(smart_label("ownerReferences"), "Owner References");
        assert_eq!(smart_label("blockOwnerDeletion"), "Block Owner Deletion");
        assert_eq!(smart_label("podIP"), "Pod IP");
        assert_eq!(smart_label("x509"), "x509");
    }

    #[test]
    fn pod_header_volumes_and_tolerations_read_like_kubectl() {
        let (mut c, ctx) = web();
        let out = describe_ok(&mut c, &ctx, "pod web-0");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "Name:             web-0");
        assert_eq!(lines[1], "Namespace:        default");
        assert_eq!(lines[2], "Priority:         0");
        assert_eq!(lines[3], "Service Account:  default");
        assert!(
            lines[4].starts_with("Node:             kind-worker"),
            "{}",
            lines[4]
        );
        assert!(lines[4].contains("/172.18.0."), "{}", lines[4]);
        assert!(
            lines[5].starts_with("Start Time:       Mon, 05 Jan 2026 09:00:"),
            "{}",
            lines[5]
        );
        assert!(lines[5].ends_with(" +0000"), "{}", lines[5]);
        assert_eq!(lines[6], "Labels:           app=nginx");
        assert_eq!(lines[7], "                  apps.kubernetes.io/pod-index=0");
        assert!(lines.contains(&"                  statefulset.kubernetes.io/pod-name=web-0"));
        assert!(lines.contains(&"Annotations:      <none>"));
        assert!(lines.contains(&"Status:           Running"));
        assert!(out.contains("\nIPs:\n  IP:           10.244."), "{out}");
        assert!(lines.contains(&"Controlled By:  StatefulSet/web"), "{out}");
        // The ServiceAccount admission plugin stored the token volume in the pod; describe prints it.
        let token = c
            .store()
            .get_typed::<Pod>("default", "web-0")
            .and_then(|p| p.spec.volumes.last())
            .map(|v| v.name.clone())
            .unwrap();
        assert!(
            token.starts_with("kube-api-access-") && token.len() == 21,
            "{token}"
        );
        let containers = section(&out, "Containers:", "Conditions:");
        assert_eq!(containers[1], "  nginx:");
        // containerd's ids: 64 hex digits after the runtime's scheme; the image by repository and digest.
        let id = containers[2]
            .strip_prefix("    Container ID:   containerd://")
            .unwrap_or("");
        assert!(
            id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit()),
            "{}",
            containers[2]
        );
        assert_eq!(
            containers[3],
            "    Image:          registry.k8s.io/nginx-slim:0.24"
        );
        assert!(
            containers[4].starts_with("    Image ID:       registry.k8s.io/nginx-slim@sha256:"),
            "{}",
            containers[4]
        );
        assert_eq!(containers[5], "    Port:           80/TCP (web)");
        assert_eq!(containers[6], "    Host Port:      0/TCP (web)");
        assert_eq!(containers[7], "    State:          Running");
        assert!(containers[8].starts_with("      Started:      Mon, 05 Jan 2026 09:00:"));
        assert_eq!(containers[9], "    Ready:          True");
        assert_eq!(containers[10], "    Restart Count:  0");
        assert_eq!(containers[11], "    Environment:    <none>");
        assert_eq!(containers[12], "    Mounts:");
        assert_eq!(containers[13], "      /usr/share/nginx/html from www (rw)");
        assert_eq!(
            containers[14],
            format!("      /var/run/secrets/kubernetes.io/serviceaccount from {token} (ro)")
        );
        assert_eq!(
            section(&out, "Conditions:", "Volumes:"),
            [
                "Conditions:",
                "  Type                        Status",
                "  PodReadyToStartContainers   True ",
                "  Initialized                 True ",
                "  Ready                       True ",
                "  ContainersReady             True ",
                "  PodScheduled                True ",
            ]
        );
        let pad = " ".repeat(token.len() - "kube-api-access-xxxxx".len());
        let expected = format!(
            "Volumes:
  www:
    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)
    ClaimName:  www-web-0
    ReadOnly:   false
  {token}:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    Optional:                false
    DownwardAPI:             true
QoS Class:                   BestEffort
Node-Selectors:              <none>
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:{pad}"
        );
        assert_eq!(section(&out, "Volumes:", "  Type ").join("\n"), expected);
    }

    #[test]
    fn pod_events_table_has_kubelet_and_scheduler_rows() {
        let (mut c, ctx) = web();
        c.advance(60_000);
        let out = describe_ok(&mut c, &ctx, "pod web-0");
        let uid = c
            .store()
            .get_typed::<Pod>("default", "web-0")
            .unwrap()
            .metadata
            .uid
            .clone();
        let scheduled = c.events_for(&uid)[0].first_timestamp;
        let events = section(&out, "Events:", "~");
        assert_eq!(
            events[..3],
            [
                "Events:",
                "  Type    Reason     Age   From               Message",
                "  ----    ------     ----  ----               -------",
            ],
            "{out}"
        );
        // Ages come from the virtual clock.
        assert_eq!(
            events[3],
            format!(
                "  Normal  Scheduled  {}   default-scheduler  Successfully assigned default/web-0 to kind-worker",
                age(scheduled, c.now())
            )
        );
        let rows: Vec<Vec<&str>> = events[3..]
            .iter()
            .map(|l| l.split_whitespace().collect())
            .collect();
        let reasons: Vec<&str> = rows.iter().map(|r| r[1]).collect();
        assert_eq!(
            reasons,
            ["Scheduled", "Pulling", "Pulled", "Created", "Started"],
            "{out}"
        );
        assert!(rows[1..].iter().all(|r| r[3] == "kubelet"), "{out}");
        assert_eq!(rows[4][4..].join(" "), "Started container nginx");
    }

    #[test]
    fn repeated_events_show_count_and_span() {
        let mut w = W::default();
        let e = Event {
            type_: "Warning".into(),
            reason: "BackOff".into(),
            message: "Back-off restarting failed container nginx in pod web-0_default(1)".into(),
            source: ordinal_engine::model::cluster::EventSource {
                component: "kubelet".into(),
                host: Some("kind-worker".into()),
            },
            first_timestamp: Some(Time::from_secs(0)),
            last_timestamp: Some(Time::from_secs(331)),
            count: 24,
            ..Default::default()
        };
        describe_events(&mut w, Some(vec![&e]), Time::from_secs(334));
        assert_eq!(
            w.finish(),
            "Events:\n  Type     Reason   Age                  From     Message\n  ----     ------   ----                 ----     -------\n  Warning  BackOff  3s (x24 over 5m34s)  kubelet  Back-off restarting failed container nginx in pod web-0_default(1)\n"
        );
        let mut w = W::default();
        w.write(0, "Used By:\tweb-0\n");
        describe_events(&mut w, Some(Vec::new()), Time::ZERO);
        assert_eq!(w.finish(), "Used By:  web-0\nEvents:   <none>\n");
    }

    #[test]
    fn statefulset_report() {
        let (mut c, ctx) = web();
        let out = describe_ok(&mut c, &ctx, "sts web");
        let head = "Name:                   web
Namespace:              default
CreationTimestamp:      Mon, 05 Jan 2026 09:00:00 +0000
Selector:               app=nginx
Labels:                 <none>
Annotations:            <none>
Service Name:           nginx
Pod Management Policy:  OrderedReady
Replicas:               2 desired | 2 total
Update Strategy:        RollingUpdate
  Partition:            0
  MaxUnavailable:       1
Persistent Volume Claim Retention Policy:
  WhenDeleted:  Retain
  WhenScaled:   Retain
Pods Status:    2 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=nginx
  Containers:
   nginx:
    Image:        registry.k8s.io/nginx-slim:0.24
    Port:         80/TCP (web)
    Host Port:    0/TCP (web)
    Environment:  <none>
    Mounts:
      /usr/share/nginx/html from www (rw)
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Volume Claims:
  Name:          www
  StorageClass:  \n  Labels:        <none>
  Annotations:   <none>
  Capacity:      1Gi
  Access Modes:  [ReadWriteOnce]
Events:
  Type    Reason            Age   From                    Message
  ----    ------            ----  ----                    -------
";
        assert!(out.starts_with(head), "{out}");
        let rows: Vec<&str> = out[head.len()..].lines().collect();
        assert_eq!(rows.len(), 4, "{out}");
        assert!(rows[0].starts_with("  Normal  SuccessfulCreate  "));
        assert!(rows[0].ends_with("   statefulset-controller  create Claim www-web-0 Pod web-0 in StatefulSet web success"), "{out}");
        assert!(
            rows[1].ends_with(
                "   statefulset-controller  create Pod web-0 in StatefulSet web successful"
            ),
            "{out}"
        );
        assert!(
            rows[3].ends_with(
                "   statefulset-controller  create Pod web-1 in StatefulSet web successful"
            ),
            "{out}"
        );

        // A pod the scale-up just created is Pending: it counts as Waiting.
        crate::run(&mut c, &ctx, &argv("scale sts web --replicas=3"), None);
        let out = describe_ok(&mut c, &ctx, "sts web");
        assert!(
            out.contains("\nReplicas:               3 desired | 3 total\n"),
            "{out}"
        );
        assert!(
            out.contains("\nPods Status:    2 Running / 1 Waiting / 0 Succeeded / 0 Failed\n"),
            "{out}"
        );
    }

    #[test]
    fn pvc_report_names_the_pod_that_uses_it() {
        let (mut c, ctx) = web();
        let out = describe_ok(&mut c, &ctx, "pvc www-web-0");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "Name:          www-web-0");
        assert_eq!(lines[1], "Namespace:     default");
        assert_eq!(lines[2], "StorageClass:  standard");
        assert_eq!(lines[3], "Status:        Bound");
        assert!(lines[4].starts_with("Volume:        pvc-"), "{out}");
        assert_eq!(lines[5], "Labels:        app=nginx");
        assert!(out.contains("\nFinalizers:    [kubernetes.io/pvc-protection]\nCapacity:      1Gi\nAccess Modes:  RWO\nVolumeMode:    Filesystem\nUsed By:       web-0\nEvents:\n"), "{out}");
        assert!(out.contains("ProvisioningSucceeded"), "{out}");
        // Deleting a claim a pod still uses leaves it Terminating behind its protection finalizer.
        c.delete(
            &ObjectKey::new(Kind::PersistentVolumeClaim, "default", "www-web-0"),
            DeleteOptions {
                grace_period_seconds: None,
                propagation: ordinal_engine::api::Propagation::Background,
            },
        )
        .unwrap();
        c.advance(5_000);
        let out = describe_ok(&mut c, &ctx, "pvc www-web-0");
        assert!(
            out.contains("\nStatus:        Terminating (lasts 5s)\n"),
            "{out}"
        );
        assert!(out.contains("\nUsed By:       web-0\n"), "{out}");
    }

    #[test]
    fn pv_report_shows_node_affinity_and_host_path() {
        let (mut c, ctx) = web();
        let pvc = c
            .store()
            .get_typed::<PersistentVolumeClaim>("default", "www-web-0")
            .unwrap();
        let pv = pvc.spec.volume_name.clone().unwrap();
        let out = describe_ok(&mut c, &ctx, &format!("pv {pv}"));
        assert!(out.contains("\nStatus:            Bound\nClaim:             default/www-web-0\nReclaim Policy:    Delete\nAccess Modes:      RWO\nVolumeMode:        Filesystem\nCapacity:          1Gi\nNode Affinity:     \n  Required Terms:  \n    Term 0:        kubernetes.io/hostname in [kind-worker"), "{out}");
        assert!(out.contains(&format!("\nSource:\n    Type:          HostPath (bare host directory volume)\n    Path:          /var/local-path-provisioner/{pv}_default_www-web-0\n    HostPathType:  DirectoryOrCreate\nEvents:            <none>\n")), "{out}");
    }

    #[test]
    fn service_storage_class_node_and_namespace_reports() {
        let (mut c, ctx) = web();
        let out = describe_ok(&mut c, &ctx, "svc nginx");
        let pod_ip = |n: &str| {
            c.store()
                .get_typed::<Pod>("default", n)
                .and_then(|p| p.status.pod_ip.clone())
                .unwrap()
        };
        let expected = format!(
            "Name:                     nginx
Namespace:                default
Labels:                   app=nginx
Annotations:              <none>
Selector:                 app=nginx
Type:                     ClusterIP
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       None
IPs:                      None
Port:                     web  80/TCP
TargetPort:               80/TCP
Endpoints:                {}:80,{}:80
Session Affinity:         None
Internal Traffic Policy:  Cluster
Events:                   <none>
",
            pod_ip("web-0"),
            pod_ip("web-1")
        );
        assert_eq!(out, expected);
        let out = describe_ok(&mut c, &ctx, "sc standard");
        assert_eq!(
            out,
            "Name:                  standard
IsDefaultClass:        Yes
Annotations:           storageclass.kubernetes.io/is-default-class=true
Provisioner:           rancher.io/local-path
Parameters:            <none>
AllowVolumeExpansion:  <unset>
MountOptions:          <none>
ReclaimPolicy:         Delete
VolumeBindingMode:     WaitForFirstConsumer
Events:                <none>
"
        );
        let out = describe_ok(&mut c, &ctx, "node kind-control-plane");
        assert!(
            out.starts_with(
                "Name:               kind-control-plane\nRoles:              control-plane\n"
            ),
            "{out}"
        );
        assert!(out.contains("\nTaints:             node-role.kubernetes.io/control-plane:NoSchedule\nUnschedulable:      false\n"), "{out}");
        assert!(
            out.contains("\nNon-terminated Pods:          (9 in total)\n"),
            "{out}"
        );
        let out = describe_ok(&mut c, &ctx, "node kind-worker");
        // kindnet and kube-proxy run on every node, beside the learner's pod.
        assert!(out.contains("(3 in total)\n"), "{out}");
        assert!(
            out.contains("  default                     web-0    "),
            "{out}"
        );
        let out = describe_ok(&mut c, &ctx, "ns default");
        assert_eq!(
            out,
            "Name:         default\nLabels:       kubernetes.io/metadata.name=default\nAnnotations:  <none>\nStatus:       Active\n\nNo resource quota.\n\nNo LimitRange resource.\n"
        );
    }

    #[test]
    fn terminating_pod_shows_how_long_it_has_lasted() {
        let (mut c, ctx) = web();
        let node = c
            .store()
            .get_typed::<Pod>("default", "web-0")
            .and_then(|p| p.spec.node_name.clone())
            .unwrap();
        c.set_node_ready(&node, false).unwrap();
        // The taint manager deletes the pod after its 300s toleration; its kubelet never confirms.
        c.advance(400_000);
        let out = describe_ok(&mut c, &ctx, "pod web-0");
        let deleted = c
            .store()
            .get_typed::<Pod>("default", "web-0")
            .and_then(|p| p.metadata.deletion_timestamp);
        let lasts = age(deleted, c.now());
        assert!(lasts.ends_with('s') && !lasts.starts_with('<'), "{lasts}");
        assert!(
            out.contains(&format!(
                "\nStatus:                    Terminating (lasts {lasts})\nTermination Grace Period:  10s\n"
            )),
            "{out}"
        );
        assert!(
            out.starts_with("Name:                      web-0\n"),
            "{out}"
        );

        // During a graceful deletion the deletion timestamp lies in the future (now + grace period), so
        // kubectl's `HumanDuration` of the negative span prints `<invalid>`, as on a real cluster.
        let out = crate::run(&mut c, &ctx, &argv("delete pod web-1 --wait=false"), None);
        assert_eq!(out.status, 0, "{}", out.stderr());
        let out = describe_ok(&mut c, &ctx, "pod web-1");
        assert!(
            out.contains("\nStatus:                    Terminating (lasts <invalid>)\n"),
            "{out}"
        );
    }

    #[test]
    fn not_found_prefix_matching_and_bad_types() {
        let (mut c, ctx) = web();
        let run = |c: &mut Cluster, s: &str| crate::run(c, &ctx, &argv(s), None);
        let out = run(&mut c, "describe pod web-9");
        assert_eq!(
            out.stderr(),
            "Error from server (NotFound): pods \"web-9\" not found\n"
        );
        assert_eq!((out.status, out.stdout().as_str()), (1, ""));
        let out = run(&mut c, "describe pods/web-9");
        assert_eq!(
            out.stderr(),
            "Error from server (NotFound): pods \"web-9\" not found\n"
        );
        // Two `TYPE/NAME` arguments with one missing: kubectl retries the pair as `TYPE PREFIX` and prints
        // only the error, not the pod that exists.
        let out = run(&mut c, "describe pod/web-0 pod/web-9");
        assert_eq!(
            (out.stdout().as_str(), out.stderr().as_str()),
            (
                "",
                "Error from server (NotFound): pods \"web-9\" not found\n"
            )
        );
        let out = run(&mut c, "describe statefulsett web");
        assert_eq!(
            out.stderr(),
            "error: the server doesn't have a resource type \"statefulsett\"\n"
        );
        let out = run(&mut c, "describe");
        assert_eq!(out.stderr(), NO_TYPE);
        let out = run(&mut c, "describe pod web-0 --event");
        assert_eq!(
            out.stderr(),
            "error: unknown flag: --event\nSee 'kubectl describe --help' for usage.\n"
        );

        // No pod is called `web`: every pod whose name starts with it, each report followed by a newline and
        // without events.
        let out = run(&mut c, "describe pod web");
        assert_eq!(out.status, 0, "{}", out.stderr());
        let text = out.stdout();
        let names: Vec<&str> = text.lines().filter(|l| l.starts_with("Name:")).collect();
        assert_eq!(
            names,
            ["Name:             web-0", "Name:             web-1"]
        );
        assert!(!out.stdout().contains("Events:"), "{}", out.stdout());
        assert!(out.stdout().ends_with("\n\n"));
        assert!(out.stdout().contains("\n\nName:             web-1\n"));

        // Several objects by name: separated by two blank lines, no events; a missing one is reported after.
        let out = run(&mut c, "describe pod web-0 web-1 web-9");
        assert_eq!(out.status, 1);
        assert_eq!(
            out.stderr(),
            "Error from server (NotFound): pods \"web-9\" not found\n"
        );
        assert!(
            out.stdout().contains("\n\n\nName:             web-1\n"),
            "{}",
            out.stdout()
        );
        assert!(!out.stdout().contains("Events:"));
        assert!(run(&mut c, "describe pod web-0 web-1 --show-events")
            .stdout()
            .contains("Events:"));

        // Label selectors, namespaces.
        let out = run(&mut c, "describe pods -l app=nginx");
        assert_eq!(out.stdout().matches("\nControlled By:").count(), 2);
        let out = run(&mut c, "describe pods -n student");
        assert_eq!(out.stderr(), "No resources found in student namespace.\n");
        let out = run(&mut c, "describe svc -A");
        assert!(
            out.stdout().contains(
                "\n\n\nName:                     kube-dns\nNamespace:                kube-system\n"
            ),
            "{}",
            out.stdout()
        );
        assert!(out.stdout().contains(
            "\nPort:                     dns-tcp  53/TCP\nTargetPort:               53/TCP\n"
        ));
        let out = run(&mut c, "describe -f web.yaml");
        assert!(
            out.stdout()
                .starts_with("Name:                     nginx\n"),
            "{}",
            out.stdout()
        );
        assert!(
            out.stdout().contains("\n\n\nName:                   web\n"),
            "{}",
            out.stdout()
        );
    }

    #[test]
    fn generic_describer_prints_the_remaining_fields() {
        let (mut c, ctx) = web();
        let rev = c
            .store()
            .list::<ControllerRevision>(Some("default"))
            .next()
            .map(|r| r.metadata.name.clone())
            .unwrap();
        let out = describe_ok(&mut c, &ctx, &format!("controllerrevision {rev}"));
        let hash = rev.trim_start_matches("web-");
        assert!(
            out.starts_with(&format!(
                "Name:         {rev}\nNamespace:    default\nLabels:       app=nginx\n              controller.kubernetes.io/hash={hash}\nAnnotations:  <none>\nAPI Version:  apps/v1\nData:\n  Spec:\n    Template:\n      $patch:  replace\n      Metadata:\n        Labels:\n          App:  nginx\n"
            )),
            "{out}"
        );
        // An empty map (`resources: {}`) prints as a bare `Resources:` line, which ends a tabwriter block.
        assert!(out.contains("\n          Resources:\n          Termination Message Path:    /dev/termination-log\n          Termination Message Policy:  File\n          Volume Mounts:\n            Mount Path:  /usr/share/nginx/html\n"), "{out}");
        assert!(out.contains("\nKind:                                      ControllerRevision\nMetadata:\n  Creation Timestamp:  2026-01-05T09:00:00Z\n"), "{out}");
        assert!(out.contains("\n  Owner References:\n    API Version:           apps/v1\n    Block Owner Deletion:  true\n    Controller:            true\n    Kind:                  StatefulSet\n    Name:                  web\n"), "{out}");
        assert!(
            out.ends_with("\nRevision:                  1\nEvents:                    <none>\n"),
            "{out}"
        );
    }
}
