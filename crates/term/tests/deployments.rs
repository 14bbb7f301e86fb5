//! Deployments and ReplicaSets, for contrast with StatefulSets: random pod names, no order, one claim shared by
//! every replica, rolling updates through a new ReplicaSet.

mod common;

use common::*;
use ordinal_engine::model::{Deployment, Kind, Pod, ReplicaSet};
use ordinal_engine::Cluster;

const DEPLOY: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx-d
  template:
    metadata:
      labels:
        app: nginx-d
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
";

fn pods_of(c: &Cluster) -> Vec<Pod> {
    c.store()
        .list::<Pod>(Some("default"))
        .filter(|p| p.metadata.name.starts_with("nginx-deployment-"))
        .cloned()
        .collect()
}

fn replica_sets(c: &Cluster) -> Vec<ReplicaSet> {
    c.store()
        .list::<ReplicaSet>(Some("default"))
        .cloned()
        .collect()
}

#[test]
fn a_deployment_makes_a_replica_set_whose_pods_have_random_suffixes() {
    let mut c = cluster();
    assert_eq!(
        apply(&mut c, DEPLOY),
        ["deployment.apps/nginx-deployment created"]
    );
    c.run_until_idle();
    let sets = replica_sets(&c);
    assert_eq!(sets.len(), 1);
    let rs = &sets[0].metadata.name;
    let hash = sets[0].metadata.labels.get("pod-template-hash").unwrap();
    assert_eq!(*rs, format!("nginx-deployment-{hash}"));
    let pods = pods_of(&c);
    assert_eq!(pods.len(), 3);
    for p in &pods {
        let suffix = p.metadata.name.strip_prefix(&format!("{rs}-")).unwrap();
        assert_eq!(suffix.len(), 5, "{}", p.metadata.name);
        assert!(suffix
            .chars()
            .all(|ch| "bcdfghjklmnpqrstvwxz2456789".contains(ch)));
        assert!(p.is_running_and_ready());
        // No stable identity: no hostname, no ordinal label.
        assert!(p.spec.hostname.is_none());
        assert!(!p
            .metadata
            .labels
            .contains_key("apps.kubernetes.io/pod-index"));
    }
    let d = c
        .store()
        .get_typed::<Deployment>("default", "nginx-deployment")
        .unwrap();
    assert_eq!(
        (
            d.status.replicas,
            d.status.ready_replicas,
            d.status.available_replicas
        ),
        (3, 3, 3)
    );
    let events: Vec<String> = c
        .events_for(&d.metadata.uid)
        .iter()
        .map(|e| e.message.clone())
        .collect();
    assert_eq!(events, [format!("Scaled up replica set {rs} from 0 to 3")]);
}

#[test]
fn all_replicas_are_created_at_once_not_in_order() {
    let mut c = cluster();
    let from = c.store().cursor();
    apply(&mut c, DEPLOY);
    c.step();
    let added = pod_lifecycle(&c, from)
        .iter()
        .filter(|e| e.starts_with('+'))
        .count();
    assert_eq!(
        added, 3,
        "a ReplicaSet does not wait for one pod before the next"
    );
}

#[test]
fn a_deleted_replica_comes_back_under_a_new_name() {
    let mut c = cluster();
    apply(&mut c, DEPLOY);
    c.run_until_idle();
    let victim = pods_of(&c)[0].metadata.name.clone();
    let key = ordinal_engine::ObjectKey::new(Kind::Pod, "default", &victim);
    c.delete(&key, Default::default()).unwrap();
    c.run_until_idle();
    let names: Vec<String> = pods_of(&c)
        .iter()
        .map(|p| p.metadata.name.clone())
        .collect();
    assert_eq!(names.len(), 3);
    assert!(
        !names.contains(&victim),
        "a StatefulSet would reuse the name; a ReplicaSet does not"
    );
}

#[test]
fn scaling_down_removes_any_replica_and_scaling_up_adds_new_names() {
    let mut c = cluster();
    apply(&mut c, DEPLOY);
    c.run_until_idle();
    apply(&mut c, &DEPLOY.replace("replicas: 3", "replicas: 1"));
    c.run_until_idle();
    assert_eq!(pods_of(&c).len(), 1);
    apply(&mut c, &DEPLOY.replace("replicas: 3", "replicas: 4"));
    c.run_until_idle();
    assert_eq!(pods_of(&c).len(), 4);
}

