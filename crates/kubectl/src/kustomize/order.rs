//! Output order (api/internal/builtins/SortOrderTransformer.go): kustomize's legacy order, or the order given.

use std::collections::BTreeMap;

use super::kustomization::SortOrder;
use super::resources::{part_or, Id, Res};

/// The legacy order's kinds that come first, in order ("DO NOT CHANGE!" in kustomize).
pub(super) const LEGACY_ORDER_FIRST: &[&str] = &[
    "Namespace",
    "ResourceQuota",
    "StorageClass",
    "CustomResourceDefinition",
    "ServiceAccount",
    "PodSecurityPolicy",
    "Role",
    "ClusterRole",
    "RoleBinding",
    "ClusterRoleBinding",
    "ConfigMap",
    "Secret",
    "Endpoints",
    "Service",
    "LimitRange",
    "PriorityClass",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Deployment",
    "StatefulSet",
    "CronJob",
    "PodDisruptionBudget",
];

/// …and the kinds that come last.
pub(super) const LEGACY_ORDER_LAST: &[&str] = &[
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
];

/// kubectl builds with the legacy order: kinds by the lists above (others in between, by group, version and
/// kind), then by namespace and name.
pub(super) fn sort_resources(list: &mut [Res], order: &SortOrder) {
    let SortOrder::Legacy { first, last } = order else {
        return;
    };
    let mut rank: BTreeMap<&str, i64> = BTreeMap::new();
    for (i, k) in first.iter().enumerate() {
        rank.insert(k, i as i64 - first.len() as i64);
    }
    for (i, k) in last.iter().enumerate() {
        rank.insert(k, i as i64 + 1);
    }
    let gvk_key = |id: &Id| {
        format!(
            "{}_{}_{}",
            part_or(&id.group, "~G"),
            part_or(&id.version, "~V"),
            part_or(&id.kind, "~K")
        )
    };
    let id_key = |id: &Id| {
        let gvk = format!(
            "{}.{}.{}",
            part_or(&id.kind, "[noKind]"),
            part_or(&id.version, "[noVer]"),
            part_or(&id.group, "[noGrp]")
        );
        format!(
            "{gvk}|{}|{}",
            part_or(&id.namespace, "~X"),
            part_or(&id.name, "~N")
        )
    };
    ordinal_api::sort::by(list, |a, b| {
        let (x, y) = (a.cur_id(), b.cur_id());
        if x.same_gvk(&y) {
            return id_key(&x).cmp(&id_key(&y));
        }
        let (rx, ry) = (
            rank.get(x.kind.as_str()).copied().unwrap_or(0),
            rank.get(y.kind.as_str()).copied().unwrap_or(0),
        );
        if rx != ry {
            return rx.cmp(&ry);
        }
        if x.kind == "Namespace"
            && y.kind == "Namespace"
            && (x.group.is_empty() || y.group.is_empty())
        {
            return gvk_key(&y).cmp(&gvk_key(&x));
        }
        gvk_key(&x).cmp(&gvk_key(&y))
    });
}
