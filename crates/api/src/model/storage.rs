//! PersistentVolumeClaim, PersistentVolume and StorageClass.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::meta::{LabelSelector, ObjectMeta};
use super::pod::PodCondition;

/// The quantity fields of a decoded object (`requests`, `limits`, `capacity`, and a StatefulSet's claim
/// templates), checked as the API server's decoder checks them: `1Gb` fails while decoding, with the quantity
/// parser's own message, before any validation runs.
pub fn check_quantities(obj: &super::Object) -> Result<(), String> {
    let claims: Vec<&PvcSpec> = match obj {
        super::Object::PersistentVolumeClaim(p) => vec![&p.spec],
        super::Object::StatefulSet(s) => s
            .spec
            .volume_claim_templates
            .iter()
            .map(|t| &*t.spec)
            .collect(),
        super::Object::PersistentVolume(pv) => {
            return check_map(&pv.spec.capacity);
        }
        _ => return Ok(()),
    };
    for spec in claims {
        check_map(&spec.resources.limits)?;
        check_map(&spec.resources.requests)?;
    }
    Ok(())
}

fn check_map(map: &BTreeMap<String, Value>) -> Result<(), String> {
    for v in map.values() {
        crate::quantity::from_json(v).map_err(|e| e.to_string())?;
    }
    Ok(())
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PersistentVolumeClaim {
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Shared by the claim's versions until one changes it ([`PersistentVolumeClaim::spec_mut`]): most writes
    /// of a claim are its status and annotations.
    #[serde(default)]
    pub spec: std::sync::Arc<PvcSpec>,
    #[serde(default, skip_serializing_if = "PvcStatus::is_empty")]
    pub status: PvcStatus,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PvcSpec {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_modes: Vec<String>,
    #[serde(default)]
    pub resources: ResourceRequirements,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_source: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_attributes_class_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResourceRequirements {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub requests: BTreeMap<String, Value>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub limits: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PvcStatus {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phase: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_modes: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub capacity: BTreeMap<String, String>,
    /// `Resizing` and `FileSystemResizePending` while a volume grows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<PodCondition>,
    /// What the resizer has been asked for (`storage: 2Gi`), kept after the resize completes.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub allocated_resources: BTreeMap<String, String>,
    /// `ControllerResizeInProgress`, `NodeResizePending` … while a resize is under way.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub allocated_resource_statuses: BTreeMap<String, String>,
}

impl PvcStatus {
    pub fn is_empty(&self) -> bool {
        self.phase.is_empty()
            && self.access_modes.is_empty()
            && self.capacity.is_empty()
            && self.conditions.is_empty()
            && self.allocated_resources.is_empty()
            && self.allocated_resource_statuses.is_empty()
    }
}

/// The annotation older clusters named a class by, before `storageClassName`; it still wins over the field.
pub const BETA_STORAGE_CLASS: &str = "volume.beta.kubernetes.io/storage-class";

/// A claim's or a volume's class: the beta annotation, else `storageClassName`, else "".
fn class_of<'a>(meta: &'a ObjectMeta, field: &'a Option<String>) -> &'a str {
    meta.annotations
        .get(BETA_STORAGE_CLASS)
        .or(field.as_ref())
        .map_or("", String::as_str)
}

impl PersistentVolumeClaim {
    /// The spec to change: copied first when another version shares it.
    pub fn spec_mut(&mut self) -> &mut PvcSpec {
        std::sync::Arc::make_mut(&mut self.spec)
    }

    /// The claim's class (`GetPersistentVolumeClaimClass`): the beta annotation, else `storageClassName`, else "".
    pub fn class_name(&self) -> &str {
        class_of(&self.metadata, &self.spec.storage_class_name)
    }

    /// The requested storage as written (`1Gi`), or an empty string.
    pub fn requested_storage(&self) -> String {
        match self.spec.resources.requests.get("storage") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PersistentVolume {
    #[serde(default)]
    pub metadata: ObjectMeta,
    /// Shared by the volume's versions until one changes it ([`PersistentVolume::spec_mut`]), as a pod's spec
    /// is: most writes of a volume are its phase and annotations.
    #[serde(default)]
    pub spec: std::sync::Arc<PvSpec>,
    #[serde(default)]
    pub status: PvStatus,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PvSpec {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub capacity: BTreeMap<String, Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_modes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistent_volume_reclaim_policy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_ref: Option<ObjectReference>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mount_options: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node_affinity: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_path: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csi: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nfs: Option<Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ObjectReference {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub uid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_version: Option<String>,
    /// The part of the object meant, for an event about one container: `spec.containers{nginx}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_path: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PvStatus {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phase: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl PersistentVolume {
    /// The spec to change: copied first when another version shares it.
    pub fn spec_mut(&mut self) -> &mut PvSpec {
        std::sync::Arc::make_mut(&mut self.spec)
    }

    /// `namespace/name` of the claim the volume is bound (or reserved) to, as the CLAIM column prints it.
    pub fn claim(&self) -> Option<String> {
        self.spec
            .claim_ref
            .as_ref()
            .map(|r| format!("{}/{}", r.namespace, r.name))
    }

    /// The volume's class (`GetPersistentVolumeClass`): the beta annotation, else `storageClassName`, else "".
    pub fn class_name(&self) -> &str {
        class_of(&self.metadata, &self.spec.storage_class_name)
    }

    pub fn capacity(&self) -> String {
        match self.spec.capacity.get("storage") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    }
}

/// `storage.k8s.io/v1` StorageClass: its fields sit at the top level, not under `spec`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StorageClass {
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub provisioner: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reclaim_policy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume_binding_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_volume_expansion: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mount_options: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_topologies: Option<Value>,
}

pub const DEFAULT_CLASS_ANNOTATION: &str = "storageclass.kubernetes.io/is-default-class";
pub const BETA_DEFAULT_CLASS_ANNOTATION: &str = "storageclass.beta.kubernetes.io/is-default-class";

impl StorageClass {
    pub fn is_default(&self) -> bool {
        [DEFAULT_CLASS_ANNOTATION, BETA_DEFAULT_CLASS_ANNOTATION]
            .iter()
            .any(|a| {
                self.metadata
                    .annotations
                    .get(*a)
                    .is_some_and(|v| v == "true")
            })
    }

    pub fn waits_for_first_consumer(&self) -> bool {
        self.volume_binding_mode.as_deref() == Some("WaitForFirstConsumer")
    }
}