#[test]
fn an_image_change_rolls_out_through_a_new_replica_set_within_surge_and_unavailability() {
    let mut c = cluster();
    apply(&mut c, &DEPLOY.replace("replicas: 3", "replicas: 4"));
    c.run_until_idle();
    let old_rs = replica_sets(&c)[0].metadata.name.clone();
    assert_eq!(
        apply(
            &mut c,
            &DEPLOY
                .replace("replicas: 3", "replicas: 4")
                .replace("1.14.2", "1.16")
        ),
        ["deployment.apps/nginx-deployment configured"]
    );
    let mut max_pods = 0;
    let mut min_ready = usize::MAX;
    while c.step() {
        let pods: Vec<Pod> = pods_of(&c)
            .into_iter()
            .filter(|p| !p.metadata.is_terminating())
            .collect();
        max_pods = max_pods.max(pods.len());
        min_ready = min_ready.min(pods.iter().filter(|p| p.is_ready()).count());
    }
    // 25% of 4: one extra pod at most, one fewer available at most.
    assert_eq!(max_pods, 5);
    assert!(min_ready >= 3, "{min_ready}");
    let sets = replica_sets(&c);
    assert_eq!(sets.len(), 2);
    let old = sets.iter().find(|r| r.metadata.name == old_rs).unwrap();
    assert_eq!(
        old.spec.replicas,
        Some(0),
        "the old ReplicaSet is kept, scaled to zero"
    );
    let pods = pods_of(&c);
    assert_eq!(pods.len(), 4);
    assert!(pods
        .iter()
        .all(|p| p.spec.containers[0].image == "nginx:1.16"));
}

#[test]
fn replicas_of_a_deployment_share_one_claim() {
    let mut c = cluster();
    let yaml = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: shared\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n---\n".to_string()
        + &DEPLOY.replace("        image: nginx:1.14.2\n", "        image: nginx:1.14.2\n        volumeMounts:\n        - name: data\n          mountPath: /data\n      volumes:\n      - name: data\n        persistentVolumeClaim:\n          claimName: shared\n");
    apply(&mut c, &yaml);
    c.run_until_idle();
    assert_eq!(claims(&c), [("shared".to_string(), "Bound".to_string())]);
    let pods = pods_of(&c);
    assert_eq!(pods.len(), 3);
    assert!(pods
        .iter()
        .all(|p| p.claim_names().collect::<Vec<_>>() == ["shared"]));
    // One local volume pins every replica to the same node.
    let nodes: std::collections::BTreeSet<_> = pods
        .iter()
        .filter_map(|p| p.spec.node_name.clone())
        .collect();
    assert_eq!(nodes.len(), 1);
}

#[test]
fn a_deployment_without_a_matching_selector_is_invalid() {
    let mut c = cluster();
    let out = apply(
        &mut c,
        &DEPLOY.replace(
            "      app: nginx-d\n  template",
            "      app: other\n  template",
        ),
    );
    assert_eq!(
        out[0],
        "The Deployment \"nginx-deployment\" is invalid: spec.template.metadata.labels: Invalid value: {\"app\":\"nginx-d\"}: `selector` does not match template `labels`"
    );
}

#[test]
fn selector_values_in_errors_print_as_json() {
    // apimachinery pkg/util/validation/field/errors.go, ErrorBody (c58e197e "Nicer value rendering in API
    // errors", 2025): a field.Invalid value that is not a number, bool or string is rendered with
    // json.Marshal, here the external *metav1.LabelSelector (json tags, omitempty, matchLabels first) that
    // ValidateImmutableField and ValidateDeploymentSpec (pkg/apis/apps/validation) pass it.
    let mut c = cluster();
    apply(&mut c, DEPLOY);
    let changed = DEPLOY
        .replace(
            "      app: nginx-d\n  template",
            "      app: nginx-d\n    matchExpressions:\n    - key: tier\n      operator: In\n      values: [web, \"a&b\"]\n  template",
        )
        .replace(
            "        app: nginx-d\n    spec",
            "        app: nginx-d\n        tier: web\n    spec",
        );
    assert_eq!(
        apply(&mut c, &changed)[0],
        "The Deployment \"nginx-deployment\" is invalid: spec.selector: Invalid value: {\"matchLabels\":{\"app\":\"nginx-d\"},\"matchExpressions\":[{\"key\":\"tier\",\"operator\":\"In\",\"values\":[\"web\",\"a\\u0026b\"]}]}: field is immutable"
    );
    let empty = DEPLOY
        .replace(
            "metadata:\n  name: nginx-deployment",
            "metadata:\n  name: other",
        )
        .replace(
            "    matchLabels:\n      app: nginx-d\n",
            "    matchLabels: {}\n",
        );
    assert!(
        apply(&mut c, &empty)[0]
            .contains("spec.selector: Invalid value: {}: empty selector is invalid for deployment"),
        "{:?}",
        apply(&mut c, &empty)
    );
}
